import { describe, expect, it } from "vitest";
import { loadConfig, parsePtz } from "./config.ts";

const base = ["--serial", "CAM-0001", "--token", "t0k"];

describe("--ptz", () => {
  it("defaults to virtual for ffmpeg sources and to none for the demo clip", () => {
    expect(parsePtz(undefined, { kind: "testsrc" })).toEqual({ kind: "virtual" });
    expect(parsePtz(undefined, { kind: "demo" })).toEqual({ kind: "none" });
    const r = loadConfig([...base, "--ptz", "virtual"], {});
    if (r.help) throw new Error();
    expect(r.config.ptz).toEqual({ kind: "virtual" });
    const e = loadConfig([...base, "--source", "testsrc"], { PORTHOLE_PTZ: "none" });
    if (e.help) throw new Error();
    expect(e.config.ptz).toEqual({ kind: "none" });
  });

  it("takes an ONVIF service URL and refuses credentials in it or other values", () => {
    expect(parsePtz("onvif:http://192.168.1.20/onvif/device_service", { kind: "demo" })).toEqual({ kind: "onvif", url: "http://192.168.1.20/onvif/device_service" });
    expect(() => parsePtz("onvif:http://admin:pw@cam/onvif", { kind: "demo" })).toThrow(/PORTHOLE_ONVIF_USERNAME/);
    expect(() => parsePtz("onvif:nope", { kind: "demo" })).toThrow(/ONVIF service URL|http/);
    expect(() => loadConfig([...base, "--ptz", "spin"], {})).toThrow(/unknown --ptz "spin"/);
  });
});
