import { describe, expect, it } from "vitest";
import { labPreflightProblem, NOT_ROOT_MESSAGE } from "./preflight.ts";

describe("lab preflight", () => {
  it("refuses to run without root, saying how to run it", () => {
    expect(labPreflightProblem(false)).toBe(NOT_ROOT_MESSAGE);
    expect(NOT_ROOT_MESSAGE).toContain("sudo npm run lab");
  });

  it("names the Debian packages of missing tools once each", () => {
    const problem = labPreflightProblem(true, [
      { name: "ip", pkg: "iproute2", paths: ["/nonexistent/ip"] },
      { name: "tc", pkg: "iproute2", paths: ["/nonexistent/tc"] },
      { name: "nft", pkg: "nftables", paths: ["/nonexistent/nft"] },
    ]);
    expect(problem).toContain("ip, tc, nft");
    expect(problem).toContain("apt-get install -y iproute2 nftables");
  });

  it("passes when every tool is present", () => {
    expect(labPreflightProblem(true, [{ name: "sh", pkg: "dash", paths: ["/bin/sh"] }])).toBeNull();
  });
});
