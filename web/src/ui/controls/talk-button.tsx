// Why: placeholder until this control is built (issue 5); renders nothing.
import type { DeviceFeatures, Quality } from "../../../../protocol/controls.ts";
import type { ControlClient } from "../../session/control-client.ts";
import type { ViewerSession } from "../../session/viewer-session.ts";

export interface TalkButtonProps {
  client: ControlClient; session: ViewerSession;
}

export function TalkButton(_p: TalkButtonProps) {
  return null;
}

export type _Unused = DeviceFeatures | Quality | ViewerSession;
