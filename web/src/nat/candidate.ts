// Why: the connection test reads everything it learns about the network from ICE candidate
// lines (RFC 8839 §5.1 grammar): the mapped address of a srflx candidate is what the STUN server
// saw, a relay candidate proves an allocation worked. Parsed here once, purely.

export type CandidateType = "host" | "srflx" | "prflx" | "relay";

export interface ParsedCandidate {
  foundation: string;
  component: number;
  /** Transport between this browser and the peer or server: "udp" or "tcp". */
  protocol: string;
  priority: number;
  address: string;
  port: number;
  type: CandidateType;
  relatedAddress: string | null;
  relatedPort: number | null;
}

/**
 * One `candidate:` attribute (with or without the `a=` prefix), or null when it is not one
 * (an end-of-candidates marker is the empty string).
 */
export function parseCandidate(line: string): ParsedCandidate | null {
  const text = line.trim().replace(/^a=/, "").replace(/^candidate:/, "");
  const f = text.split(/\s+/);
  if (f.length < 8 || f[6] !== "typ") return null;
  const component = Number(f[1]);
  const priority = Number(f[3]);
  const port = Number(f[5]);
  const type = f[7] as CandidateType;
  if (!["host", "srflx", "prflx", "relay"].includes(type) || !Number.isInteger(port) || !f[4]) return null;
  let relatedAddress: string | null = null;
  let relatedPort: number | null = null;
  for (let i = 8; i + 1 < f.length; i += 2) {
    if (f[i] === "raddr") relatedAddress = f[i + 1]!;
    if (f[i] === "rport") relatedPort = Number(f[i + 1]);
  }
  return { foundation: f[0]!, component, protocol: f[2]!.toLowerCase(), priority, address: f[4], port, type, relatedAddress, relatedPort };
}

/** An mDNS host name (RFC 8828 §5.1: browsers hide local IPs behind `<uuid>.local`). */
export function isMdnsName(address: string): boolean {
  return address.toLowerCase().endsWith(".local");
}

/** A literal IPv4 or IPv6 address (not a name). */
export function isIpLiteral(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) || (address.includes(":") && /^[0-9a-fA-F:.]+$/.test(address));
}

/** An unspecified related address: browsers put 0.0.0.0 / :: there to hide the local one. */
export function isUnspecified(address: string | null): boolean {
  return address === null || address === "0.0.0.0" || address === "::";
}

/** `addr:port` as one comparable key ([v6]:port for IPv6). */
export function endpointKey(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}
