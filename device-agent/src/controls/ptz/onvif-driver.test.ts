import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../log.ts";
import { ControlFailure } from "../control-failure.ts";
import { createOnvifDriver, type OnvifDriverOptions } from "./onvif-driver.ts";
import { startFixtureCamera, type FixtureCamera, type FixtureCameraOptions, type RecordedRequest } from "./onvif-fixture-server.ts";
import { attr, descendant, parseXml, textOf } from "./xml-extract.ts";

const USER = "admin";
const PASSWORD = "Hunter2-not-in-logs";

const cameras: FixtureCamera[] = [];
afterEach(async () => {
  await Promise.all(cameras.splice(0).map((c) => c.close()));
});

async function camera(o: Omit<FixtureCameraOptions, "username" | "password">): Promise<FixtureCamera> {
  const c = await startFixtureCamera({ username: USER, password: PASSWORD, ...o });
  cameras.push(c);
  return c;
}

function connect(cam: FixtureCamera, extra: Partial<OnvifDriverOptions> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", sink: (l) => lines.push(l) });
  return { lines, driver: createOnvifDriver({ url: cam.url, username: USER, password: PASSWORD, logger, ...extra }) };
}

async function failure(p: Promise<unknown>): Promise<ControlFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ControlFailure);
    return e as ControlFailure;
  }
  throw new Error("expected a ControlFailure");
}

const body = (r: RecordedRequest | undefined) => parseXml(r?.body ?? "");
const last = (cam: FixtureCamera, op: string) => cam.requests.filter((r) => r.op === op).at(-1);
const ptzText = (r: RecordedRequest | undefined, name: string) => textOf(descendant(body(r), name));

describe("ONVIF driver against a Hikvision-style camera (WS-Security)", () => {
  it("discovers the PTZ service and profile, rebasing the camera's LAN addresses onto the URL it was given", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const { driver, lines } = connect(cam);
    const d = await driver;
    expect(d.kind).toBe("onvif");
    expect(cam.ops()).toEqual(["GetCapabilities", "GetProfiles"]);
    expect(cam.requests.map((r) => r.path)).toEqual(["/onvif/device_service", "/onvif/Media"]);
    await d.stop();
    expect(last(cam, "Stop")?.path).toBe("/onvif/PTZ");
    expect(lines.some((l) => l.includes("onvif_ready") && l.includes("Profile_1"))).toBe(true);
  });

  it("signs every request with a UsernameToken digest that verifies with the password", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const { driver, lines } = connect(cam);
    const d = await driver;
    await d.status();
    expect(cam.requests.every((r) => r.auth === "wsse-ok")).toBe(true);
    // Recompute the digest here too: Base64(SHA-1(nonce ‖ created ‖ password)).
    const sec = body(last(cam, "GetStatus"));
    const nonce = Buffer.from(textOf(descendant(sec, "Nonce")) ?? "", "base64");
    const created = textOf(descendant(sec, "Created")) ?? "";
    expect(nonce.length).toBe(16);
    expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(5_000);
    expect(textOf(descendant(sec, "Password"))).toBe(createHash("sha1").update(nonce).update(created).update(PASSWORD).digest("base64"));
    expect(new Set(cam.requests.map((r) => textOf(descendant(body(r), "Nonce")))).size).toBe(cam.requests.length);
    for (const r of cam.requests) expect(r.body).not.toContain(PASSWORD);
    for (const l of lines) expect(l).not.toContain(PASSWORD);
  });

  it("moves with the profile's token and the velocities encoded, and stops pan/tilt and zoom", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const d = await connect(cam).driver;
    await d.move({ pan: 0.5, tilt: -0.25, zoom: 0 });
    const move = body(last(cam, "ContinuousMove"));
    expect(textOf(descendant(move, "ProfileToken"))).toBe("Profile_1");
    const velocity = descendant(move, "Velocity");
    expect(attr(descendant(velocity, "PanTilt"), "x")).toBe("0.5");
    expect(attr(descendant(velocity, "PanTilt"), "y")).toBe("-0.25");
    expect(attr(descendant(velocity, "Zoom"), "x")).toBe("0");
    expect(last(cam, "ContinuousMove")?.headers["content-type"]).toContain('action="http://www.onvif.org/ver20/ptz/wsdl/ContinuousMove"');
    await d.move({ pan: 0, tilt: 0, zoom: -1 / 3 });
    expect(attr(descendant(body(last(cam, "ContinuousMove")), "Zoom"), "x")).toBe("-0.3333");
    await d.stop();
    const stop = last(cam, "Stop");
    expect([ptzText(stop, "ProfileToken"), ptzText(stop, "PanTilt"), ptzText(stop, "Zoom")]).toEqual(["Profile_1", "true", "true"]);
    const err = await failure(d.move({ pan: 2, tilt: 0, zoom: 0 }));
    expect(err.code).toBe("invalid_value");
  });

  it("reads position, move state and presets from the camera's answers", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const d = await connect(cam).driver;
    expect(await d.status()).toEqual({ position: { pan: 0.253333, tilt: -0.466667, zoom: 0.125 }, moving: false });
    expect(await d.presets()).toEqual([
      { token: "1", name: "Front door" },
      { token: "2", name: "Driveway" },
      { token: "3", name: "Garden & shed" },
    ]);
  });

  it("reads the preset list once for repeated status polls, and again after a preset changes or the cache ages", async () => {
    // No auth here: the test moves the driver's clock, which WS-Security would (rightly) reject.
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "none" });
    let t = Date.now();
    const d = await connect(cam, { now: () => new Date(t) }).driver;
    const count = () => cam.ops().filter((o) => o === "GetPresets").length;
    await Promise.all([d.presets(), d.presets()]);
    await d.presets();
    expect(count()).toBe(1);
    await d.savePreset("Porch");
    await d.presets();
    expect(count()).toBe(2);
    await d.removePreset("1");
    await d.presets();
    expect(count()).toBe(3);
    t += 10_001;
    await d.presets();
    expect(count()).toBe(4);
  });

  it("saves, goes to and removes presets, and goes home, with the tokens sent as given", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const d = await connect(cam).driver;
    expect(await d.savePreset("Porch & steps")).toEqual({ token: "4", name: "Porch & steps" });
    expect(ptzText(last(cam, "SetPreset"), "PresetName")).toBe("Porch & steps");
    expect(descendant(body(last(cam, "SetPreset")), "PresetToken")).toBeUndefined();
    await d.savePreset("Driveway", "2");
    expect(ptzText(last(cam, "SetPreset"), "PresetToken")).toBe("2");
    await d.gotoPreset("2");
    expect(ptzText(last(cam, "GotoPreset"), "PresetToken")).toBe("2");
    await d.removePreset("3");
    expect(ptzText(last(cam, "RemovePreset"), "PresetToken")).toBe("3");
    await d.home();
    expect(ptzText(last(cam, "GotoHomePosition"), "ProfileToken")).toBe("Profile_1");
  });

  it("turns an unknown preset's ter:NoToken fault into not_found with the camera's words", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const { driver, lines } = connect(cam);
    const err = await failure((await driver).gotoPreset("99"));
    expect(err.code).toBe("not_found");
    expect(err.message).toBe("The requested preset token does not exist.");
    expect(lines.some((l) => l.includes("onvif_fault") && l.includes("ter:NoToken"))).toBe(true);
  });

  it("re-reads the camera's clock once when it rejects the token, then signs with the camera's time", async () => {
    // The fixture camera's clock reads 2026-11-26T09:41:07Z (its GetSystemDateAndTime.xml); ours is 2 h behind.
    const started = Date.now();
    const cameraNow = () => new Date(Date.UTC(2026, 10, 26, 9, 41, 7) + (Date.now() - started));
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse", clock: cameraNow });
    const { driver, lines } = connect(cam, { now: () => new Date(cameraNow().getTime() - 2 * 3600_000) });
    const d = await driver;
    await d.status();
    await d.presets();
    expect(cam.ops()).toEqual(["GetCapabilities", "GetSystemDateAndTime", "GetCapabilities", "GetProfiles", "GetStatus", "GetPresets"]);
    expect(cam.requests.map((r) => r.auth)).toEqual(["wsse-bad", "none", "wsse-ok", "wsse-ok", "wsse-ok", "wsse-ok"]);
    expect(descendant(body(cam.requests[1]), "Security")).toBeUndefined(); // pre-auth, sent bare
    const created = Date.parse(textOf(descendant(body(last(cam, "GetPresets")), "Created")) ?? "");
    expect(Math.abs(created - cameraNow().getTime())).toBeLessThan(2_000);
    expect(lines.some((l) => l.includes("onvif_clock_offset") && l.includes("+7200 s"))).toBe(true);
  });

  it("refuses with the camera's reason when the password is wrong, trying the clock only once", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const logger = createLogger({ sink: () => {} });
    const err = await failure(createOnvifDriver({ url: cam.url, username: USER, password: "wrong", logger }));
    expect(err.code).toBe("device_refused");
    expect(err.message).toBe("The action requested requires authorization and the sender is not authorized");
    expect(cam.ops().filter((o) => o === "GetSystemDateAndTime")).toHaveLength(1);
  });

  it("gives up on a silent camera after the request timeout with a timeout failure", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse", hang: ["GetStatus"] });
    const d = await connect(cam, { timeoutMs: 300 }).driver;
    const t0 = Date.now();
    const err = await failure(d.status());
    expect(err.code).toBe("timeout");
    expect(err.message).toMatch(/GetStatus within 0.3 s/);
    expect(Date.now() - t0).toBeLessThan(3_000);
    const cam2 = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse", hang: ["GetCapabilities"] });
    expect((await failure(connect(cam2, { timeoutMs: 300 }).driver)).code).toBe("timeout");
  });

  it("reports a camera that is not listening as unavailable", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    await cam.close();
    const err = await failure(connect(cam).driver);
    expect(err.code).toBe("unavailable");
    expect(err.message).toContain("127.0.0.1");
  });
});

describe("ONVIF driver against a Dahua-style camera (HTTP Digest only)", () => {
  it("falls back to HTTP Digest after the 401 and keeps using it without WS-Security", async () => {
    const cam = await camera({ model: "dahua-sd22204t-gn", auth: "digest" });
    const { driver, lines } = connect(cam);
    const d = await driver;
    await d.status();
    expect(cam.ops()).toEqual(["GetCapabilities", "GetCapabilities", "GetProfiles", "GetStatus"]);
    expect(cam.requests.map((r) => r.auth)).toEqual(["digest-challenged", "digest-ok", "digest-ok", "digest-ok"]);
    expect(cam.requests.slice(1).every((r) => !r.body.includes("UsernameToken"))).toBe(true);
    expect(cam.requests.map((r) => /nc=(\w+)/.exec(String(r.headers.authorization))?.[1])).toEqual([undefined, "00000001", "00000002", "00000003"]);
    expect(lines.some((l) => l.includes("onvif_auth_digest"))).toBe(true);
    for (const l of lines) expect(l).not.toContain(PASSWORD);
  });

  it("answers a fresh challenge when the camera's nonce goes stale, without the caller noticing", async () => {
    const cam = await camera({ model: "dahua-sd22204t-gn", auth: "digest", nonceUses: 2 });
    const d = await connect(cam).driver;
    await d.stop();
    await d.stop();
    expect(cam.requests.map((r) => r.auth)).toEqual(["digest-challenged", "digest-ok", "digest-ok", "digest-stale", "digest-ok", "digest-ok"]);
    expect(cam.requests.map((r) => /nc=(\w+)/.exec(String(r.headers.authorization))?.[1])).toEqual([undefined, "00000001", "00000002", "00000003", "00000001", "00000002"]);
  });

  it("reads its pretty-printed answers: gSOAP prefixes, CRLF, CDATA, an unnamed preset and a moving head", async () => {
    const cam = await camera({ model: "dahua-sd22204t-gn", auth: "digest" });
    const d = await connect(cam).driver;
    expect(await d.status()).toEqual({ position: { pan: -0.4833333, tilt: 0.2111111, zoom: 0.0666667 }, moving: true });
    expect(await d.presets()).toEqual([
      { token: "1", name: "Gate" },
      { token: "2", name: "Preset 2" },
      { token: "10", name: "Parking <east>" },
    ]);
    expect(await d.savePreset("Road")).toEqual({ token: "11", name: "Road" });
    expect(ptzText(last(cam, "SetPreset"), "ProfileToken")).toBe("MediaProfile000");
    const err = await failure(d.removePreset("7"));
    expect([err.code, err.message]).toEqual(["not_found", "The requested preset token does not exist"]);
  });

  it("uses the media profile it is told to, and names the profiles when that one does not exist", async () => {
    const cam = await camera({ model: "dahua-sd22204t-gn", auth: "digest" });
    const d = await connect(cam, { profileToken: "MediaProfile001" }).driver;
    await d.home();
    expect(ptzText(last(cam, "GotoHomePosition"), "ProfileToken")).toBe("MediaProfile001");
    const err = await failure(connect(cam, { profileToken: "Profile_9" }).driver);
    expect(err.code).toBe("not_found");
    expect(err.message).toContain("MediaProfile000, MediaProfile001");
  });
});

describe("ONVIF driver against a camera that refuses commands (Reolink-style)", () => {
  it("finds PTZ through GetServices when GetCapabilities does not list it", async () => {
    const cam = await camera({ model: "reolink-e1-zoom", auth: "wsse" });
    const d = await connect(cam).driver;
    expect(cam.ops()).toEqual(["GetCapabilities", "GetServices", "GetProfiles"]);
    await d.gotoPreset("preset_002");
    expect(last(cam, "GotoPreset")?.path).toBe("/onvif/ptz_service");
    expect(ptzText(last(cam, "GotoPreset"), "ProfileToken")).toBe("Profile000_MainStream");
    expect(await d.presets()).toEqual([
      { token: "preset_001", name: "Sofa" },
      { token: "preset_002", name: "Front window" },
      { token: "preset_003", name: "Cat bed" },
    ]);
    // No Position in its GetStatus: centred and wide, idle.
    expect(await d.status()).toEqual({ position: { pan: 0, tilt: 0, zoom: 0 }, moving: false });
  });

  it("refuses SetPreset with the camera's TooManyPresets reason, and GotoHomePosition with NoHomePosition", async () => {
    const cam = await camera({ model: "reolink-e1-zoom", auth: "wsse" });
    const { driver, lines } = connect(cam);
    const d = await driver;
    const full = await failure(d.savePreset("Hallway"));
    expect([full.code, full.message]).toEqual(["device_refused", "Maximum number of presets reached"]);
    expect(last(cam, "SetPreset")?.status).toBe(500);
    expect(lines.some((l) => l.includes("ter:TooManyPresets"))).toBe(true);
    const home = await failure(d.home());
    expect([home.code, home.message]).toEqual(["device_refused", "No home position has been defined for this profile"]);
    // A refusal is one answer, not a broken driver.
    await d.stop();
  });
});

describe("ONVIF driver against a camera without PTZ", () => {
  it("is unsupported when neither GetCapabilities nor GetServices lists a PTZ service", async () => {
    const cam = await camera({ model: "hikvision-ds-2cd2043g2-bullet", auth: "wsse" });
    const err = await failure(connect(cam).driver);
    expect(err.code).toBe("unsupported");
    expect(err.message).toBe("The camera has no ONVIF PTZ service");
    expect(cam.ops()).toEqual(["GetCapabilities", "GetServices"]);
  });

  it("is unsupported when no media profile has a PTZ configuration (ter:NoPTZProfile)", async () => {
    // The Hikvision-style dome's PTZ service with the bullet's profiles: profiles without PTZConfiguration.
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse", override: { GetProfiles: "hikvision-ds-2cd2043g2-bullet/GetProfiles.xml" } });
    const err = await failure(connect(cam).driver);
    expect(err.code).toBe("unsupported");
    expect(err.message).toContain("ter:NoPTZProfile");
  });
});

describe("ONVIF driver against shapes seen in public captures of real cameras (fixtures/onvif/quirks)", () => {
  it("drives a camera that serves every service at one shared address", async () => {
    // Reolink-style GetCapabilities without PTZ, then a GetServices listing one XAddr for all
    // services: PTZ comes from GetServices; media keeps the address GetCapabilities already gave.
    const cam = await camera({ model: "reolink-e1-zoom", auth: "wsse", override: { GetServices: "quirks/GetServices-shared-xaddr.xml" } });
    const d = await connect(cam).driver;
    await d.stop();
    expect(cam.requests.map((r) => [r.op, r.path])).toEqual([
      ["GetCapabilities", "/onvif/device_service"],
      ["GetServices", "/onvif/device_service"],
      ["GetProfiles", "/onvif/media_service"],
      ["Stop", "/onvif/services"],
    ]);
  });

  it("reports idle from a GetStatus without MoveStatus, and a preset token from a reply echoing the Security header", async () => {
    const cam = await camera({
      model: "hikvision-ds-2de2a404iw",
      auth: "wsse",
      override: { GetStatus: "quirks/GetStatus-no-MoveStatus.xml", SetPreset: "quirks/SetPreset-echoed-security-header.xml" },
    });
    const d = await connect(cam).driver;
    expect(await d.status()).toEqual({ position: { pan: 0.4375, tilt: -0.125, zoom: 0.0625 }, moving: false });
    expect(await d.savePreset("Porch")).toEqual({ token: "12", name: "Porch" });
    expect(ptzText(last(cam, "SetPreset"), "PresetToken")).toBeUndefined();
  });

  it("maps a SOAP 1.1 fault carrying ter:NoToken to not_found with the camera's faultstring", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse", override: { GotoPreset: "quirks/fault-soap11-NoToken.xml" } });
    const d = await connect(cam).driver;
    const err = await failure(d.gotoPreset("2"));
    expect([err.code, err.message]).toEqual(["not_found", "No such preset"]);
    await d.stop();
  });
});

describe("ONVIF driver lifecycle", () => {
  it("stops a move still running when closed, and refuses calls afterwards", async () => {
    const cam = await camera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const d = await connect(cam).driver;
    await d.move({ pan: 0, tilt: 0.4, zoom: 0 });
    await d.close();
    expect(cam.ops().at(-1)).toBe("Stop");
    expect((await failure(d.status())).code).toBe("unavailable");
  });
});
