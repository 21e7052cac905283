import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildEnvelope, parseSoapResponse, soapContentType } from "./soap-envelope.ts";
import { parseXml, path as xpath } from "./xml-extract.ts";

const fixture = (model: string, file: string): string => readFileSync(path.join(import.meta.dirname, "fixtures", "onvif", model, file), "utf8");

describe("SOAP envelope and faults", () => {
  it("builds a SOAP 1.2 envelope with the header only when given, and the action in the content type", () => {
    const bare = parseXml(buildEnvelope("<tptz:Stop/>"));
    expect(bare.attrs["xmlns:s"]).toBe("http://www.w3.org/2003/05/soap-envelope");
    expect(xpath(bare, "Header")).toBeUndefined();
    expect(xpath(bare, "Body", "Stop")).toBeDefined();
    expect(xpath(parseXml(buildEnvelope("<x/>", "<h/>")), "Header", "h")).toBeDefined();
    expect(soapContentType("http://www.onvif.org/ver20/ptz/wsdl/Stop")).toBe('application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver20/ptz/wsdl/Stop"');
  });

  it("reads a fault's code chain and reason whatever the vendor's prefixes and whitespace", () => {
    const cases = [
      { model: "reolink-e1-zoom", file: "SetPreset.xml", code: "soap:Receiver", subcodes: ["ter:Action", "ter:TooManyPresets"], reason: "Maximum number of presets reached", status: 500 },
      { model: "dahua-sd22204t-gn", file: "fault-NoToken.xml", code: "SOAP-ENV:Sender", subcodes: ["ter:InvalidArgVal", "ter:NoToken"], reason: "The requested preset token does not exist", status: 400 },
      { model: "hikvision-ds-2de2a404iw", file: "fault-NotAuthorized.xml", code: "env:Sender", subcodes: ["ter:NotAuthorized"], reason: "The action requested requires authorization and the sender is not authorized", status: 400 },
    ];
    for (const c of cases) {
      const r = parseSoapResponse(fixture(c.model, c.file), c.status);
      expect(r.ok, c.file).toBe(false);
      if (r.ok) continue;
      expect(r.fault).toMatchObject({ code: c.code, subcodes: c.subcodes, reason: c.reason, httpStatus: c.status });
      expect(r.fault.has(c.subcodes[c.subcodes.length - 1]!.split(":")[1]!)).toBe(true);
    }
  });

  it("reads a SOAP 1.1 fault that older firmware sends", () => {
    const r = parseSoapResponse(
      `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Client</faultcode><faultstring>Preset  name\n too long</faultstring></S:Fault></S:Body></S:Envelope>`,
      500,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fault).toMatchObject({ code: "S:Client", reason: "Preset name too long" });
  });

  it("returns the first Body element of a success and refuses a non-envelope", () => {
    const r = parseSoapResponse(fixture("dahua-sd22204t-gn", "SetPreset.xml"), 200);
    expect(r.ok && r.body.local).toBe("SetPresetResponse");
    expect(() => parseSoapResponse("<html><body>Not Found</body></html>", 404)).toThrow(/Envelope/);
    expect(() => parseSoapResponse("<s:Envelope xmlns:s='x'><s:Body/></s:Envelope>", 200)).toThrow(/empty/);
  });
});
