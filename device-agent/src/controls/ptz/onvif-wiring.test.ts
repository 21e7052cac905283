import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parsePtz } from "../../config.ts";
import { createLogger } from "../../log.ts";
import type { MediaSource } from "../../media/source.ts";
import { startFixtureCamera, type FixtureCamera } from "./onvif-fixture-server.ts";
import { ptzDriverFor } from "./ptz-driver-for.ts";

// The path the CLI takes: --ptz onvif:<url> → parsePtz → ptzDriverFor → createOnvifDriver → camera.
const source: MediaSource = {
  description: "rtsp",
  videoCodecs: ["H264"],
  audio: false,
  start: async () => {},
  stop: async () => {},
  onPacket: () => () => {},
  onFatal: () => () => {},
};

const cams: FixtureCamera[] = [];
afterEach(async () => {
  await Promise.all(cams.splice(0).map((c) => c.close()));
});

describe("--ptz onvif: wiring", () => {
  it("drives the camera with the credentials from the environment", async () => {
    const cam = await startFixtureCamera({ model: "dahua-sd22204t-gn", auth: "digest", username: "operator", password: "s3cret" });
    cams.push(cam);
    const lines: string[] = [];
    const spec = parsePtz(`onvif:${cam.url}`, { kind: "rtsp", url: "rtsp://192.0.2.1/stream" });
    expect(spec).toEqual({ kind: "onvif", url: cam.url });
    const { driver } = ptzDriverFor(spec, {
      source,
      dataDir: mkdtempSync(path.join(tmpdir(), "porthole-onvif-")),
      logger: createLogger({ sink: (l) => lines.push(l) }),
      env: { PORTHOLE_ONVIF_USERNAME: "operator", PORTHOLE_ONVIF_PASSWORD: "s3cret" },
    });
    expect(driver?.kind).toBe("onvif");
    await driver?.move({ pan: -1, tilt: 0, zoom: 0.5 });
    await driver?.stop();
    expect(cam.ops().slice(-2)).toEqual(["ContinuousMove", "Stop"]);
    expect(cam.requests.at(-1)?.auth).toBe("digest-ok");
    await driver?.close();
    for (const l of lines) expect(l).not.toContain("s3cret");
  });

  it("answers every command with the reason when the camera cannot be reached, without failing the agent", async () => {
    const cam = await startFixtureCamera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    await cam.close();
    const { driver } = ptzDriverFor(parsePtz(`onvif:${cam.url}`, { kind: "demo" }), {
      source,
      dataDir: mkdtempSync(path.join(tmpdir(), "porthole-onvif-")),
      logger: createLogger({ sink: () => {} }),
      env: {},
    });
    await expect(driver?.status()).rejects.toMatchObject({ code: "device_refused", message: expect.stringContaining("unreachable") });
    await expect(driver?.home()).rejects.toMatchObject({ code: "device_refused" });
  });

  it("reaches a camera that was down when the agent started, on a command after the retry interval", async () => {
    const gone = await startFixtureCamera({ model: "hikvision-ds-2de2a404iw", auth: "wsse" });
    const port = Number(new URL(gone.url).port);
    await gone.close();
    const { driver } = ptzDriverFor(parsePtz(`onvif:${gone.url}`, { kind: "demo" }), {
      source,
      dataDir: mkdtempSync(path.join(tmpdir(), "porthole-onvif-")),
      logger: createLogger({ sink: () => {} }),
      env: { PORTHOLE_ONVIF_USERNAME: "operator", PORTHOLE_ONVIF_PASSWORD: "s3cret" },
      onvifRetryMs: 300,
    });
    await expect(driver?.status()).rejects.toMatchObject({ code: "device_refused", message: expect.stringContaining("unreachable") });
    // The camera finishes booting on the same address.
    const cam = await startFixtureCamera({ model: "hikvision-ds-2de2a404iw", auth: "wsse", port, username: "operator", password: "s3cret" });
    cams.push(cam);
    await new Promise((r) => setTimeout(r, 350));
    await expect(driver?.status()).resolves.toMatchObject({ moving: false });
    expect(cam.ops()).toContain("GetStatus");
    await driver?.close();
  });
});
