// The doctor's result goes to the edge for the owner's camera page — without a secret in it.
import { describe, expect, it } from "vitest";
import { DoctorReportUploadSchema } from "../../../protocol/index.ts";
import { check, type DoctorReport } from "./types.ts";
import { reportUpload, uploadLine, uploadReport } from "./upload.ts";

const TOKEN = "eyJhbGciOiJFUzI1NiJ9.payload-of-the-device-token.signature";
const CREDENTIAL = "c2VjcmV0LXR1cm4tY3JlZGVudGlhbA==";
const USERNAME = "1796600120:CAM-1.doctor";

function report(): DoctorReport {
  return {
    serial: "CAM-1",
    edge: "https://edge.example",
    at: "2026-12-07T00:00:00.000Z",
    exitCode: 1,
    checks: [
      check("dns", "pass", "ok", "edge.example resolves to 192.0.2.1."),
      check("device_token", "fail", "token_invalid", `The edge refuses ${TOKEN}.`, "Give the camera a new token."),
      check("turn_udp", "fail", "turn_auth_failed", `coturn refused ${USERNAME} with ${CREDENTIAL}: ${"x".repeat(400)}`),
      check("turn_tcp", "warn", "turn_refused", "Refused 1796600999:CAM-1.doctor over TCP."),
    ],
  };
}

describe("reportUpload", () => {
  it("sends each check's id, verdict, name and finding, and nothing else (no fix, no details)", () => {
    const body = reportUpload(report(), [TOKEN, CREDENTIAL], [USERNAME]);
    expect(DoctorReportUploadSchema.safeParse(body).success).toBe(true);
    expect(body.checks[0]).toEqual({ id: "dns", status: "pass", title: "DNS", summary: "edge.example resolves to 192.0.2.1." });
    expect(body.checks.map((c) => c.status)).toEqual(["pass", "fail", "fail", "warn"]);
  });

  it("never carries the token, a TURN credential or a TURN username, even one the edge did not hand out", () => {
    const text = JSON.stringify(reportUpload(report(), [TOKEN, CREDENTIAL], [USERNAME]));
    for (const secret of [TOKEN, CREDENTIAL, USERNAME, "1796600999:CAM-1.doctor"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("cuts a long finding to the edge's 300-character cap", () => {
    const turn = reportUpload(report(), [TOKEN, CREDENTIAL], [USERNAME]).checks[2]!;
    expect(turn.summary).toHaveLength(300);
    expect(turn.summary.endsWith("…")).toBe(true);
  });
});

describe("uploadReport", () => {
  const body = { checks: [{ id: "dns", status: "pass" as const, title: "DNS", summary: "ok" }] };

  it("posts the body with the device token to the report route", async () => {
    let seen: { url: string; init?: RequestInit } | undefined;
    const outcome = await uploadReport(async (url, init) => ((seen = { url, init }), new Response(null, { status: 204 })), "https://edge.example", "CAM 1", TOKEN, body, 1000);
    expect(outcome).toEqual({ sent: true });
    expect(seen?.url).toBe("https://edge.example/api/devices/CAM%201/doctor/report");
    expect(seen?.init?.method).toBe("POST");
    expect(new Headers(seen?.init?.headers).get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(String(seen?.init?.body))).toEqual(body);
  });

  it("says why when the edge refuses it or cannot be reached", async () => {
    expect(await uploadReport(async () => new Response("{}", { status: 401 }), "https://e", "C", TOKEN, body, 1000)).toEqual({ sent: false, error: "the edge answered HTTP 401" });
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    const outcome = await uploadReport(async () => Promise.reject(refused), "https://e", "C", TOKEN, body, 1000);
    expect(outcome).toEqual({ sent: false, error: expect.stringMatching(/^connection refused/) });
    expect(uploadLine(outcome)).toMatch(/^Could not send this result to the edge \(connection refused/);
    expect(uploadLine({ sent: true })).toMatch(/^Sent this result to the edge/);
  });
});
