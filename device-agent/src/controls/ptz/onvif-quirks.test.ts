// Why: fixtures/onvif/quirks holds answers written in shapes that public captures of real cameras
// show (see fixtures/onvif/README.md for which capture each shape was checked against). Each test
// pins one quirk the parser must survive, so a "cleanup" of xml-extract or soap-fault that breaks
// a real camera fails here first.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../log.ts";
import { ControlFailure } from "../control-failure.ts";
import { faultToFailure } from "./onvif-faults.ts";
import { readPresets, readProfiles, readServices, readSetPreset, readStatus, readSystemDateAndTime, request } from "./onvif-messages.ts";
import { createSoapClient } from "./onvif-soap-client.ts";
import { parseSoapResponse } from "./soap-envelope.ts";
import { SoapFault } from "./soap-fault.ts";
import { parseXml } from "./xml-extract.ts";

const quirk = (file: string): string => readFileSync(path.join(import.meta.dirname, "fixtures", "onvif", "quirks", file), "utf8");

function bodyOf(file: string) {
  const r = parseSoapResponse(quirk(file), 200);
  if (!r.ok) throw new Error(`${file} is a fault`);
  return r.body;
}
function faultOf(file: string, status = 400): SoapFault {
  const r = parseSoapResponse(quirk(file), status);
  if (r.ok) throw new Error(`${file} is not a fault`);
  return r.fault;
}

describe("ONVIF answers in the shapes real cameras send", () => {
  it("reads a GetStatus without MoveStatus as not moving, with attributes in any order and explicit end tags", () => {
    expect(readStatus(bodyOf("GetStatus-no-MoveStatus.xml"))).toEqual({ position: { pan: 0.4375, tilt: -0.125, zoom: 0.0625 }, moving: false });
  });

  it("reads a pan/tilt-only head without Zoom, clamping degrees mislabelled as the generic space", () => {
    // Known limit: the driver does not read PTZ configuration options, so a head reporting degrees
    // in PositionGenericSpace shows at the edge of the range instead of its true position.
    expect(readStatus(bodyOf("GetStatus-pan-tilt-only-degrees.xml"))).toEqual({ position: { pan: 1, tilt: 1, zoom: 0 }, moving: false });
  });

  it("reads an envelope whose prefixes are never declared", () => {
    expect(readStatus(bodyOf("GetStatus-undeclared-prefixes.xml"))).toEqual({ position: { pan: -0.75, tilt: 0.5, zoom: 1 }, moving: true });
  });

  it("names unnamed presets by token, trims CRLF-padded names and keeps presets that share a name", () => {
    expect(readPresets(bodyOf("GetPresets-unnamed-and-duplicates.xml"))).toEqual([
      { token: "1", name: "Driveway" },
      { token: "2", name: "Preset 2" },
      { token: "3", name: "Preset 3" },
      { token: "4", name: "Back  gate" },
      { token: "Home", name: "Home" },
      { token: "Home_2", name: "Home" },
      { token: "WasherOn", name: "WasherOn" },
    ]);
  });

  it("reads the UTC clock when Time comes before Date and a LocalDateTime follows", () => {
    expect(readSystemDateAndTime(bodyOf("GetSystemDateAndTime-time-before-date.xml"))?.toISOString()).toBe("2026-02-28T07:05:09.000Z");
  });

  it("finds PTZ and media at one shared, whitespace-padded service address", () => {
    expect(readServices(bodyOf("GetServices-shared-xaddr.xml"))).toEqual({ ptz: "http://192.0.2.40/onvif/services", media: "http://192.0.2.40/onvif/services" });
  });

  it("reads profiles whose token is not the first attribute", () => {
    expect(readProfiles(bodyOf("GetProfiles-fixed-attr-first.xml"))).toEqual([
      { token: "main", name: "main", ptzConfiguration: "ptz0" },
      { token: "sub", name: "sub" },
    ]);
  });

  it("ignores a Security header the camera echoes back and trims the new preset's token", () => {
    expect(readSetPreset(bodyOf("SetPreset-echoed-security-header.xml"))).toBe("12");
  });

  it("sends no PresetToken when saving a new preset (cameras fault on an invented token)", () => {
    const set = parseXml(`<w xmlns:tptz="p">${request.setPreset("main", "Porch").body}</w>`);
    expect(set.children[0]?.children.map((c) => c.local)).toEqual(["ProfileToken", "PresetName"]);
  });
});

describe("ONVIF faults in the shapes real cameras send", () => {
  it("trims pretty-printed codes, prefers the English reason and decodes its entities", () => {
    const f = faultOf("fault-soap12-pretty-NotAuthorized.xml");
    expect(f.code).toBe("s:Sender");
    expect(f.subcodes).toEqual(["ter:NotAuthorized"]);
    expect(f.has("NotAuthorized")).toBe(true);
    expect(f.reason).toBe("The <wsse:Security> header was rejected: wrong user name or password (4 tries left).");
    expect(faultToFailure(f).toWire()).toEqual({ code: "device_refused", message: f.reason });
  });

  it("maps a SOAP 1.1 fault whose faultcode carries the ONVIF subcode", () => {
    const f = faultOf("fault-soap11-NoToken.xml", 500);
    expect(f.code).toBe("ter:NoToken");
    expect(f.reason).toBe("No such preset");
    expect(faultToFailure(f).toWire()).toEqual({ code: "not_found", message: "No such preset" });
  });

  it("shows a SOAP 1.1 Client fault's faultstring, whitespace collapsed", () => {
    const f = faultOf("fault-soap11-Client.xml");
    expect(f.code).toBe("SOAP-ENV:Client");
    expect(faultToFailure(f).toWire()).toEqual({ code: "device_refused", message: "Validation constraint violation: data type mismatch in element <tt:PanTilt>" });
  });
});

describe("ONVIF transport quirks real cameras show", () => {
  // A stand-in fetch (unit level): these are byte-level shapes the HTTP fixture camera cannot send.
  function clientAnswering(status: number, bytes: Uint8Array) {
    const fetch = (async () => new Response(bytes, { status, headers: { "content-type": "application/soap+xml; charset=utf-8" } })) as typeof globalThis.fetch;
    return createSoapClient({ deviceUrl: "http://127.0.0.1:9/onvif/device_service", logger: createLogger({ sink: () => undefined }), fetch, now: () => new Date(), timeoutMs: 1000 });
  }
  const env = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>${body}</env:Body></env:Envelope>`;

  it("keeps a preset whose name is not valid UTF-8, with the bad bytes replaced", async () => {
    const [head, tail] = env(`<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>Gar|</tt:Name></tptz:Preset></tptz:GetPresetsResponse>`).split("|") as [string, string];
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28]), Buffer.from(tail)]);
    const body = await clientAnswering(200, bytes).call("http://127.0.0.1:9/onvif/PTZ", request.getPresets("P"));
    expect(readPresets(body)).toEqual([{ token: "1", name: "Gar\ufffd(" }]);
  });

  it("treats a Fault sent with HTTP 200 as the camera's refusal", async () => {
    const fault = env(`<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:InvalidArgVal</env:Value><env:Subcode><env:Value>ter:NoToken</env:Value></env:Subcode></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Unknown preset</env:Text></env:Reason></env:Fault>`);
    const err = await clientAnswering(200, Buffer.from(fault)).call("http://127.0.0.1:9/onvif/PTZ", request.gotoPreset("P", "9")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SoapFault);
    expect(faultToFailure(err as SoapFault).toWire()).toEqual({ code: "not_found", message: "Unknown preset" });
  });

  it("names the operation when a camera answers with an empty body", async () => {
    const err = await clientAnswering(200, new Uint8Array()).call("http://127.0.0.1:9/onvif/PTZ", request.stop("P")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlFailure);
    expect((err as ControlFailure).message).toContain("Stop");
  });
});
