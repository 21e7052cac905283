// NAT behaviour discovery over real UDP against a real coturn on loopback (Debian's turnserver,
// listening on 127.0.0.1 and 127.0.0.2 so it answers RFC 5780). Loopback has no NAT, so this
// proves the sockets, the STUN codec and coturn's alternate address; the NAT types themselves
// are proved through real nftables NATs in the lab (lab/lab.test.ts).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadUdpPort } from "../../../scripts/lib/processes.ts";
import { coturnInstalled, startCoturn, type Coturn } from "../../../scripts/lib/coturn.ts";
import { discoverNatBehavior } from "./discover.ts";

const SECRET = randomBytes(18).toString("base64url");
let rfc5780: Coturn;
let plain: Coturn;

describe("NAT behaviour discovery against coturn", () => {
  beforeAll(async () => {
    if (!coturnInstalled()) throw new Error("coturn is not installed: apt-get install coturn (npm test installs it)");
    [rfc5780, plain] = await Promise.all([
      startCoturn({ secret: SECRET, name: "nat-rfc5780", rfc5780: true }),
      startCoturn({ secret: SECRET, name: "nat-plain" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([rfc5780?.stop(), plain?.stop()]);
  });

  it("finds open internet on loopback with coturn's RFC 5780 alternate address, and reports the raw behaviours", async () => {
    const r = await discoverNatBehavior({ stunServer: ["127.0.0.1", rfc5780.port], timeoutMs: 800 });
    expect(r).toMatchObject({
      natType: "open-internet",
      udpBlocked: false,
      mapping: "none",
      filtering: "endpoint-independent",
      rfc5780: true,
      otherAddress: rfc5780.altAddress,
      mappedAddress: { ip: "127.0.0.1", port: expect.any(Number) },
      server: `127.0.0.1:${rfc5780.port}`,
    });
    expect(r.error).toBeUndefined();
    // Open internet answers every filtering test at once: no test had to time out.
    expect(r.durationMs).toBeLessThan(800);
  });

  it("binds to the given local address", async () => {
    const r = await discoverNatBehavior({ stunServer: ["localhost", rfc5780.port], localAddress: "127.0.0.1", timeoutMs: 800 });
    expect(r.natType).toBe("open-internet");
    expect(r.mappedAddress?.ip).toBe("127.0.0.1");
  });

  it("says UDP is blocked when the server never answers, after the timeout and not much later", async () => {
    const t0 = performance.now();
    const r = await discoverNatBehavior({ stunServer: ["127.0.0.1", await deadUdpPort()], timeoutMs: 600 });
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ natType: "udp-blocked", udpBlocked: true, mapping: "unknown", filtering: "unknown", hairpinning: null });
    expect(r.error).toMatch(/no STUN answer/);
    expect(ms).toBeGreaterThanOrEqual(590);
    expect(ms).toBeLessThan(2000);
  });

  it("gives a partial verdict naming why when the server has one address (no RFC 5780)", async () => {
    const r = await discoverNatBehavior({ stunServer: ["127.0.0.1", plain.port], timeoutMs: 600 });
    expect(r).toMatchObject({ natType: "no-nat", mapping: "none", filtering: "unknown", rfc5780: false });
    expect(r.otherAddress).toBeUndefined();
    expect(r.error).toMatch(/no RFC 5780 alternate address/);
  });

  it("reports a host name that does not resolve as an error, not as UDP blocked", async () => {
    const r = await discoverNatBehavior({ stunServer: ["stun.invalid", 3478], timeoutMs: 300 });
    expect(r).toMatchObject({ natType: "unknown", udpBlocked: false });
    expect(r.error).toMatch(/cannot resolve stun\.invalid/);
  });
});
