import { describe, expect, it } from "vitest";
import { Connection } from "werift";
import { bridgePair } from "./restart-bridge.ts";
import { installWeriftShims } from "./werift-shims.ts";

installWeriftShims();

describe("media across an ICE restart (restart-bridge)", () => {
  it("sends on the previous pair only while no new pair is nominated and for a bounded time", () => {
    const old = { id: "old" };
    const bridge = { pair: old, until: 1000 };
    expect(bridgePair(undefined, bridge, 500)).toBe(old);
    expect(bridgePair({ id: "new" }, bridge, 500)).toBeUndefined();
    expect(bridgePair(undefined, bridge, 1001)).toBeUndefined();
    expect(bridgePair(undefined, undefined, 0)).toBeUndefined();
  });

  it("keeps a real werift connection's packets flowing on the old pair after restart() until a new one is nominated", async () => {
    const c = new Connection(true, {}) as unknown as {
      nominated: unknown;
      state: string;
      consentFresh: boolean;
      send(data: Buffer): Promise<void>;
      restart(): Promise<void>;
      close(): Promise<void>;
    };
    const sent: Array<[Buffer, [string, number]]> = [];
    const pair = { protocol: { sendData: async (d: Buffer, a: [string, number]) => void sent.push([d, a]) }, remoteAddr: ["198.51.100.22", 4000] as [string, number], packetsSent: 0, bytesSent: 0 };
    c.nominated = pair;
    c.consentFresh = true;
    c.state = "connected";
    await c.send(Buffer.from("before"));
    void c.restart();
    expect(c.nominated).toBeUndefined();
    await c.send(Buffer.from("during"));
    expect(sent.map(([d]) => d.toString())).toEqual(["before", "during"]);
    expect(pair.packetsSent).toBe(2);
    // A new pair nominated: the bridge is done.
    const fresh = { ...pair, remoteAddr: ["198.51.100.23", 5000] as [string, number], packetsSent: 0, bytesSent: 0 };
    c.nominated = fresh;
    c.state = "connected";
    c.consentFresh = true;
    await c.send(Buffer.from("after"));
    expect(sent.at(-1)?.[1]).toEqual(["198.51.100.23", 5000]);
    await c.close();
  });
});
