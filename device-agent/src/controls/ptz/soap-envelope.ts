// Why: every ONVIF call is the same SOAP 1.2 envelope (W3C SOAP 1.2 part 1 §5) around a
// different body, optionally with a WS-Security header; and every answer is an envelope whose
// Body holds either the response element or a Fault. Both directions live here.
import { SoapFault, parseSoapFault } from "./soap-fault.ts";
import { path, parseXml, type XmlElement } from "./xml-extract.ts";

/** Namespaces of the ONVIF services used (ONVIF Core §5.3, PTZ and Media service specs). */
export const NS = {
  soap: "http://www.w3.org/2003/05/soap-envelope",
  device: "http://www.onvif.org/ver10/device/wsdl",
  media: "http://www.onvif.org/ver10/media/wsdl",
  ptz: "http://www.onvif.org/ver20/ptz/wsdl",
  schema: "http://www.onvif.org/ver10/schema",
} as const;

/** A request: the SOAP action URI (sent in the Content-Type `action` parameter, RFC 3902) and its body. */
export interface SoapRequest {
  action: string;
  /** The body element, written with the tds/trt/tptz/tt prefixes declared on the envelope. */
  body: string;
}

export function buildEnvelope(body: string, securityHeader?: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:tds="${NS.device}" xmlns:trt="${NS.media}" xmlns:tptz="${NS.ptz}" xmlns:tt="${NS.schema}">` +
    (securityHeader ? `<s:Header>${securityHeader}</s:Header>` : "") +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** SOAP 1.2 over HTTP media type with the action parameter (SOAP 1.2 part 2 §7.1.4, RFC 3902). */
export function soapContentType(action: string): string {
  return `application/soap+xml; charset=utf-8; action="${action}"`;
}

export type SoapResponse = { ok: true; body: XmlElement } | { ok: false; fault: SoapFault };

/**
 * Reads a response envelope: the first element of its Body, or the Fault it carries.
 * Throws XmlError for text that is not XML and a plain Error for XML that is not an envelope.
 */
export function parseSoapResponse(text: string, httpStatus: number): SoapResponse {
  const env = parseXml(text);
  if (env.local !== "Envelope") throw new Error(`expected a SOAP Envelope, got <${env.name}>`);
  const body = path(env, "Body");
  const first = body?.children[0];
  if (!body || !first) throw new Error("SOAP Body is empty");
  if (first.local === "Fault") return { ok: false, fault: parseSoapFault(first, httpStatus) };
  return { ok: true, body: first };
}
