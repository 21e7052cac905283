// Why: `porthole-agent doctor` uploads its result at the end, so the owner's camera page can
// show it ("Doctor, run 2 h ago: 10 pass, 1 warn, 1 fail — …") next to why the camera is
// offline. Authenticated like the doctor route and the device socket (authenticateDevice),
// validated and size-capped by the protocol schema, stored on the camera's devices row.
import { Hono } from "hono";
import { DoctorReportUploadSchema } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { bearerToken } from "../auth/bearer.ts";
import { authenticateDevice } from "../auth/device-request.ts";
import { setDoctorReport } from "../db/doctor-report.ts";
import { log } from "../log.ts";
import { readBody } from "./read-body.ts";

export const deviceDoctorReportRoutes = new Hono<AppEnv>();

deviceDoctorReportRoutes.post("/:serial/doctor/report", async (c) => {
  const serial = c.req.param("serial");
  const authorization = c.req.header("authorization");
  await authenticateDevice(c.var.db, serial, authorization, "device_doctor_refused");
  const { checks } = await readBody(c, DoctorReportUploadSchema);
  // The agent scrubs its secrets before sending; the one secret the edge can recognise, the
  // token this very request carries, is scrubbed again so an older agent cannot store it.
  const token = bearerToken(authorization) ?? "";
  const clean = checks.map((k) => (token && k.summary.includes(token) ? { ...k, summary: k.summary.replaceAll(token, "[redacted]") } : k));
  await setDoctorReport(c.var.db, serial, clean, new Date());
  const count = (s: string) => clean.filter((k) => k.status === s).length;
  log({ event: "device_doctor_report", serial, pass: count("pass"), warn: count("warn"), fail: count("fail"), skip: count("skip") });
  return c.body(null, 204);
});
