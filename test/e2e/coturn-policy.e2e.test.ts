// The shipped production coturn config (turn/turnserver.conf), started as it is with `-c`, must
// refuse to relay into the server's own networks (SSRF through TURN) and refuse expired TURN
// REST credentials. Only what a loopback test host needs is overridden on the command line:
// listening/relay IP, ports, realm, secret, no TLS (no certificates here), log and pid paths.
// Never --allow-loopback-peers. Nothing is sent to any peer: permissions only.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCoturn, type Coturn } from "../../scripts/lib/coturn.ts";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";
import { ATTR, CLASS, decode, encode, errorCode, longTermKey, METHOD, readXorAddress, restCredential, TurnClient, xorAddress } from "./support/turn-client.ts";
import { createHmac, randomBytes } from "node:crypto";

const SECRET = randomBytes(18).toString("base64url");
let coturn: Coturn;
const clients: TurnClient[] = [];

beforeAll(async () => {
  coturn = await startCoturn({ secret: SECRET, configFile: path.join(REPO_ROOT, "turn", "turnserver.conf"), name: "policy" });
  // The production file must not allow loopback peers, and the launcher did not add it.
  expect(coturn.process.child.spawnargs).not.toContain("--allow-loopback-peers");
});

afterAll(async () => {
  for (const c of clients) c.close();
  await coturn?.stop();
});

async function allocated(id = `policy-${randomBytes(4).toString("hex")}`): Promise<TurnClient> {
  const client = await TurnClient.open({ ip: "127.0.0.1", port: coturn.port });
  clients.push(client);
  const { username, password } = restCredential(SECRET, id, Math.floor(Date.now() / 1000) + 600);
  const res = await client.allocate(username, password);
  expect(res, coturn.log().slice(-1500)).toMatchObject({ ok: true });
  return client;
}

describe("the TURN client's codec", () => {
  it("round-trips a signed request and its XOR addresses", () => {
    const key = longTermKey("u", "r", "p");
    const bytes = encode({ method: METHOD.createPermission, cls: CLASS.request, transactionId: randomBytes(12), attributes: [{ type: ATTR.xorPeerAddress, value: xorAddress({ ip: "203.0.113.5", port: 4242 }) }] }, key);
    const msg = decode(bytes)!;
    expect(msg.method).toBe(METHOD.createPermission);
    expect(msg.cls).toBe(CLASS.request);
    expect(readXorAddress(msg.attributes[0]!.value)).toEqual({ ip: "203.0.113.5", port: 4242 });
    // MESSAGE-INTEGRITY covers everything before it, with the length counting itself.
    const mac = createHmac("sha1", key).update(bytes.subarray(0, bytes.length - 24)).digest();
    expect(Buffer.compare(mac, msg.attributes[1]!.value)).toBe(0);
    expect(errorCode(msg)).toBeUndefined();
  });
});

describe("coturn with the shipped turn/turnserver.conf", () => {
  it("allocates a relay for a fresh TURN REST credential", async () => {
    const client = await TurnClient.open({ ip: "127.0.0.1", port: coturn.port });
    clients.push(client);
    const { username, password } = restCredential(SECRET, "policy-fresh", Math.floor(Date.now() / 1000) + 600);
    const res = await client.allocate(username, password);
    expect(res).toMatchObject({ ok: true, relayed: { ip: "127.0.0.1" } });
    // Release it at once (lifetime 0), as the agent does at session end.
    expect(await client.refresh(0)).toEqual({ ok: true });
  });

  it("refuses to relay to loopback: permission for 127.0.0.1 is 403 Forbidden", async () => {
    const client = await allocated();
    expect(await client.createPermission("127.0.0.1")).toMatchObject({ ok: false, code: 403 });
  });

  it.each(["10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "169.254.169.254"])("refuses to relay to the private address %s (403)", async (ip) => {
    const client = await allocated();
    expect(await client.createPermission(ip)).toMatchObject({ ok: false, code: 403 });
  });

  it("allows a permission for a public address (203.0.113.5, TEST-NET-3; no data is sent)", async () => {
    const client = await allocated();
    expect(await client.createPermission("203.0.113.5")).toEqual({ ok: true });
  });

  it("answers 401 to an Allocate with an expired credential", async () => {
    const client = await TurnClient.open({ ip: "127.0.0.1", port: coturn.port });
    clients.push(client);
    const { username, password } = restCredential(SECRET, "policy-expired", Math.floor(Date.now() / 1000) - 5);
    expect(await client.allocate(username, password)).toMatchObject({ ok: false, code: 401 });
  });

  it("answers 401 to a credential signed with another secret", async () => {
    const client = await TurnClient.open({ ip: "127.0.0.1", port: coturn.port });
    clients.push(client);
    const { username, password } = restCredential("not-the-secret", "policy-forged", Math.floor(Date.now() / 1000) + 600);
    expect(await client.allocate(username, password)).toMatchObject({ ok: false, code: 401 });
  });
});
