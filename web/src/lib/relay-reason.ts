// Why: the ?relay=1 diagnostics switch, and the words for a relay that was asked for. Why any
// other session is relayed comes from both sides' NAT types (session-explanation.ts), not from
// a guess at the candidate stats of one side.

export const RELAY_REASONS = {
  forced: "Relayed on purpose: this page was opened with ?relay=1 (diagnostics), so only relay candidates were used.",
} as const;

/** The diagnostics switch: `?relay=1` (or `relay=true`) forces iceTransportPolicy "relay". */
export function relayForced(search: string): boolean {
  const v = new URLSearchParams(search.replace(/^\?/, "")).get("relay");
  return v === "1" || v === "true";
}
