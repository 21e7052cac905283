// Why: the owner's camera page shows the camera's last doctor run next to why it is offline, so
// the doctor sends its result to the edge at the end (unless --no-report). Only ids, verdicts,
// names and findings go, scrubbed of every secret the run handled and of the TURN usernames;
// an upload that fails is reported and never changes the doctor's exit code.
import { DEVICE_DOCTOR_REPORT_PATH, DoctorReportUploadSchema, type DoctorReportUpload } from "../../../protocol/index.ts";
import { scrub } from "./format.ts";
import { classifyNetError, describeNetError } from "./net-error.ts";
import type { Fetch } from "./probes.ts";
import type { DoctorReport } from "./types.ts";

const SUMMARY_MAX = 300;
/** TURN REST usernames are `<unix expiry>:<id>` (coturn's use-auth-secret): never sent. */
const TURN_USERNAME = /\b\d{9,11}:[A-Za-z0-9._-]+/g;

export type UploadOutcome = { sent: true } | { sent: false; error: string };

/** The upload body: one line per check, scrubbed and cut to the protocol's caps. */
export function reportUpload(report: DoctorReport, secrets: readonly string[], turnUsernames: readonly string[]): DoctorReportUpload {
  const clean = (text: string) => scrub(scrub(text, secrets), turnUsernames).replace(TURN_USERNAME, "[redacted]");
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return DoctorReportUploadSchema.parse({
    checks: report.checks.slice(0, 24).map((c) => ({ id: c.id, status: c.status, title: cut(c.name, 40), summary: cut(clean(c.message), SUMMARY_MAX) })),
  });
}

/** POSTs the report with the device token; says why when it could not. */
export async function uploadReport(fetchImpl: Fetch, origin: string, serial: string, token: string, body: DoctorReportUpload, timeoutMs: number): Promise<UploadOutcome> {
  try {
    const res = await fetchImpl(`${origin}${DEVICE_DOCTOR_REPORT_PATH(serial)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await res.body?.cancel();
    if (res.ok) return { sent: true };
    return { sent: false, error: `the edge answered HTTP ${res.status}` };
  } catch (e) {
    return { sent: false, error: describeNetError(classifyNetError(e), timeoutMs) };
  }
}

/** The line the human output ends with. */
export function uploadLine(outcome: UploadOutcome): string {
  return outcome.sent
    ? "Sent this result to the edge: the camera's owner sees it on the camera's page."
    : `Could not send this result to the edge (${outcome.error}); the checks above stand as they are.`;
}
