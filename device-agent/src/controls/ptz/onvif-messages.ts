// Why: the ONVIF requests the driver sends and the few response fields it reads, as pure
// functions (no I/O), so both sides are unit-testable against the fixtures. Element names follow
// the WSDLs: device ver10/device/wsdl, media ver10/media/wsdl, PTZ ver20/ptz/wsdl, types
// ver10/schema. Responses are read by local name, so any vendor prefix works.
import type { PtzPosition, PtzPreset } from "../../../../protocol/index.ts";
import type { PtzVelocity } from "./ptz-driver.ts";
import { NS, type SoapRequest } from "./soap-envelope.ts";
import { attr, child, childrenNamed, descendant, escapeXml, path, textOf, type XmlElement } from "./xml-extract.ts";

const act = (ns: string, op: string): string => `${ns}/${op}`;
const tok = (name: string, value: string): string => `<tptz:${name}>${escapeXml(value)}</tptz:${name}>`;

// ---------------------------------------------------------------------------------------------
// Requests

export const request = {
  getSystemDateAndTime: (): SoapRequest => ({ action: act(NS.device, "GetSystemDateAndTime"), body: `<tds:GetSystemDateAndTime/>` }),
  getCapabilities: (): SoapRequest => ({ action: act(NS.device, "GetCapabilities"), body: `<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>` }),
  getServices: (): SoapRequest => ({ action: act(NS.device, "GetServices"), body: `<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>` }),
  getProfiles: (): SoapRequest => ({ action: act(NS.media, "GetProfiles"), body: `<trt:GetProfiles/>` }),
  /** Velocities in ONVIF's generic velocity spaces (-1…1); the spaces are left to the PTZ configuration's defaults (PTZ spec §5.3.1). */
  continuousMove: (profile: string, v: PtzVelocity): SoapRequest => ({
    action: act(NS.ptz, "ContinuousMove"),
    body:
      `<tptz:ContinuousMove>${tok("ProfileToken", profile)}<tptz:Velocity>` +
      `<tt:PanTilt x="${num(v.pan)}" y="${num(v.tilt)}"/><tt:Zoom x="${num(v.zoom)}"/>` +
      `</tptz:Velocity></tptz:ContinuousMove>`,
  }),
  stop: (profile: string): SoapRequest => ({
    action: act(NS.ptz, "Stop"),
    body: `<tptz:Stop>${tok("ProfileToken", profile)}<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>`,
  }),
  getStatus: (profile: string): SoapRequest => ({ action: act(NS.ptz, "GetStatus"), body: `<tptz:GetStatus>${tok("ProfileToken", profile)}</tptz:GetStatus>` }),
  getPresets: (profile: string): SoapRequest => ({ action: act(NS.ptz, "GetPresets"), body: `<tptz:GetPresets>${tok("ProfileToken", profile)}</tptz:GetPresets>` }),
  setPreset: (profile: string, name: string, presetToken?: string): SoapRequest => ({
    action: act(NS.ptz, "SetPreset"),
    body: `<tptz:SetPreset>${tok("ProfileToken", profile)}${tok("PresetName", name)}${presetToken === undefined ? "" : tok("PresetToken", presetToken)}</tptz:SetPreset>`,
  }),
  gotoPreset: (profile: string, presetToken: string): SoapRequest => ({
    action: act(NS.ptz, "GotoPreset"),
    body: `<tptz:GotoPreset>${tok("ProfileToken", profile)}${tok("PresetToken", presetToken)}</tptz:GotoPreset>`,
  }),
  removePreset: (profile: string, presetToken: string): SoapRequest => ({
    action: act(NS.ptz, "RemovePreset"),
    body: `<tptz:RemovePreset>${tok("ProfileToken", profile)}${tok("PresetToken", presetToken)}</tptz:RemovePreset>`,
  }),
  gotoHomePosition: (profile: string): SoapRequest => ({
    action: act(NS.ptz, "GotoHomePosition"),
    body: `<tptz:GotoHomePosition>${tok("ProfileToken", profile)}</tptz:GotoHomePosition>`,
  }),
};

/** An xs:float in plain decimal (never exponent notation), clamped to the generic -1…1 space. */
function num(v: number): string {
  return String(Math.round(clamp(v, -1, 1) * 10_000) / 10_000);
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : 0;
}

// ---------------------------------------------------------------------------------------------
// Responses

export interface ServiceAddresses {
  ptz?: string;
  media?: string;
}

/** GetCapabilitiesResponse: Capabilities/PTZ/XAddr and Capabilities/Media/XAddr (ONVIF Core §8.1.2.5). */
export function readCapabilities(body: XmlElement): ServiceAddresses {
  const caps = child(body, "Capabilities");
  const ptz = textOf(path(caps, "PTZ", "XAddr")) || undefined;
  const media = textOf(path(caps, "Media", "XAddr")) || undefined;
  return { ...(ptz ? { ptz } : {}), ...(media ? { media } : {}) };
}

/** GetServicesResponse: one Service per namespace with its XAddr (ONVIF Core §8.1.2.1). */
export function readServices(body: XmlElement): ServiceAddresses {
  const out: ServiceAddresses = {};
  for (const s of childrenNamed(body, "Service")) {
    const ns = textOf(child(s, "Namespace"));
    const xaddr = textOf(child(s, "XAddr"));
    if (!xaddr) continue;
    if (ns === NS.ptz) out.ptz = xaddr;
    if (ns === NS.media) out.media = xaddr;
  }
  return out;
}

export interface MediaProfile {
  token: string;
  name: string;
  /** Token of its PTZConfiguration; absent: this profile cannot drive PTZ. */
  ptzConfiguration?: string;
}

/** GetProfilesResponse: Profiles@token, Name, PTZConfiguration@token (Media spec §5.2.1). */
export function readProfiles(body: XmlElement): MediaProfile[] {
  return childrenNamed(body, "Profiles").flatMap((p) => {
    const token = attr(p, "token");
    if (!token) return [];
    const ptz = child(p, "PTZConfiguration");
    const ptzToken = ptz ? (attr(ptz, "token") ?? "") : undefined;
    return [{ token, name: textOf(child(p, "Name")) ?? token, ...(ptzToken !== undefined ? { ptzConfiguration: ptzToken } : {}) }];
  });
}

/**
 * GetStatusResponse → the protocol's position. Position is in the generic spaces (pan/tilt
 * -1…1, zoom 0…1; PTZ spec §5.7) on the cameras we know; values outside are clamped.
 * MoveStatus is IDLE | MOVING | UNKNOWN per axis.
 */
export function readStatus(body: XmlElement): { position: PtzPosition; moving: boolean } {
  const status = child(body, "PTZStatus") ?? body;
  const pos = child(status, "Position");
  const pt = child(pos, "PanTilt");
  const zoom = child(pos, "Zoom");
  const f = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  const move = child(status, "MoveStatus");
  const moving = [textOf(child(move, "PanTilt")), textOf(child(move, "Zoom")), textOf(move)].some((s) => s?.toUpperCase() === "MOVING");
  return {
    position: { pan: clamp(f(attr(pt, "x")), -1, 1), tilt: clamp(f(attr(pt, "y")), -1, 1), zoom: clamp(f(attr(zoom, "x")), 0, 1) },
    moving,
  };
}

/** The protocol caps a preset list at 100 and tokens/names at 64 characters. */
export const MAX_PRESETS = 100;

/** GetPresetsResponse: Preset@token and Name. An unnamed preset shows as "Preset <token>". */
export function readPresets(body: XmlElement): PtzPreset[] {
  const out: PtzPreset[] = [];
  for (const p of childrenNamed(body, "Preset")) {
    const token = attr(p, "token")?.trim();
    if (!token || token.length > 64) continue;
    const name = (textOf(child(p, "Name")) || `Preset ${token}`).slice(0, 64);
    out.push({ token, name });
    if (out.length === MAX_PRESETS) break;
  }
  return out;
}

/** SetPresetResponse/PresetToken. */
export function readSetPreset(body: XmlElement): string | undefined {
  return textOf(child(body, "PresetToken")) || undefined;
}

/** GetSystemDateAndTimeResponse: the camera's UTC clock (ONVIF Core §8.3.2). */
export function readSystemDateAndTime(body: XmlElement): Date | undefined {
  const utc = descendant(body, "UTCDateTime");
  const date = child(utc, "Date");
  const time = child(utc, "Time");
  const n = (el: XmlElement | undefined, name: string): number => Number(textOf(child(el, name)));
  const parts = [n(date, "Year"), n(date, "Month"), n(date, "Day"), n(time, "Hour"), n(time, "Minute"), n(time, "Second")];
  if (!utc || parts.some((p) => !Number.isInteger(p))) return undefined;
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isFinite(t) ? new Date(t) : undefined;
}
