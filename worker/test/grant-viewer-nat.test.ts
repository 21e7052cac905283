// The viewer's self-measured NAT travels to the camera inside the grant (`vnat`), so a camera can
// skip waiting for a direct path that both NATs rule out. Validated like every other field.
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { VIEWER_NAT_CLAIM, type CreateSessionResponse } from "../../protocol/index.ts";
import { connectDevice } from "./support/connect.ts";
import { postJson } from "./support/http.ts";
import { provisionDevice, setCodeViewing } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

const SYMMETRIC = { mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", udpBlocked: false } as const;

async function readyCamera() {
  const device = await provisionDevice();
  await setCodeViewing(device.serial, true);
  await connectDevice(device);
  return device;
}

describe("the viewer's NAT in the grant", () => {
  it("copies a measured viewer NAT into the grant for the camera", async () => {
    const device = await readyCamera();
    const res = await postJson("/api/sessions", { serial: device.serial, accessCode: device.accessCode, viewerNat: SYMMETRIC });
    expect(res.status, await res.clone().text()).toBe(201);
    const claims = decodeJwt(((await res.json()) as CreateSessionResponse).ticket);
    expect(claims[VIEWER_NAT_CLAIM]).toEqual(SYMMETRIC);
  });

  it("leaves the claim out when the viewer has not measured its NAT", async () => {
    const device = await readyCamera();
    const res = await postJson("/api/sessions", { serial: device.serial, accessCode: device.accessCode });
    const claims = decodeJwt(((await res.json()) as CreateSessionResponse).ticket);
    expect(claims).not.toHaveProperty(VIEWER_NAT_CLAIM);
  });

  it("refuses a malformed viewer NAT with bad_request rather than signing it", async () => {
    const device = await readyCamera();
    const res = await postJson("/api/sessions", { serial: device.serial, accessCode: device.accessCode, viewerNat: { mapping: "<script>", filtering: 1, udpBlocked: "no" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request");
  });
});
