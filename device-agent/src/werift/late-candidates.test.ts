// ICE level, werift's real Connection on loopback: a local candidate that appears after the
// remote candidates (and after the check pacing has run out, as a TCP/TLS relay that allocates
// late does) is paired with them and checked — werift alone leaves it unpaired (issue 10).
import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { Candidate, Connection, StunProtocol } from "werift";
import { pairLateLocalCandidate } from "./late-candidates.ts";
import { installWeriftShims } from "./werift-shims.ts";

installWeriftShims();

interface Internals {
  protocols: unknown[];
  checkList: Array<{ protocol: unknown; state: number }>;
  localUsername: string;
  generation: number;
  gatherCandidates(): Promise<void>;
  connect(): Promise<void>;
  close(): Promise<void>;
  setRemoteParams(p: { iceLite: boolean; usernameFragment: string; password: string }): void;
  addRemoteCandidate(c: Candidate | undefined): Promise<void>;
  ensureProtocol(p: unknown): void;
  appendLocalCandidate(c: Candidate): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

/** A remote peer that only listens: records the source port of each STUN request it gets. */
async function listeningPeer(): Promise<{ port: number; sources: number[] }> {
  const sock: Socket = createSocket("udp4");
  const sources: number[] = [];
  sock.on("message", (msg, rinfo) => {
    if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0001) sources.push(rinfo.port); // Binding request
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  open.push({ close: () => new Promise<void>((r) => sock.close(() => r())) });
  return { port: sock.address().port, sources };
}

/** A controlling connection already checking against `remotePort`, its pacing run out. */
async function checkingConnection(remotePort: number): Promise<Internals> {
  const c = new Connection(true, { additionalHostAddresses: ["127.0.0.1"], useIpv6: false }) as unknown as Internals;
  open.push({ close: () => c.close() });
  await c.gatherCandidates();
  c.setRemoteParams({ iceLite: false, usernameFragment: "peer", password: "peerpasswordpeerpasswor" });
  await c.addRemoteCandidate(new Candidate("f1", 1, "udp", 2130706431, "127.0.0.1", remotePort, "host"));
  await c.addRemoteCandidate(undefined); // end-of-candidates: werift's pacing loop stops once nothing waits
  void c.connect().catch(() => {});
  await sleep(200);
  return c;
}

/** A socket gathered late, advertised as a relay candidate (what relay-gathering.ts adds). */
async function lateSocket(c: Internals): Promise<{ protocol: StunProtocol; port: number }> {
  const protocol = new StunProtocol();
  await protocol.connectionMade(true);
  const port = protocol.getExtraInfo()[1] as number;
  const cand = new Candidate("late", 1, "udp", 16777215, "127.0.0.1", port, "relay", "127.0.0.1", port, undefined, c.generation, c.localUsername);
  (protocol as unknown as { localCandidate: Candidate }).localCandidate = cand;
  c.ensureProtocol(protocol);
  c.protocols.push(protocol);
  c.appendLocalCandidate(cand);
  return { protocol, port };
}

describe("late local candidates (werift layer)", () => {
  it("werift alone never checks from a relay candidate gathered after the remote candidates", async () => {
    const peer = await listeningPeer();
    const c = await checkingConnection(peer.port);
    const { protocol, port } = await lateSocket(c);
    await sleep(400);
    expect(c.checkList.some((p) => p.protocol === protocol)).toBe(false);
    expect(peer.sources).not.toContain(port);
    expect(peer.sources.length).toBeGreaterThan(0); // the host socket's checks did arrive
  });

  it("pairs a late relay candidate with every remote candidate and sends its checks at once", async () => {
    const peer = await listeningPeer();
    const c = await checkingConnection(peer.port);
    const { protocol, port } = await lateSocket(c);
    expect(pairLateLocalCandidate(c, protocol)).toBe(1);
    await sleep(300);
    expect(c.checkList.filter((p) => p.protocol === protocol)).toHaveLength(1);
    expect(peer.sources).toContain(port);
  });

  it("adds nothing twice: pairing the same socket again forms no new pair", async () => {
    const peer = await listeningPeer();
    const c = await checkingConnection(peer.port);
    const { protocol } = await lateSocket(c);
    expect(pairLateLocalCandidate(c, protocol)).toBe(1);
    expect(pairLateLocalCandidate(c, protocol)).toBe(0);
  });
});
