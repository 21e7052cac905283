// Why: one import for `porthole-agent doctor` (the CLI, tests).
export { DOCTOR_CODES, type DoctorCode } from "./codes.ts";
export { DOCTOR_TIMEOUT_MS, realDoctorDeps } from "./deps.ts";
export { formatHuman, formatJson, scrub } from "./format.ts";
export { DOCTOR_USAGE, doctorMain, type DoctorIo } from "./main.ts";
export { runDoctor, type DoctorDeps, type DoctorInput, type DoctorRun } from "./run.ts";
export { CHECK_NAMES, type CheckId, type CheckResult, type CheckStatus, type DoctorReport } from "./types.ts";
export { reportUpload, uploadLine, uploadReport, type UploadOutcome } from "./upload.ts";
