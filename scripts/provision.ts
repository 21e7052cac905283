// Why: `npm run provision -- ...` — the vendor CLI. Creates the vendor key on first use,
// registers it, creates cameras and prints each camera's credential and label access code.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SerialSchema, VENDOR_ALGORITHMS, type VendorAlgorithm } from "../protocol/index.ts";
import { parseDevVars } from "./lib/dev-vars.ts";
import { DEV_VARS_PATH } from "./lib/paths.ts";
import { EdgeRequestError } from "./provision/edge-client.ts";
import { DEFAULT_TOKEN_DAYS, DEFAULT_VENDOR_KEY_DIR, provisionDevice, reissueDeviceToken, revokeDevice, rotateVendorKey } from "./provision/provision.ts";

const USAGE = `Usage: npm run provision -- [command] [options]

Commands:
  device   (default) create a camera: prints its serial, access code and device token
  token    mint a new device token for an existing camera; every older token of that camera
           stops working at once (the edge bumps its token version and closes its socket)
  revoke   revoke a camera: its token stops working and its socket is closed
  rotate-key
           give the vendor a new signing key; the old one is kept as <vendor>.<kid>.private.jwk.json
           and still verifies tokens until --previous-valid-until (default: 30 days)

Options:
  --serial <s>        camera serial (default: a random PH-XXXXXXXX for "device")
  --name <text>       camera name shown in the app
  --vendor <name>     vendor name (default: demo-vendor); its key is kept in ${DEFAULT_VENDOR_KEY_DIR}
  --alg <ES256|EdDSA> algorithm of a new vendor key (default: ES256)
  --edge <url>        edge URL (default: $PORTHOLE_EDGE_URL, as the agent reads it, or
                      http://127.0.0.1:8787; $PORTHOLE_EDGE is still read, as before)
  --admin-token <t>   operator token (default: $PORTHOLE_ADMIN_TOKEN, else .dev.vars for a local edge)
  --token-days <n>    device token lifetime in days (default: ${DEFAULT_TOKEN_DAYS})
  --key-dir <dir>     where vendor private keys are kept
  --previous-valid-until <ISO time>
                      rotate-key: when the old key stops verifying (a past time retires it now)
  --json              print JSON instead of text
  -h, --help`;

function fail(message: string, code = 2): never {
  process.stderr.write(`provision: ${message}\n`);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        serial: { type: "string" },
        name: { type: "string" },
        vendor: { type: "string", default: "demo-vendor" },
        alg: { type: "string", default: "ES256" },
        edge: { type: "string" },
        "admin-token": { type: "string" },
        "token-days": { type: "string", default: String(DEFAULT_TOKEN_DAYS) },
        "key-dir": { type: "string", default: DEFAULT_VENDOR_KEY_DIR },
        "previous-valid-until": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
})();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const command = positionals[0] ?? "device";
if (!["device", "token", "revoke", "rotate-key"].includes(command) || positionals.length > 1) fail(`unknown command ${positionals.join(" ")}\n\n${USAGE}`);

// One variable for the edge across the tools: the agent's PORTHOLE_EDGE_URL; PORTHOLE_EDGE was
// this CLI's own name and still works.
const edge = values.edge ?? process.env.PORTHOLE_EDGE_URL ?? process.env.PORTHOLE_EDGE ?? "http://127.0.0.1:8787";
let edgeUrl: URL;
try {
  edgeUrl = new URL(edge);
} catch {
  fail(`--edge ${edge} is not a URL`);
}
const alg = values.alg as VendorAlgorithm;
if (!VENDOR_ALGORITHMS.includes(alg)) fail(`--alg must be one of ${VENDOR_ALGORITHMS.join(", ")}`);
const tokenDays = Number(values["token-days"]);
if (!Number.isFinite(tokenDays) || tokenDays <= 0 || tokenDays > 3650) fail("--token-days must be a number of days between 1 and 3650");

function adminToken(): string {
  const given = values["admin-token"] ?? process.env.PORTHOLE_ADMIN_TOKEN;
  if (given) return given;
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(edgeUrl.hostname);
  if (local && existsSync(DEV_VARS_PATH)) {
    const token = parseDevVars(readFileSync(DEV_VARS_PATH, "utf8")).ADMIN_TOKEN;
    if (token) return token;
  }
  return fail("no operator token: pass --admin-token or set PORTHOLE_ADMIN_TOKEN (a local edge's is in .dev.vars after npm start)");
}

function serialOrFail(required: boolean): string {
  const serial = values.serial ?? (required ? fail(`${command} needs --serial`) : `PH-${Math.random().toString(36).slice(2, 10).toUpperCase()}`);
  const parsed = SerialSchema.safeParse(serial);
  if (!parsed.success) fail(`--serial ${serial} is not a valid serial: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

const base = { edge: edgeUrl.origin, vendor: values.vendor, adminToken: adminToken(), keyDir: values["key-dir"], alg, tokenDays };
try {
  if (command === "device") {
    const r = await provisionDevice({ ...base, serial: serialOrFail(false), ...(values.name ? { name: values.name } : {}) });
    if (values.json) console.log(JSON.stringify(r, null, 2));
    else {
      console.log(`Camera ${r.serial} created for vendor ${values.vendor} (${r.vendorId}).

  Access code (print it on the label; shown only now):  ${r.accessCode}
  Device token (expires ${r.tokenExpiresAt}):

${r.token}

Run the agent:
  PORTHOLE_DEVICE_TOKEN=<token> npm run agent -- --edge ${base.edge} --serial ${r.serial} --source demo`);
    }
  } else if (command === "token") {
    const r = await reissueDeviceToken({ ...base, serial: serialOrFail(true) });
    console.log(values.json ? JSON.stringify(r, null, 2) : r.token);
  } else if (command === "rotate-key") {
    const until = values["previous-valid-until"];
    if (until !== undefined && Number.isNaN(Date.parse(until))) fail(`--previous-valid-until ${until} is not an ISO time`);
    const r = await rotateVendorKey({ ...base, ...(until ? { previousKeyValidUntil: new Date(until).toISOString() } : {}) });
    if (values.json) console.log(JSON.stringify(r, null, 2));
    else {
      console.log(`Vendor ${values.vendor} now signs with key ${r.kid} (${r.vendorKeyFile}).
The previous key ${r.previousKid} is kept in ${r.previousKeyFile} and verifies until ${r.previousKeyValidUntil ?? "(it was not current)"}.
Re-issue device tokens (npm run provision -- token --serial …) before then.`);
    }
  } else {
    const serial = serialOrFail(true);
    await revokeDevice({ ...base, serial });
    console.log(values.json ? JSON.stringify({ serial, revoked: true }) : `Camera ${serial} revoked.`);
  }
} catch (error) {
  if (error instanceof EdgeRequestError) fail(error.message, 1);
  fail(error instanceof Error ? error.message : String(error), 1);
}
