// The camera's NAT behaviour report (issue 11): a device's `status` frame is validated like every
// frame and its NAT report kept on the devices row in D1, the latest one winning.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { NatStatus } from "../../protocol/index.ts";
import { connectDevice } from "./support/connect.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

afterEach(closeAllSockets);

const PRC: NatStatus = { natType: "port-restricted-cone", mapping: "endpoint-independent", filtering: "address-and-port-dependent", hairpinning: false, udpBlocked: false, rfc5780: true, at: 1_796_600_000_000 };

async function natInD1(serial: string): Promise<{ nat: NatStatus | null; at: number | null }> {
  const row = await env.DB.prepare("SELECT nat_status, nat_status_at FROM devices WHERE serial = ?").bind(serial).first<{ nat_status: string | null; nat_status_at: number | null }>();
  return { nat: row?.nat_status ? (JSON.parse(row.nat_status) as NatStatus) : null, at: row?.nat_status_at ?? null };
}

describe("device status (NAT behaviour)", () => {
  it("keeps the camera's latest NAT report on its devices row", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    expect(await natInD1(device.serial)).toEqual({ nat: null, at: null });
    const before = Date.now();

    socket.send({ type: "status", nat: PRC });
    const first = await eventually(() => natInD1(device.serial), (r) => r.nat !== null);
    expect(first.nat).toEqual(PRC);
    expect(first.at).toBeGreaterThanOrEqual(before - 1000);

    const symmetric: NatStatus = { ...PRC, natType: "symmetric", mapping: "address-and-port-dependent", at: PRC.at + 1 };
    socket.send({ type: "status", nat: symmetric });
    expect((await eventually(() => natInD1(device.serial), (r) => r.nat?.natType === "symmetric")).nat).toEqual(symmetric);
  });

  it("closes a device whose status names a NAT type the protocol does not know, with 1008, and stores nothing", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);

    socket.send({ type: "status", nat: { ...PRC, natType: "very-strict" } });

    const closed = await socket.waitClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^malformed_message/);
    expect(await natInD1(device.serial)).toEqual({ nat: null, at: null });
  });
});
