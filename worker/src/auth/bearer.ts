// Why: one parser for `Authorization: Bearer <token>` (RFC 6750 §2.1).

/** The bearer token, or undefined when the header is missing or another scheme. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  return m?.[1];
}
