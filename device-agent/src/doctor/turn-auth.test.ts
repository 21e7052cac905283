// The doctor's own TURN Allocate against a stand-in server on 127.0.0.1: coturn answers a wrong
// credential with a 401 that carries no MESSAGE-INTEGRITY, which werift drops as unverifiable.
import { createSocket, type Socket } from "node:dgram";
import { createServer, type Socket as TcpSocket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { classes, Message, methods, parseMessage } from "werift";
import { askTurnAuth } from "./turn-auth.ts";

let server: Socket | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A TURN server that challenges, then refuses every credential with a bare 401. */
async function refusingServer(): Promise<{ port: number; requests: Message[] }> {
  const requests: Message[] = [];
  server = createSocket("udp4");
  server.on("message", (data, from) => {
    const req = parseMessage(data);
    if (!req) return;
    requests.push(req);
    const res = new Message(methods.ALLOCATE, classes.ERROR, req.transactionId)
      .setAttribute("ERROR-CODE", [401, "Unauthorized"])
      .setAttribute("REALM", "porthole.test")
      .setAttribute("NONCE", Buffer.from("0123456789abcdef"));
    server!.send(res.bytes, from.port, from.address);
  });
  await new Promise<void>((r) => server!.bind(0, "127.0.0.1", r));
  return { port: server.address().port, requests };
}

describe("TURN credential probe", () => {
  it("reads the 401 a server sends to a credentialed Allocate, after answering its challenge", async () => {
    const { port, requests } = await refusingServer();
    const answer = await askTurnAuth({ host: "127.0.0.1", port, transport: "udp", username: "1800000000:CAM-1.doctor", credential: "d3JvbmctY3JlZGVudGlhbA==" }, 1000);
    expect(answer).toEqual({ kind: "error", code: 401, reason: "Unauthorized" });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.getAttributeValue("USERNAME")).toBe("1800000000:CAM-1.doctor");
    expect(requests[1]!.getAttributeValue("MESSAGE-INTEGRITY")).toBeDefined();
  });

  it("reports silence when nothing answers", async () => {
    const quiet = createSocket("udp4");
    await new Promise<void>((r) => quiet.bind(0, "127.0.0.1", r));
    const port = quiet.address().port;
    try {
      expect(await askTurnAuth({ host: "127.0.0.1", port, transport: "udp", username: "u", credential: "c" }, 600)).toEqual({ kind: "silent" });
    } finally {
      quiet.close();
    }
  });

  it("gives up a TLS connect that never completes within its deadline and leaves no socket open", async () => {
    // A TCP server that accepts and then says nothing: the TLS handshake never finishes, as
    // behind a firewall that swallows the connection.
    const accepted: TcpSocket[] = [];
    const mute = createServer((s) => {
      accepted.push(s);
      s.resume();
    });
    await new Promise<void>((r) => mute.listen(0, "127.0.0.1", r));
    const port = (mute.address() as { port: number }).port;
    try {
      const t0 = performance.now();
      expect(await askTurnAuth({ host: "127.0.0.1", port, transport: "tls", username: "u", credential: "c" }, 400)).toEqual({ kind: "silent" });
      expect(performance.now() - t0).toBeLessThan(2000);
      // The doctor's socket was destroyed: the server sees its end.
      await new Promise<void>((r) => (accepted[0]!.destroyed || accepted[0]!.readableEnded ? r() : accepted[0]!.once("close", () => r())));
    } finally {
      accepted.forEach((s) => s.destroy());
      mute.close();
    }
  });
});
