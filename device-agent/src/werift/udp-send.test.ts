import { createSocket } from "node:dgram";
import { describe, expect, it } from "vitest";
import { UdpTransport } from "werift";
import { installUdpSend, ipLiteralLookup } from "./udp-send.ts";

describe("UDP sends without a lookup per packet", () => {
  it("answers IPv4 and IPv6 literals within the same microtask checkpoint, as dns.lookup would answer them", async () => {
    const answers: unknown[][] = [];
    ipLiteralLookup("127.0.0.1", 4, (...a) => answers.push(a));
    ipLiteralLookup("::1", 6, (...a) => answers.push(a));
    // Asynchronously, as a lookup must answer, but without a nextTick or a trip through libuv.
    expect(answers).toEqual([]);
    await Promise.resolve();
    expect(answers).toEqual([
      [null, "127.0.0.1", 4],
      [null, "::1", 6],
    ]);
  });

  it("still resolves a host name (a TURN URL) through dns.lookup", async () => {
    let sync = true;
    const answer = await new Promise<unknown[]>((resolve) => {
      ipLiteralLookup("localhost", 4, (...a) => resolve([...a, sync]));
      sync = false;
    });
    expect(answer).toEqual([null, "127.0.0.1", 4, false]);
  });

  it("keeps werift's UDP transport sending to and receiving from several addresses", async () => {
    installUdpSend();
    const transport = await UdpTransport.init("udp4");
    const peers = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<ReturnType<typeof createSocket>>((resolve) => {
            const s = createSocket("udp4");
            s.bind(0, "127.0.0.1", () => resolve(s));
          }),
      ),
    );
    try {
      const received: string[] = [];
      const replies = new Promise<void>((resolve) => {
        transport.onData = (data: Buffer, addr: readonly [string, number]) => {
          received.push(`${data.toString()} from ${addr[1] === peers[0]!.address().port ? "peer 0" : "peer 1"}`);
          if (received.length === 2) resolve();
        };
      });
      for (const [i, peer] of peers.entries()) {
        peer.once("message", (msg, rinfo) => peer.send(`re:${msg.toString()}`, rinfo.port, rinfo.address));
        await transport.send(Buffer.from(`hello ${i}`), ["127.0.0.1", peer.address().port]);
      }
      await replies;
      expect(received.sort()).toEqual(["re:hello 0 from peer 0", "re:hello 1 from peer 1"]);
    } finally {
      for (const p of peers) p.close();
      await transport.close();
    }
  });
});
