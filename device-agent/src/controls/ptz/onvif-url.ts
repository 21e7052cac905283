// Why: `--ptz onvif:<url>` names the camera's ONVIF device service; credentials may ride in the
// URL (onvif:http://user:pass@host/onvif/device_service) or come from the environment
// (PORTHOLE_ONVIF_USER or PORTHOLE_ONVIF_USERNAME, PORTHOLE_ONVIF_PASSWORD) so they stay out of
// process listings.
// The returned URL never carries them, so it is safe to log.

export interface OnvifTarget {
  /** The device service URL without credentials. */
  url: string;
  username?: string;
  password?: string;
}

export class OnvifUrlError extends Error {
  readonly code = "bad_onvif_url";
  constructor(message: string) {
    super(message);
    this.name = "OnvifUrlError";
  }
}

/** Parses "onvif:http://[user[:pass]@]host[:port][/path]"; the path defaults to /onvif/device_service (ONVIF Core §5.1.1). */
export function parseOnvifUrl(text: string, env: Record<string, string | undefined> = {}): OnvifTarget {
  const rest = text.startsWith("onvif:") ? text.slice(6) : text;
  let u: URL;
  try {
    u = new URL(rest);
  } catch {
    throw new OnvifUrlError(`not a URL: expected onvif:http://host[:port]/onvif/device_service`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new OnvifUrlError(`ONVIF needs http: or https:, got ${u.protocol}`);
  if (u.hash) throw new OnvifUrlError("the ONVIF URL must not have a #fragment");
  const username = u.username ? decodeURIComponent(u.username) : env.PORTHOLE_ONVIF_USER || env.PORTHOLE_ONVIF_USERNAME || undefined;
  const password = u.password ? decodeURIComponent(u.password) : env.PORTHOLE_ONVIF_PASSWORD;
  u.username = "";
  u.password = "";
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/onvif/device_service";
  return { url: u.toString(), ...(username !== undefined ? { username } : {}), ...(username !== undefined && password !== undefined ? { password } : {}) };
}
