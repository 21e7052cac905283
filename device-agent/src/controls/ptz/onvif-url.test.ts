import { describe, expect, it } from "vitest";
import { rebaseXAddr } from "./onvif-driver.ts";
import { OnvifUrlError, parseOnvifUrl } from "./onvif-url.ts";

describe("onvif: URL", () => {
  it("takes credentials out of the URL, decoded, and leaves a URL safe to log", () => {
    expect(parseOnvifUrl("onvif:http://admin:p%40ss%3Aw0rd@192.168.1.64:8080/onvif/device_service")).toEqual({
      url: "http://192.168.1.64:8080/onvif/device_service",
      username: "admin",
      password: "p@ss:w0rd",
    });
  });

  it("falls back to PORTHOLE_ONVIF_USER / PORTHOLE_ONVIF_PASSWORD and the standard device service path", () => {
    const env = { PORTHOLE_ONVIF_USER: "operator", PORTHOLE_ONVIF_PASSWORD: "from-env" };
    expect(parseOnvifUrl("onvif:http://10.0.0.23:8000", env)).toEqual({ url: "http://10.0.0.23:8000/onvif/device_service", username: "operator", password: "from-env" });
    expect(parseOnvifUrl("onvif:http://viewer@10.0.0.23/", env)).toEqual({ url: "http://10.0.0.23/onvif/device_service", username: "viewer", password: "from-env" });
    expect(parseOnvifUrl("onvif:https://cam.local/onvif/device_service", {})).toEqual({ url: "https://cam.local/onvif/device_service" });
    // The CLI's --ptz documents PORTHOLE_ONVIF_USERNAME; both names work.
    expect(parseOnvifUrl("onvif:http://cam", { PORTHOLE_ONVIF_USERNAME: "u2", PORTHOLE_ONVIF_PASSWORD: "p" })).toMatchObject({ username: "u2", password: "p" });
  });

  it("refuses what is not an http(s) ONVIF URL with a stable code", () => {
    for (const bad of ["onvif:", "onvif:rtsp://cam/stream", "onvif:not a url", "onvif:http://cam/onvif#x"]) {
      expect(() => parseOnvifUrl(bad), bad).toThrow(OnvifUrlError);
    }
    let err: unknown;
    try {
      parseOnvifUrl("onvif:ftp://cam");
    } catch (e) {
      err = e;
    }
    expect((err as OnvifUrlError).code).toBe("bad_onvif_url");
  });

  it("rebases a camera's service address onto the origin we reached it at", () => {
    expect(rebaseXAddr("http://192.168.1.64/onvif/PTZ", "http://127.0.0.1:18080/onvif/device_service")).toBe("http://127.0.0.1:18080/onvif/PTZ");
    expect(rebaseXAddr("http://10.0.0.23:8000/onvif/ptz_service?x=1", "https://cam.example:443/onvif/device_service")).toBe("https://cam.example/onvif/ptz_service?x=1");
    expect(rebaseXAddr("/onvif/Media", "http://127.0.0.1:9/onvif/device_service")).toBe("http://127.0.0.1:9/onvif/Media");
  });
});
