import { describe, expect, it } from "vitest";
import { failedTestNames } from "./vitest-report.ts";

describe("naming failed tests at the end of npm test", () => {
  it("names each failed test by its file relative to the repo and its full name, and skips the passed ones", () => {
    const names = failedTestNames(
      {
        numPassedTests: 1,
        numFailedTests: 1,
        numTotalTests: 2,
        testResults: [
          {
            name: "/repo/device-agent/test/a.test.ts",
            status: "failed",
            assertionResults: [
              { fullName: "agent reconnects after a drop", status: "failed" },
              { fullName: "agent says hello", status: "passed" },
            ],
          },
        ],
      },
      "/repo",
    );
    expect(names).toEqual(["device-agent/test/a.test.ts › agent reconnects after a drop"]);
  });

  it("names a file that failed to load with the first line of its error", () => {
    const names = failedTestNames(
      {
        numPassedTests: 0,
        numFailedTests: 0,
        numTotalTests: 0,
        testResults: [{ name: "/repo/web/x.test.ts", status: "failed", message: "SyntaxError: bad\n  at line 3", assertionResults: [] }],
      },
      "/repo",
    );
    expect(names).toEqual(["web/x.test.ts (the file failed: SyntaxError: bad)"]);
  });

  it("names nothing for a report without failures", () => {
    expect(failedTestNames({ numPassedTests: 3, numFailedTests: 0, numTotalTests: 3, testResults: [] })).toEqual([]);
  });
});
