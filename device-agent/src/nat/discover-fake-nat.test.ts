// The discovery client's decision tree over real UDP sockets, against a stand-in RFC 5780 server
// on 127.0.0.1/127.0.0.2 that answers as if a NAT of a given behaviour sat in between (the
// mapped address it reports depends on the destination; it answers CHANGE-REQUEST only where
// that NAT's filter would let the answer in). Real NATs are proved in the lab (lab/lab.test.ts);
// this covers the branches loopback cannot reach without root: address- vs port-dependent
// mapping, each filtering kind, and the two-server fallback.
import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import type { FilteringBehavior, MappingBehavior } from "./classify.ts";
import { discoverNatBehavior } from "./discover.ts";
import { ATTR, CHANGE_IP, CHANGE_PORT, MAGIC_COOKIE, stunHeader, type Endpoint } from "./stun.ts";

const PUBLIC_IP = "203.0.113.7"; // TEST-NET-3: never one of this host's addresses

function addressAttr(type: number, e: Endpoint, xor: boolean): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(8, 2);
  b.writeUInt8(1, 5);
  b.writeUInt16BE(e.port ^ (xor ? MAGIC_COOKIE >>> 16 : 0), 6);
  const n = e.ip.split(".").reduce((a, x) => (a << 8) | Number(x), 0) >>> 0;
  b.writeUInt32BE((n ^ (xor ? MAGIC_COOKIE : 0)) >>> 0, 8);
  return b;
}

interface FakeNat {
  mapping: Exclude<MappingBehavior, "none" | "unknown" | "endpoint-dependent">;
  filtering: Exclude<FilteringBehavior, "unknown">;
  /** Send OTHER-ADDRESS (a server with RFC 5780). */
  rfc5780: boolean;
}

/** Four sockets: primary/alternate IP × primary/alternate port, all on loopback. */
async function fakeServer(nat: FakeNat): Promise<{ primary: Endpoint; close(): Promise<void> }> {
  const bind = (ip: string, port = 0) =>
    new Promise<Socket>((resolve, reject) => {
      const s = createSocket("udp4");
      s.once("error", reject);
      s.bind(port, ip, () => resolve(s));
    });
  const pp = await bind("127.0.0.1");
  const pa = await bind("127.0.0.1");
  const ap = await bind("127.0.0.2", pp.address().port);
  const aa = await bind("127.0.0.2", pa.address().port);
  const sockets = { pp, pa, ap, aa };
  const other: Endpoint = { ip: "127.0.0.2", port: pa.address().port };
  const mappedFor = (client: Endpoint, dest: Endpoint): Endpoint => {
    const offset = nat.mapping === "endpoint-independent" ? 0 : nat.mapping === "address-dependent" ? (dest.ip === "127.0.0.1" ? 0 : 1) : (dest.ip === "127.0.0.1" ? 0 : 1) * 2 + (dest.port === pp.address().port ? 0 : 1);
    return { ip: PUBLIC_IP, port: 20_000 + (client.port % 10_000) + offset * 1000 };
  };
  for (const [name, s] of Object.entries(sockets)) {
    s.on("message", (msg, rinfo) => {
      const head = stunHeader(msg);
      if (!head) return;
      const change = msg.length >= 28 && msg.readUInt16BE(20) === ATTR.changeRequest ? msg.readUInt32BE(24) : 0;
      const here = s.address();
      const client = { ip: rinfo.address, port: rinfo.port };
      // Which socket answers, and would the emulated NAT let that answer in?
      let from = name as keyof typeof sockets;
      if (change & CHANGE_IP) from = (from[0] === "p" ? "a" : "p") + from[1] as keyof typeof sockets;
      if (change & CHANGE_PORT) from = from[0] + (from[1] === "p" ? "a" : "p") as keyof typeof sockets;
      if (change & CHANGE_IP && nat.filtering !== "endpoint-independent") return;
      if (change & CHANGE_PORT && nat.filtering === "address-and-port-dependent") return;
      if (!nat.rfc5780 && change) from = name as keyof typeof sockets; // an RFC 3489-less server ignores it
      const attrs = [addressAttr(ATTR.xorMappedAddress, mappedFor(client, { ip: here.address, port: here.port }), true), ...(nat.rfc5780 ? [addressAttr(ATTR.otherAddress, other, false)] : [])];
      const body = Buffer.concat(attrs);
      const header = Buffer.alloc(20);
      header.writeUInt16BE(0x0101, 0);
      header.writeUInt16BE(body.length, 2);
      header.writeUInt32BE(MAGIC_COOKIE, 4);
      head.transactionId.copy(header, 8);
      sockets[from].send(Buffer.concat([header, body]), rinfo.port, rinfo.address);
    });
  }
  return {
    primary: { ip: "127.0.0.1", port: pp.address().port },
    close: async () => {
      await Promise.all(Object.values(sockets).map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

let server: Awaited<ReturnType<typeof fakeServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const discover = async (nat: FakeNat) => {
  server = await fakeServer(nat);
  return discoverNatBehavior({ stunServer: [server.primary.ip, server.primary.port], timeoutMs: 300 });
};

describe("NAT discovery decision tree (stand-in RFC 5780 server emulating a NAT)", () => {
  it("tells full, restricted and port-restricted cone apart by which CHANGE-REQUEST answers arrive", async () => {
    const results: string[] = [];
    for (const filtering of ["endpoint-independent", "address-dependent", "address-and-port-dependent"] as const) {
      const r = await discover({ mapping: "endpoint-independent", filtering, rfc5780: true });
      results.push(`${r.mapping}/${r.filtering} ${r.natType}`);
      await server?.close();
      server = undefined;
    }
    expect(results).toEqual([
      "endpoint-independent/endpoint-independent full-cone",
      "endpoint-independent/address-dependent restricted-cone",
      "endpoint-independent/address-and-port-dependent port-restricted-cone",
    ]);
  });

  it("tells address-dependent from address-and-port-dependent mapping, both symmetric", async () => {
    const ad = await discover({ mapping: "address-dependent", filtering: "address-and-port-dependent", rfc5780: true });
    expect(ad).toMatchObject({ mapping: "address-dependent", natType: "symmetric", mappedAddress: { ip: PUBLIC_IP } });
    await server?.close();
    server = undefined;
    const apd = await discover({ mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", rfc5780: true });
    expect(apd).toMatchObject({ mapping: "address-and-port-dependent", natType: "symmetric" });
  });

  it("reports hairpinning false when a packet to its own public address never comes back", async () => {
    const r = await discover({ mapping: "endpoint-independent", filtering: "endpoint-independent", rfc5780: true });
    expect(r.hairpinning).toBe(false);
  });

  it("falls back to a second server without RFC 5780: a fixed mapping is a cone with filtering untested", async () => {
    // The second server: the stand-in's 127.0.0.2 socket (another IP, the same emulated NAT).
    server = await fakeServer({ mapping: "endpoint-independent", filtering: "endpoint-independent", rfc5780: false });
    const cone = await discoverNatBehavior({ stunServer: ["127.0.0.1", server.primary.port], altServer: ["127.0.0.2", server.primary.port], timeoutMs: 300 });
    expect(cone).toMatchObject({ natType: "cone", mapping: "endpoint-independent", filtering: "unknown", rfc5780: false });
    expect(cone.error).toMatch(/filtering not tested/);
  });

  it("falls back to a second server without RFC 5780: a mapping that changes is symmetric", async () => {
    server = await fakeServer({ mapping: "address-dependent", filtering: "endpoint-independent", rfc5780: false });
    const r = await discoverNatBehavior({ stunServer: ["127.0.0.1", server.primary.port], altServer: ["127.0.0.2", server.primary.port], timeoutMs: 300 });
    expect(r).toMatchObject({ natType: "symmetric", mapping: "endpoint-dependent", filtering: "unknown" });
  });
});
