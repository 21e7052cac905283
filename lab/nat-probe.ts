// Why: the lab asks the camera's host what NAT it is behind with the agent's own discovery code
// (device-agent/src/nat), run inside the camera's namespace (`ip netns exec`), so the verdict
// comes from real packets through the router's real nftables NAT. Prints one JSON line.
//   args: <stun host> <stun port> [timeout ms per request]
import { discoverNatBehavior } from "../device-agent/src/nat/index.ts";

async function main(): Promise<void> {
  const [host, port, timeoutMs] = process.argv.slice(2);
  if (!host || !port) throw new Error("usage: nat-probe.ts <stun host> <stun port> [timeout ms]");
  const report = await discoverNatBehavior({ stunServer: [host, Number(port)], ...(timeoutMs ? { timeoutMs: Number(timeoutMs) } : {}) });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
