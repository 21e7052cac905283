// The flap test (issue 4, item 6) in the nat-lab suite: one live session in the NAT lab (camera
// port-restricted, viewer full-cone), the viewer home's WAN cut for 2 s and its UDP mappings
// flushed, 20 times. Each time video must be back within 3 s, on the same session. Needs root
// and the lab's Debian packages (it says which are missing). Runs about 2.5 minutes.
import { describe, expect, it } from "vitest";
import { cyclePassed, runLabFlap } from "./flap.ts";
import { labPreflightProblem } from "./preflight.ts";

const CYCLES = 20;
const ADDRESS_CHANGES = 10;

describe("NAT lab flap", () => {
  it(
    "resumes video within 3 s after each of 20 two-second cuts of the viewer's link, on the same session",
    async () => {
      const problem = labPreflightProblem();
      if (problem) throw new Error(`cannot run the NAT lab: ${problem}`);
      const lines: string[] = [];
      const r = await runLabFlap({ cycles: CYCLES, downMs: 2000, resumeWithinMs: 3000, log: (l) => lines.push(l) });
      console.log(lines.filter((l) => l.startsWith("[flap]")).join("\n"));
      const missed = r.cycles.filter((c) => !cyclePassed(c, r));
      expect(
        missed.map((c) => `#${c.cycle}: ${c.resumeMs ?? "no video"} ms, session ${c.sessionId}, stage ${c.stage}`),
        lines.slice(-60).join("\n"),
      ).toEqual([]);
      expect(r.cycles).toHaveLength(CYCLES);
    },
    300_000,
  );

  it(
    "recovers video within 3 s on the same session and back on P2P after each of 10 changes of the viewer's public address",
    async () => {
      const problem = labPreflightProblem();
      if (problem) throw new Error(`cannot run the NAT lab: ${problem}`);
      const lines: string[] = [];
      // Port-restricted camera, full-cone viewer: a pair that punches, so every recovery must
      // end on a direct path, not on the relay.
      const r = await runLabFlap({ cycles: ADDRESS_CHANGES, mode: "readdress", resumeWithinMs: 3000, log: (l) => lines.push(l) });
      console.log(lines.filter((l) => l.startsWith("[flap]")).join("\n"));
      const missed = r.cycles.filter((c) => !cyclePassed(c, r) || c.settledPath !== "p2p");
      expect(
        missed.map((c) => `#${c.cycle}: ${c.resumeMs ?? "no video"} ms, session ${c.sessionId}, then ${c.settledPath}`),
        lines.slice(-60).join("\n"),
      ).toEqual([]);
      expect(r.cycles).toHaveLength(ADDRESS_CHANGES);
    },
    240_000,
  );
});
