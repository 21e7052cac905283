// Why: the plain-text report a person pastes to a support desk: every finding of the test, one
// per line, and nothing secret (report.ts says how addresses are cut).
import { NAT_TYPE_LABELS } from "../../../protocol/nat-labels.ts";
import { redactText } from "./report.ts";
import type { ConnectionTestResult } from "./test-result.ts";
import { PATH_LABELS } from "./verdict.ts";

const ms = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);

export function reportText(r: ConnectionTestResult, origin: string): string {
  const lines: string[] = [
    "Porthole connection test",
    `Time: ${new Date(r.at).toISOString()}`,
    `Edge: ${origin}`,
    `Browser: ${r.browser}`,
    "",
    `Edge HTTPS: ${r.edge.status}${r.edge.rttMs !== null ? ` (RTT ${ms(r.edge.rttMs)})` : ""}${r.edge.detail ? ` — ${r.edge.detail}` : ""}`,
    `Edge WebSocket: ${r.websocket.status}${r.websocket.openMs !== null ? ` (open ${ms(r.websocket.openMs)})` : ""}${r.websocket.detail ? ` — ${r.websocket.detail}` : ""}`,
  ];
  if (r.ice) {
    const i = r.ice;
    lines.push(
      "",
      `Verdict: ${i.verdict}`,
      `NAT type: ${NAT_TYPE_LABELS[i.natType]} (${i.natType})`,
      `Mapping: ${i.mapping.mapping} (tested: ${i.mapping.coverage})`,
      `Filtering: ${i.filtering.filtering}${i.filtering.lowerBound ? " (or less strict: no second address to test)" : ""}`,
      `UDP blocked: ${i.side.udpBlocked ? "yes" : "no"}`,
      `Public address: ${i.publicAddress ?? "—"}${i.publicFingerprint ? ` (fingerprint ${i.publicFingerprint})` : ""}`,
      `TURN configured: ${i.turnConfigured ? "yes" : "no"}`,
    );
    for (const s of i.stun) lines.push(`STUN ${s.role} ${s.server}: ${s.answered ? `answered${s.mapped ? `, mapped ${s.mapped}` : ""}` : "no answer"}`);
    for (const t of i.relays) lines.push(`Relay ${t.transport.toUpperCase()}: ${t.status}${t.allocateMs !== null ? ` (allocated in ${ms(t.allocateMs)})` : ""}${t.detail ? ` — ${t.detail}` : ""}`);
  }
  if (r.camera) {
    const c = r.camera;
    lines.push(
      "",
      `Camera: ${c.serial} (${c.online ? "online" : "offline"})`,
      `Camera NAT: ${c.nat ? `${NAT_TYPE_LABELS[c.nat.natType]} (mapping ${c.nat.mapping}, filtering ${c.nat.filtering}, measured ${new Date(c.nat.at).toISOString()})` : "never reported"}`,
      `Same network as camera: ${c.sameNetwork === null ? "unknown" : c.sameNetwork ? "yes" : "no"}`,
      `Predicted path: ${c.prediction.path} — ${PATH_LABELS[c.prediction.path]} (${c.prediction.reason})`,
      `Advice: ${c.advice}`,
    );
  }
  for (const n of r.notes) lines.push(`Note: ${n}`);
  return redactText(lines.join("\n"));
}
