// Why: the camera's last `porthole-agent doctor` result, kept on its devices row so the owner's
// camera page can show it next to why the camera is offline.
import { eq } from "drizzle-orm";
import type { DoctorReportCheck } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { devices } from "./schema.ts";

/** Replaces the camera's doctor report; `at` is the edge's clock. */
export async function setDoctorReport(d: Db, serial: string, checks: DoctorReportCheck[], at: Date): Promise<void> {
  await d.update(devices).set({ doctorReport: checks, doctorReportAt: at }).where(eq(devices.serial, serial)).run();
}
