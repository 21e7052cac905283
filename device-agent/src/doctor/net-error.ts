// Why: Node reports network failures as error codes buried in `cause` chains (undici's "fetch
// failed", ws's ECONNREFUSED, dns's ENOTFOUND). People need the kind of failure in plain words,
// so each is sorted once here into a few kinds the checks explain.

export type NetErrorKind = "refused" | "timeout" | "no_route" | "dns" | "tls" | "reset" | "other";

export interface NetError {
  kind: NetErrorKind;
  /** The system's code (ECONNREFUSED, CERT_HAS_EXPIRED…) or the message, for details. */
  detail: string;
}

const KIND_BY_CODE: Record<string, NetErrorKind> = {
  ECONNREFUSED: "refused",
  ETIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  EHOSTUNREACH: "no_route",
  ENETUNREACH: "no_route",
  EADDRNOTAVAIL: "no_route",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_FAIL: "dns",
  ENODATA: "dns",
  ECONNRESET: "reset",
  EPIPE: "reset",
  UND_ERR_SOCKET: "reset",
};

function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : undefined;
}

/** Sorts an error (following `cause`) into a kind people can act on. */
export function classifyNetError(err: unknown): NetError {
  const seen = new Set<unknown>();
  let e: unknown = err;
  let deepest = err instanceof Error ? err.message : String(err);
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    if (e instanceof Error && e.message) deepest = e.message;
    // Happy Eyeballs (autoSelectFamily) reports one error per address in an AggregateError.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = classifyNetError(errors[0]);
      if (inner.kind !== "other") return inner;
    }
    const name = (e as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "AbortError") return { kind: "timeout", detail: "timed out" };
    const code = codeOf(e);
    if (code) {
      if (KIND_BY_CODE[code]) return { kind: KIND_BY_CODE[code], detail: code };
      if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code)) return { kind: "tls", detail: code };
    }
    e = (e as { cause?: unknown }).cause;
  }
  // undici wraps everything in "fetch failed": the innermost message says what happened.
  return { kind: "other", detail: deepest.slice(0, 200) };
}

/** "connection refused", "no answer within 5 s"… for a sentence about `where`. */
export function describeNetError(e: NetError, timeoutMs: number): string {
  switch (e.kind) {
    case "refused":
      return "connection refused (nothing listens there, or a firewall rejects it)";
    case "timeout":
      return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    case "no_route":
      return `no route to it (${e.detail})`;
    case "dns":
      return `the name does not resolve (${e.detail})`;
    case "tls":
      return `the TLS handshake failed (${e.detail})`;
    case "reset":
      return `the connection was cut (${e.detail})`;
    case "other":
      return e.detail;
  }
}
