// Why: the camera's fault decides what a viewer is told. ONVIF names the reason in the Subcode
// chain (ONVIF Core §5.11.2; PTZ spec per operation: ter:NoToken for an unknown preset,
// ter:NoPTZProfile / ter:ActionNotSupported when there is no PTZ, ter:TooManyPresets…); the
// camera's own Reason text becomes the message, so the PWA shows the camera's words.
import { ControlFailure } from "../control-failure.ts";
import type { SoapFault } from "./soap-fault.ts";

const NOT_FOUND = ["NoToken", "NoEntity", "NoSuchPreset"];
const UNSUPPORTED = ["ActionNotSupported", "NoPTZProfile", "PTZNotSupported", "NotSupported"];

export function faultToFailure(fault: SoapFault): ControlFailure {
  const text = fault.cameraText;
  if (NOT_FOUND.some((c) => fault.has(c))) return ControlFailure.notFound(text);
  if (UNSUPPORTED.some((c) => fault.has(c))) return ControlFailure.unsupported(text);
  return ControlFailure.refused(text);
}
