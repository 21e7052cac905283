// Why: "offline since 14:02" tells an owner nothing they can act on. The edge records how the
// camera's connection ended (protocol/camera-diagnostics.ts); this says it in plain words with
// what to check — the troubleshooting checklist (power, Wi-Fi/cable, router, internet, the
// camera's software, its vendor) cut to what fits each reason — plus the camera's last NAT type
// (RFC 3489 names) and its last doctor run. Pure, so it is tested with a pinned clock.
import type { CameraDiagnostics, ConnectionEndReason, ConnectionRecord, DoctorSummary } from "../../../protocol/camera-diagnostics.ts";
import { NAT_TYPE_LABELS } from "../../../protocol/nat-labels.ts";
import { formatDuration } from "./camera-text.ts";
import { formatRelative, type FormatOptions } from "./presence-text.ts";

export type OfflineKind = ConnectionEndReason | "never-connected" | "revoked" | "not-connected";

export interface OfflineExplanation {
  kind: OfflineKind;
  headline: string;
  detail: string;
  /** What to check, most likely first. */
  checklist: string[];
}

const POWER = "Check the camera's power: is it plugged in and is its light on?";
const NETWORK = "Check its Wi-Fi or network cable: is it in range of the router, is the cable firmly in?";
const ROUTER = "Check the router: if other devices at that place are offline too, restart it.";
const INTERNET = "Check the internet connection where the camera is.";
const DOCTOR = "Run porthole-agent doctor on the camera: it checks each step and names what fails.";

const EXPLANATIONS: Record<OfflineKind, Omit<OfflineExplanation, "kind">> = {
  "clean-stop": {
    headline: "The camera was turned off or its software stopped",
    detail: "It closed its connection to Porthole itself, as it does when it is shut down, restarted or its software is stopped.",
    checklist: [
      "Check that the camera is switched on and plugged in.",
      "If it was restarted or updated, give it a minute to come back.",
      "If it stays offline, restart it (unplug it for 10 seconds).",
    ],
  },
  "stopped-answering": {
    headline: "The camera stopped answering",
    detail: "Its connection went silent and Porthole closed it: usually the camera lost its network, or its power.",
    checklist: [POWER, NETWORK, ROUTER, INTERNET],
  },
  "connection-lost": {
    headline: "The camera's connection dropped",
    detail: "It ended abruptly, without the camera saying goodbye — as when it loses power, crashes or its network is cut.",
    checklist: [POWER, NETWORK, ROUTER, INTERNET, DOCTOR],
  },
  "token-revoked": {
    headline: "This camera was revoked by its vendor",
    detail: "Its maker revoked it, so Porthole no longer lets it connect. Nothing at your place can fix this.",
    checklist: ["Contact the camera's vendor (its maker or seller): only they can restore it."],
  },
  revoked: {
    headline: "This camera was revoked by its vendor",
    detail: "Its maker revoked it, so Porthole no longer lets it connect. Nothing at your place can fix this.",
    checklist: ["Contact the camera's vendor (its maker or seller): only they can restore it."],
  },
  "token-superseded": {
    headline: "The camera's credentials were replaced",
    detail: "Its vendor issued it new credentials; the ones it was using stopped working.",
    checklist: [
      "Update the camera's software or set it up again, so it gets its new credentials.",
      "If you did not expect this, contact the camera's vendor.",
    ],
  },
  replaced: {
    headline: "Another connection took over this camera",
    detail: "A second connection with this camera's identity replaced it: the camera restarted, or another device is using its identity.",
    checklist: [
      "If the camera restarted, it comes back on its own within a minute.",
      "If it does not, make sure no other device or copy of the camera software uses this camera's serial and token.",
      "If you think its credentials leaked, ask the vendor for new ones.",
    ],
  },
  "edge-restart": {
    headline: "Porthole's service restarted",
    detail: "The camera's connection was lost when Porthole's service restarted (an update, for example).",
    checklist: ["It should reconnect within a minute on its own.", `If it is still offline after that: ${POWER[0]!.toLowerCase()}${POWER.slice(1)}`, NETWORK],
  },
  "protocol-error": {
    headline: "Porthole could not understand the camera",
    detail: "Porthole closed the connection because the camera's messages did not follow its protocol — usually outdated camera software.",
    checklist: ["Update the camera's software (firmware).", "If it is up to date, contact the vendor and tell them when this happened."],
  },
  "never-connected": {
    headline: "This camera has never come online",
    detail: "Porthole has not heard from it since it was added.",
    checklist: [
      "Check that it is powered and set up with its serial and device token (the vendor's setup, or porthole-agent with --serial and --token).",
      "Check that it is connected to a network with internet access.",
      DOCTOR,
    ],
  },
  "not-connected": {
    headline: "The camera is not connected",
    detail: "Its last connection did not finish starting up.",
    checklist: [POWER, NETWORK, DOCTOR],
  },
};

/** Why the camera is offline and what to check; null while it is online. */
export function explainOffline(d: Pick<CameraDiagnostics, "online" | "revoked" | "connections">): OfflineExplanation | null {
  if (d.online) return null;
  const kind: OfflineKind = d.revoked ? "revoked" : d.connections.length === 0 ? "never-connected" : (d.connections[0]!.reason ?? "not-connected");
  return { kind, ...EXPLANATIONS[kind] };
}

/** Short names for the history list. */
export const END_REASON_LABELS: Record<ConnectionEndReason, string> = {
  "clean-stop": "Turned off or software stopped",
  "stopped-answering": "Stopped answering",
  "connection-lost": "Connection dropped",
  "token-revoked": "Revoked by the vendor",
  "token-superseded": "Credentials replaced",
  replaced: "Replaced by another connection",
  "edge-restart": "Porthole restarted",
  "protocol-error": "Protocol error",
};

/** "Last online 12 min ago", "Online now", "Never online". */
export function lastOnlineText(d: Pick<CameraDiagnostics, "online" | "lastOnlineAt">, nowMs: number, opts: FormatOptions = {}): string {
  if (d.online) return "Online now";
  const at = d.lastOnlineAt ? Date.parse(d.lastOnlineAt) : NaN;
  return Number.isNaN(at) ? "Never online" : `Last online ${formatRelative(at, nowMs, opts)}`;
}

export interface ConnectionRow {
  reason: string;
  /** "ended 12 min ago · connected for 2 h" */
  when: string;
}

/** One line of the connection history. */
export function describeConnection(c: ConnectionRecord, nowMs: number, opts: FormatOptions = {}): ConnectionRow {
  const connected = Date.parse(c.connectedAt);
  if (c.reason === null) return { reason: "Connected", when: `since ${formatRelative(connected, nowMs, opts)}` };
  const end = Date.parse(c.lastSeenAt ?? c.endedAt ?? c.connectedAt);
  const code = c.closeCode !== null ? ` · close ${c.closeCode}` : "";
  return { reason: END_REASON_LABELS[c.reason], when: `last seen ${formatRelative(end, nowMs, opts)} · connected for ${formatDuration(end - connected)}${code}` };
}

/** "Port-restricted cone NAT (reported 2 h ago)", or null without a report. */
export function natText(nat: CameraDiagnostics["nat"], nowMs: number, opts: FormatOptions = {}): string | null {
  if (!nat) return null;
  const hairpin = nat.hairpinning === false ? "; no hairpinning" : "";
  return `${NAT_TYPE_LABELS[nat.natType]}${hairpin} (reported ${formatRelative(Date.parse(nat.receivedAt), nowMs, opts)})`;
}

/** "Doctor, run 2 h ago: 10 pass, 1 warn, 1 fail — TURN over UDP failed: …", or null without a run. */
export function doctorSummaryText(doctor: DoctorSummary | null, nowMs: number, opts: FormatOptions = {}): string | null {
  if (!doctor) return null;
  const n = (s: string) => doctor.checks.filter((c) => c.status === s).length;
  const counts = [`${n("pass")} pass`, `${n("warn")} warn`, `${n("fail")} fail`, ...(n("skip") ? [`${n("skip")} skipped`] : [])].join(", ");
  const failed = doctor.checks.find((c) => c.status === "fail");
  const warned = doctor.checks.find((c) => c.status === "warn");
  const first = failed ? `${failed.title} failed: ${failed.summary}` : warned ? `${warned.title}: ${warned.summary}` : "every check passed.";
  return `Doctor, run ${formatRelative(Date.parse(doctor.receivedAt), nowMs, opts)}: ${counts} — ${first}`;
}
