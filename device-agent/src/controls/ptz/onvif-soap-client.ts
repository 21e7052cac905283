// Why: one place that carries a SOAP request to the camera and back: WS-Security UsernameToken
// by default (ONVIF Core §5.12.2), HTTP Digest when the camera answers 401 with a Digest
// challenge (RFC 7616; ONVIF Core §5.12.1), one clock re-sync when the camera rejects the token
// (its Created timestamp is checked against the camera's clock, ONVIF Core §5.12.2), a timeout per
// request and a bounded response. Faults come back as SoapFault; transport trouble as ControlFailure.
import { randomBytes as nodeRandomBytes } from "node:crypto";
import type { Logger } from "../../log.ts";
import { ControlFailure } from "../control-failure.ts";
import { readSystemDateAndTime, request } from "./onvif-messages.ts";
import { buildEnvelope, parseSoapResponse, soapContentType, type SoapRequest } from "./soap-envelope.ts";
import { SoapFault } from "./soap-fault.ts";
import { digestAuthorization, parseChallenges, pickDigestChallenge, type AuthChallenge } from "./soap-http-digest.ts";
import { usernameTokenHeader } from "./soap-wsse.ts";
import type { XmlElement } from "./xml-extract.ts";

/** Camera answers are a few KiB; anything past this is not an ONVIF response we want. */
export const MAX_RESPONSE_BYTES = 1 << 20;

export interface SoapClientOptions {
  /** The device service URL: where the clock is read from. */
  deviceUrl: string;
  username?: string;
  password?: string;
  logger: Logger;
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
  randomBytes?: (n: number) => Uint8Array;
}

export type AuthMode = "none" | "wsse" | "digest";

export interface SoapClient {
  /** Sends `req` to `url`; `anonymous` sends no credentials (GetSystemDateAndTime is pre-auth, ONVIF Core §5.9.4). */
  call(url: string, req: SoapRequest, o?: { anonymous?: boolean }): Promise<XmlElement>;
  readonly authMode: AuthMode;
  /** Camera clock minus ours, applied to WS-Security Created. */
  readonly clockOffsetMs: number;
}

/** Faults that mean "your token was not accepted" (ONVIF Core §5.12; WSS 1.1 §12). */
const AUTH_FAULTS = ["NotAuthorized", "FailedAuthentication", "InvalidSecurity", "InvalidSecurityToken", "MessageExpired"];

const opName = (req: SoapRequest): string => req.action.slice(req.action.lastIndexOf("/") + 1);

export function createSoapClient(o: SoapClientOptions): SoapClient {
  const rnd = o.randomBytes ?? ((n: number) => nodeRandomBytes(n));
  const hasCreds = o.username !== undefined && o.username !== "";
  let mode: AuthMode = hasCreds ? "wsse" : "none";
  let challenge: AuthChallenge | undefined;
  let nc = 0;
  let offsetMs = 0;

  async function send(url: string, req: SoapRequest, anonymous: boolean): Promise<{ status: number; headers: Headers; text: string }> {
    const u = new URL(url);
    const headers: Record<string, string> = { "content-type": soapContentType(req.action) };
    let security: string | undefined;
    if (!anonymous && mode === "wsse") {
      security = usernameTokenHeader(o.username ?? "", o.password ?? "", new Date(o.now().getTime() + offsetMs), rnd(16));
    } else if (!anonymous && mode === "digest" && challenge) {
      headers.authorization = digestAuthorization({
        challenge,
        username: o.username ?? "",
        password: o.password ?? "",
        method: "POST",
        uri: u.pathname + u.search,
        nc: ++nc,
        cnonce: Buffer.from(rnd(12)).toString("hex"),
      });
    }
    try {
      const res = await o.fetch(u, { method: "POST", headers, body: buildEnvelope(req.body, security), redirect: "manual", signal: AbortSignal.timeout(o.timeoutMs) });
      const text = await readBounded(res);
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (e instanceof ControlFailure) throw e;
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === "TimeoutError" || err.name === "AbortError") {
        throw new ControlFailure("timeout", `The camera did not answer ${opName(req)} within ${o.timeoutMs / 1000} s`);
      }
      throw new ControlFailure("unavailable", `The camera at ${u.host} is unreachable (${err.cause?.code ?? err.message})`);
    }
  }

  async function syncClock(): Promise<boolean> {
    try {
      const body = await call(o.deviceUrl, request.getSystemDateAndTime(), { anonymous: true });
      const camera = readSystemDateAndTime(body);
      if (!camera) return false;
      const next = camera.getTime() - o.now().getTime();
      const changed = Math.abs(next - offsetMs) > 1000;
      offsetMs = next;
      o.logger.info({ event: "feature", feature: "ptz", action: "onvif_clock_offset", detail: `camera clock ${next >= 0 ? "+" : ""}${Math.round(next / 1000)} s` });
      return changed;
    } catch (e) {
      o.logger.warn({ event: "feature", feature: "ptz", action: "onvif_clock_unreadable", detail: (e as Error).message.slice(0, 200) });
      return false;
    }
  }

  async function call(url: string, req: SoapRequest, opts: { anonymous?: boolean } = {}): Promise<XmlElement> {
    const anonymous = opts.anonymous === true || !hasCreds;
    let digestTried = false;
    let clockTried = false;
    for (;;) {
      const res = await send(url, req, anonymous);
      if (res.status === 401 && !anonymous && !digestTried) {
        const c = pickDigestChallenge(parseChallenges(res.headers.get("www-authenticate") ?? ""));
        if (c) {
          digestTried = true;
          if (mode !== "digest") o.logger.info({ event: "feature", feature: "ptz", action: "onvif_auth_digest", detail: `${c.params.algorithm ?? "MD5"} realm ${c.params.realm ?? ""}` });
          mode = "digest";
          challenge = c;
          nc = 0;
          continue;
        }
      }
      let parsed;
      try {
        parsed = parseSoapResponse(res.text, res.status);
      } catch (e) {
        if (res.status === 401) throw ControlFailure.refused(`The camera refused the credentials for ${opName(req)} (HTTP 401)`);
        if (res.status < 200 || res.status >= 300) throw ControlFailure.refused(`The camera answered ${opName(req)} with HTTP ${res.status}`);
        throw new ControlFailure("internal", `The camera's answer to ${opName(req)} is not SOAP: ${(e as Error).message}`.slice(0, 300));
      }
      if (parsed.ok) {
        if (res.status >= 300) throw ControlFailure.refused(`The camera answered ${opName(req)} with HTTP ${res.status}`);
        return parsed.body;
      }
      const fault = parsed.fault;
      if (mode === "wsse" && !anonymous && !clockTried && AUTH_FAULTS.some((a) => fault.has(a))) {
        clockTried = true;
        if (await syncClock()) continue;
      }
      throw fault;
    }
  }

  return {
    call,
    get authMode() {
      return mode;
    },
    get clockOffsetMs() {
      return offsetMs;
    },
  };
}

async function readBounded(res: Response): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_RESPONSE_BYTES) {
    await res.body?.cancel();
    throw new ControlFailure("internal", `The camera's answer is larger than ${MAX_RESPONSE_BYTES} bytes`);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new ControlFailure("internal", `The camera's answer is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export { SoapFault };
