// Why: the `onvif` PTZ driver for real IP cameras. Discovery (device GetCapabilities, then
// GetServices → the PTZ and Media service addresses; Media GetProfiles → the profile that has a
// PTZConfiguration) happens once at start; each PtzDriver call is then one PTZ service request
// (ONVIF PTZ spec ver20/ptz/wsdl: ContinuousMove, Stop, GetStatus, GetPresets, SetPreset,
// GotoPreset, RemovePreset, GotoHomePosition). Camera faults become ControlFailure with the
// camera's own reason text.
import type { PtzPreset } from "../../../../protocol/index.ts";
import type { Logger } from "../../log.ts";
import { ControlFailure } from "../control-failure.ts";
import { faultToFailure } from "./onvif-faults.ts";
import { readCapabilities, readPresets, readProfiles, readServices, readSetPreset, readStatus, request, type MediaProfile, type ServiceAddresses } from "./onvif-messages.ts";
import { createSoapClient, type SoapClient } from "./onvif-soap-client.ts";
import type { PtzDriver, PtzVelocity } from "./ptz-driver.ts";
import type { SoapRequest } from "./soap-envelope.ts";
import { SoapFault } from "./soap-fault.ts";
import type { XmlElement } from "./xml-extract.ts";

export { parseOnvifUrl, type OnvifTarget } from "./onvif-url.ts";

/** Per request; a PTZ command that takes longer is not going to feel like a joystick anyway. */
export const ONVIF_TIMEOUT_MS = 5_000;
/**
 * The PTZ feature reads presets with every status poll (several a second while moving); small
 * cameras handle few requests at once, so the list is kept this long, and dropped whenever we
 * change a preset. A preset edited in the camera's own web page shows up within this time.
 */
export const PRESETS_CACHE_MS = 10_000;

export interface OnvifDriverOptions {
  /** The device service, e.g. http://192.168.1.64/onvif/device_service (no credentials). */
  url: string;
  username?: string;
  password?: string;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Use this media profile instead of the first one with a PTZ configuration. */
  profileToken?: string;
  timeoutMs?: number;
}

/**
 * Cameras report service addresses with their own LAN address (http://192.168.1.64/onvif/PTZ),
 * which is wrong behind port forwarding or NAT; keep the path, use the origin we reached.
 */
export function rebaseXAddr(xaddr: string, deviceUrl: string): string {
  const base = new URL(deviceUrl);
  try {
    const x = new URL(xaddr);
    return new URL(x.pathname + x.search, base.origin).toString();
  } catch {
    return new URL(xaddr.startsWith("/") ? xaddr : `/${xaddr}`, base.origin).toString();
  }
}

/** Connects to the camera, finds its PTZ service and profile, and returns the driver. */
export async function createOnvifDriver(o: OnvifDriverOptions): Promise<PtzDriver> {
  const log = o.logger;
  const now = o.now ?? (() => new Date());
  const client = createSoapClient({
    deviceUrl: o.url,
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
    logger: log,
    fetch: o.fetch ?? fetch,
    now,
    timeoutMs: o.timeoutMs ?? ONVIF_TIMEOUT_MS,
  });
  const guarded = async (url: string, req: SoapRequest): Promise<XmlElement> => {
    try {
      return await client.call(url, req);
    } catch (e) {
      if (e instanceof SoapFault) {
        log.warn({ event: "feature", feature: "ptz", action: "onvif_fault", detail: `${req.action.split("/").pop()}: ${e.describe()}`.slice(0, 300) });
        throw faultToFailure(e);
      }
      throw e;
    }
  };

  const services = await discoverServices(client, o.url, log);
  if (!services.ptz) throw ControlFailure.unsupported("The camera has no ONVIF PTZ service");
  const ptzUrl = rebaseXAddr(services.ptz, o.url);
  const mediaUrl = rebaseXAddr(services.media ?? o.url, o.url);
  const profiles = readProfiles(await guarded(mediaUrl, request.getProfiles()));
  const profile = pickProfile(profiles, o.profileToken);
  log.info({
    event: "feature",
    feature: "ptz",
    action: "onvif_ready",
    detail: `profile ${profile.token} (${profile.name}), ptz ${new URL(ptzUrl).pathname}, auth ${client.authMode}`.slice(0, 300),
  });

  const token = profile.token;
  let closed = false;
  let moving = false;
  const ptz = (req: SoapRequest): Promise<XmlElement> => {
    if (closed) return Promise.reject(new ControlFailure("unavailable", "The ONVIF driver is closed"));
    return guarded(ptzUrl, req);
  };
  let presetCache: { at: number; list: Promise<PtzPreset[]> } | undefined;
  const forgetPresets = (): void => {
    presetCache = undefined;
  };

  return {
    kind: "onvif",
    async move(v: PtzVelocity) {
      for (const axis of ["pan", "tilt", "zoom"] as const) {
        if (!Number.isFinite(v[axis]) || Math.abs(v[axis]) > 1) throw ControlFailure.invalid(axis, "velocity must be between -1 and 1");
      }
      await ptz(request.continuousMove(token, v));
      moving = v.pan !== 0 || v.tilt !== 0 || v.zoom !== 0;
    },
    async stop() {
      await ptz(request.stop(token));
      moving = false;
    },
    async status() {
      return readStatus(await ptz(request.getStatus(token)));
    },
    async presets(): Promise<PtzPreset[]> {
      const t = now().getTime();
      if (!presetCache || t - presetCache.at >= PRESETS_CACHE_MS || t < presetCache.at) {
        const list = ptz(request.getPresets(token)).then(readPresets);
        presetCache = { at: t, list };
        list.catch(() => {
          if (presetCache?.list === list) forgetPresets();
        });
      }
      return [...(await presetCache.list)];
    },
    async savePreset(name: string, presetToken?: string) {
      // Forgotten before and after, so a list read while the camera saves is not kept.
      forgetPresets();
      const saved = readSetPreset(await ptz(request.setPreset(token, name, presetToken)).finally(forgetPresets));
      const t = saved ?? presetToken;
      if (!t) throw new ControlFailure("internal", "The camera saved the preset but did not say its token");
      return { token: t, name };
    },
    async gotoPreset(presetToken: string) {
      await ptz(request.gotoPreset(token, presetToken));
    },
    async removePreset(presetToken: string) {
      forgetPresets();
      await ptz(request.removePreset(token, presetToken)).finally(forgetPresets);
    },
    async home() {
      await ptz(request.gotoHomePosition(token));
    },
    async close() {
      // A continuous move without a timeout would run on until the camera's own default timeout.
      if (moving && !closed) await ptz(request.stop(token)).catch(() => undefined);
      closed = true;
    },
  };
}

/**
 * GetCapabilities is the Profile S way to find services; some firmware lists PTZ only in
 * GetServices (ONVIF Core §8.1.2.1), and some answers GetCapabilities with a fault: try both.
 */
async function discoverServices(client: SoapClient, deviceUrl: string, log: Logger): Promise<ServiceAddresses> {
  let found: ServiceAddresses = {};
  for (const [name, req, read] of [
    ["GetCapabilities", request.getCapabilities(), readCapabilities],
    ["GetServices", request.getServices(), readServices],
  ] as const) {
    try {
      const got = read(await client.call(deviceUrl, req));
      found = { ...got, ...found };
      if (found.ptz) return found;
    } catch (e) {
      if (!(e instanceof SoapFault)) throw e;
      log.info({ event: "feature", feature: "ptz", action: "onvif_discovery_fault", detail: `${name}: ${e.describe()}`.slice(0, 300) });
      // An auth fault will hit the next request too; give the camera's words, not "no PTZ".
      if (e.has("NotAuthorized") || e.has("FailedAuthentication")) throw faultToFailure(e);
    }
  }
  return found;
}

function pickProfile(profiles: MediaProfile[], wanted: string | undefined): MediaProfile {
  if (wanted !== undefined) {
    const p = profiles.find((x) => x.token === wanted);
    if (!p) throw ControlFailure.notFound(`The camera has no media profile ${JSON.stringify(wanted)} (it has ${profiles.map((x) => x.token).join(", ") || "none"})`);
    if (p.ptzConfiguration === undefined) throw ControlFailure.unsupported(`Media profile ${wanted} has no PTZ configuration (ter:NoPTZProfile)`);
    return p;
  }
  const p = profiles.find((x) => x.ptzConfiguration !== undefined);
  if (!p) throw ControlFailure.unsupported("No media profile of the camera has a PTZ configuration (ter:NoPTZProfile)");
  return p;
}
