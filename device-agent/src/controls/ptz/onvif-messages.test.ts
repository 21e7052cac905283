import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { faultToFailure } from "./onvif-faults.ts";
import { readCapabilities, readPresets, readProfiles, readServices, readSetPreset, readStatus, readSystemDateAndTime, request } from "./onvif-messages.ts";
import { parseSoapResponse } from "./soap-envelope.ts";
import { SoapFault } from "./soap-fault.ts";
import { parseXml } from "./xml-extract.ts";

function bodyOf(model: string, file: string) {
  const r = parseSoapResponse(readFileSync(path.join(import.meta.dirname, "fixtures", "onvif", model, file), "utf8"), 200);
  if (!r.ok) throw new Error(`${model}/${file} is a fault`);
  return r.body;
}
function faultOf(model: string, file: string): SoapFault {
  const r = parseSoapResponse(readFileSync(path.join(import.meta.dirname, "fixtures", "onvif", model, file), "utf8"), 400);
  if (r.ok) throw new Error(`${model}/${file} is not a fault`);
  return r.fault;
}

describe("ONVIF messages", () => {
  it("finds service addresses in GetCapabilities and GetServices of each camera", () => {
    expect(readCapabilities(bodyOf("hikvision-ds-2de2a404iw", "GetCapabilities.xml"))).toEqual({ ptz: "http://192.168.1.64/onvif/PTZ", media: "http://192.168.1.64/onvif/Media" });
    expect(readCapabilities(bodyOf("dahua-sd22204t-gn", "GetCapabilities.xml"))).toEqual({ ptz: "http://192.168.1.108/onvif/ptz_service", media: "http://192.168.1.108/onvif/media_service" });
    expect(readCapabilities(bodyOf("reolink-e1-zoom", "GetCapabilities.xml"))).toEqual({ media: "http://10.0.0.23:8000/onvif/media_service" });
    expect(readServices(bodyOf("reolink-e1-zoom", "GetServices.xml"))).toEqual({ ptz: "http://10.0.0.23:8000/onvif/ptz_service", media: "http://10.0.0.23:8000/onvif/media_service" });
    expect(readServices(bodyOf("hikvision-ds-2cd2043g2-bullet", "GetServices.xml")).ptz).toBeUndefined();
  });

  it("lists media profiles and which of them carry a PTZ configuration", () => {
    expect(readProfiles(bodyOf("dahua-sd22204t-gn", "GetProfiles.xml"))).toEqual([
      { token: "MediaProfile000", name: "MediaProfile_Channel1_MainStream", ptzConfiguration: "PtzConfig000" },
      { token: "MediaProfile001", name: "MediaProfile_Channel1_SubStream1", ptzConfiguration: "PtzConfig000" },
    ]);
    expect(readProfiles(bodyOf("hikvision-ds-2cd2043g2-bullet", "GetProfiles.xml"))).toEqual([{ token: "Profile_1", name: "mainStream" }]);
  });

  it("clamps positions outside the generic spaces and reads the camera clock", () => {
    const status = parseXml(`<GetStatusResponse><PTZStatus><Position><PanTilt x="180" y="-95.5"/><Zoom x="4"/></Position><MoveStatus><PanTilt>IDLE</PanTilt><Zoom>MOVING</Zoom></MoveStatus></PTZStatus></GetStatusResponse>`);
    expect(readStatus(status)).toEqual({ position: { pan: 1, tilt: -1, zoom: 1 }, moving: true });
    expect(readStatus(parseXml(`<r><PTZStatus><Position><PanTilt x="NaN" y=""/></Position></PTZStatus></r>`)).position).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    expect(readSystemDateAndTime(bodyOf("dahua-sd22204t-gn", "GetSystemDateAndTime.xml"))?.toISOString()).toBe("2026-11-26T16:02:55.000Z");
    expect(readSystemDateAndTime(parseXml(`<r><SystemDateAndTime><UTCDateTime><Date><Year>x</Year></Date></UTCDateTime></SystemDateAndTime></r>`))).toBeUndefined();
  });

  it("keeps preset lists within the protocol's limits", () => {
    const many = parseXml(`<r>${Array.from({ length: 150 }, (_, i) => `<Preset token="${i + 1}"><Name>${"n".repeat(80)}</Name></Preset>`).join("")}<Preset token=""/></r>`);
    const presets = readPresets(many);
    expect(presets).toHaveLength(100);
    expect(presets[0]?.name).toHaveLength(64);
    expect(readPresets(parseXml(`<r><Preset token="${"t".repeat(65)}"/><Preset token=" 5 "/></r>`))).toEqual([{ token: "5", name: "Preset 5" }]);
    expect(readSetPreset(bodyOf("hikvision-ds-2de2a404iw", "SetPreset.xml"))).toBe("4");
  });

  it("escapes names and tokens and writes velocities as plain decimals within -1…1", () => {
    const set = parseXml(`<w xmlns:tptz="p">${request.setPreset("P<1>", `Gate "A" & B`, "7").body}</w>`);
    expect(set.children[0]?.children.map((c) => [c.local, c.text])).toEqual([["ProfileToken", "P<1>"], ["PresetName", `Gate "A" & B`], ["PresetToken", "7"]]);
    const move = request.continuousMove("P", { pan: 1e-7, tilt: -5, zoom: 0.123456 }).body;
    expect(move).toContain(`<tt:PanTilt x="0" y="-1"/><tt:Zoom x="0.1235"/>`);
  });

  it("maps the camera's faults to control errors, keeping its words", () => {
    expect(faultToFailure(faultOf("hikvision-ds-2cd2043g2-bullet", "fault-ActionNotSupported.xml")).toWire()).toEqual({
      code: "unsupported",
      message: "The requested WSDL service category is not supported by the device",
    });
    expect(faultToFailure(faultOf("dahua-sd22204t-gn", "fault-NoToken.xml")).code).toBe("not_found");
    expect(faultToFailure(faultOf("reolink-e1-zoom", "SetPreset.xml")).toWire()).toEqual({ code: "device_refused", message: "Maximum number of presets reached" });
    expect(faultToFailure(new SoapFault("env:Sender", ["ter:InvalidArgVal", "ter:NoPTZProfile"], "", 400)).toWire()).toEqual({ code: "unsupported", message: "ter:NoPTZProfile" });
  });
});
