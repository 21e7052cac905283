// The grant carries a display label for other viewers ("alice is talking"): the account's email
// local part for signed-in people, never the whole address; a fixed label for access-code viewers.
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import type { CreateSessionResponse } from "../../protocol/index.ts";
import { grantNameForEmail } from "../src/auth/ticket.ts";
import { claim, requestUserSession, signUp, uniqueEmail } from "./support/accounts.ts";
import { connectDevice, requestSession } from "./support/connect.ts";
import { provisionDevice, setCodeViewing } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

async function grantClaims(res: Response): Promise<Record<string, unknown>> {
  expect(res.status, await res.clone().text()).toBe(201);
  return decodeJwt(((await res.json()) as CreateSessionResponse).ticket);
}

describe("the grant's display name", () => {
  it("names a signed-in viewer by their email's local part, not the whole address", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const email = uniqueEmail("alice");
    const owner = await signUp(email);
    await claim(owner, device);
    const claims = await grantClaims(await requestUserSession(owner, device.serial));
    expect(claims.name).toBe(email.split("@")[0]);
    expect(JSON.stringify(claims)).not.toContain("@example.test");
  });

  it("names an access-code viewer \"Access-code viewer\"", async () => {
    const device = await provisionDevice();
    await setCodeViewing(device.serial, true);
    await connectDevice(device);
    const claims = await grantClaims(await requestSession(device.serial, device.accessCode));
    expect(claims).toMatchObject({ role: "code", name: "Access-code viewer" });
  });

  it("keeps a label within the 128 characters the device accepts", () => {
    expect(grantNameForEmail(`${"a".repeat(200)}@example.test`)).toHaveLength(128);
    expect(grantNameForEmail("@example.test")).toBe("Someone");
  });
});
