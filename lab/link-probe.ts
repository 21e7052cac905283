// Why: the delay element's accuracy check needs to measure a link from inside two namespaces —
// round-trip times, packets lost, a bulk TCP transfer arriving intact — and this machine kind has
// no ping. Run it under `ip netns exec`; every mode is bounded in time and prints one JSON line.
//   node lab/link-probe.ts udp-echo <ip> <port> <seconds>      answers every datagram; on SIGTERM
//                                                              or after seconds prints {"received": n}
//   node lab/link-probe.ts udp-rtt <ip> <port> <count> <gap-ms> sends count probes gap-ms apart,
//                                                              prints {"sent", "rtts_ms"}
//   node lab/link-probe.ts tcp-sink <ip> <port> <seconds>      prints {"bytes", "sha256"} of the
//                                                              first connection's stream
//   node lab/link-probe.ts tcp-send <ip> <port> <bytes>        sends bytes of a fixed pattern,
//                                                              prints {"sha256", "connect_ms"}
import { createHash } from "node:crypto";
import { createSocket } from "node:dgram";
import { connect, createServer } from "node:net";

/** The bytes tcp-send sends: a pattern no offload bug can turn into itself. */
export function probePattern(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 131 + (i >> 8)) & 0xff;
  return b;
}

const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

function udpEcho(ip: string, port: number, seconds: number): void {
  const sock = createSocket("udp4");
  let received = 0;
  sock.on("message", (msg, from) => {
    received++;
    sock.send(msg, from.port, from.address);
  });
  sock.bind(port, ip, () => print({ listening: true }));
  const end = () => {
    print({ received });
    process.exit(0);
  };
  // Stopped by its PID (SIGTERM) once the client is done, or at the latest after `seconds`.
  process.once("SIGTERM", end);
  setTimeout(end, seconds * 1000);
}

function udpRtt(ip: string, port: number, count: number, gapMs: number): void {
  const sock = createSocket("udp4");
  const sentAt = new Map<number, bigint>();
  const rtts: number[] = [];
  sock.on("message", (msg) => {
    const t = sentAt.get(msg.readUInt32BE(0));
    if (t !== undefined) rtts.push(Number(process.hrtime.bigint() - t) / 1e6);
  });
  let seq = 0;
  const tick = setInterval(() => {
    if (seq === count) return;
    const msg = Buffer.alloc(64);
    msg.writeUInt32BE(seq, 0);
    sentAt.set(seq++, process.hrtime.bigint());
    sock.send(msg, port, ip);
  }, gapMs);
  const finish = () => {
    clearInterval(tick);
    clearInterval(done);
    clearTimeout(deadline);
    print({ sent: seq, rtts_ms: rtts });
    sock.close();
  };
  const done = setInterval(() => rtts.length === count && finish(), 20);
  // When some are lost: long enough after the last probe for a reply at any round trip the lab
  // sets (--rtt-ms ≤ 2000).
  const deadline = setTimeout(finish, count * gapMs + 2500);
}

function tcpSink(ip: string, port: number, seconds: number): void {
  const hash = createHash("sha256");
  let bytes = 0;
  const server = createServer((s) => {
    s.on("data", (d) => {
      bytes += d.length;
      hash.update(d);
    });
    s.on("end", () => {
      print({ bytes, sha256: hash.digest("hex") });
      server.close();
      process.exit(0);
    });
  });
  server.listen(port, ip, () => print({ listening: true }));
  setTimeout(() => {
    print({ bytes, error: "timed out" });
    process.exit(1);
  }, seconds * 1000);
}

function tcpSend(ip: string, port: number, bytes: number): void {
  const data = probePattern(bytes);
  const t0 = performance.now();
  const s = connect(port, ip, () => {
    const connectMs = performance.now() - t0;
    s.end(data, () => print({ sha256: createHash("sha256").update(data).digest("hex"), connect_ms: connectMs }));
  });
  s.setTimeout(20_000, () => s.destroy(new Error("timed out")));
  s.on("error", (e) => {
    print({ error: e.message });
    process.exit(1);
  });
}

if (import.meta.main) {
  const [mode, ip = "", port = "0", a = "0", b = "0"] = process.argv.slice(2);
  if (mode === "udp-echo") udpEcho(ip, Number(port), Number(a));
  else if (mode === "udp-rtt") udpRtt(ip, Number(port), Number(a), Number(b));
  else if (mode === "tcp-sink") tcpSink(ip, Number(port), Number(a));
  else if (mode === "tcp-send") tcpSend(ip, Number(port), Number(a));
  else {
    console.error("usage: node lab/link-probe.ts udp-echo|udp-rtt|tcp-sink|tcp-send …");
    process.exit(2);
  }
}
