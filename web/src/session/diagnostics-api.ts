// Why: the owner's camera page asks the edge why the camera is offline (its connection history,
// NAT type and last doctor run); typed and validated like every other call (api.ts).
import { CameraDiagnosticsSchema, type CameraDiagnostics } from "../../../protocol/camera-diagnostics.ts";
import { request, type ApiResult } from "./api.ts";

/** GET /api/cameras/:serial/diagnostics (owner only). */
export function getDiagnostics(serial: string, signal?: AbortSignal): Promise<ApiResult<CameraDiagnostics>> {
  return request(CameraDiagnosticsSchema, `/api/cameras/${encodeURIComponent(serial)}/diagnostics`, { method: "GET", ...(signal ? { signal } : {}) });
}
