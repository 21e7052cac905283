// Why: what a control handler knows about the viewer who called it, and how it answers beyond
// the reply: events to this viewer, binary transfers on the bulk channel, this viewer's stream.
import type { ControlEventData, ControlEventName, ControlMethod, ControlParams, ControlResultOf, Quality, QualityProfile, SessionRole } from "../../../protocol/index.ts";

export interface ControlSession {
  readonly sessionId: string;
  /** From the grant the agent verified; never from the viewer. */
  readonly role: SessionRole;
  /** Who this is, for other viewers ("who is talking"): the grant's label, else the role. */
  readonly label: string;
  /** Pushes an event to this viewer only (no-op once the session closed). */
  emit<E extends ControlEventName>(event: E, data: ControlEventData<E>): void;
  /** Sends `bytes` on the bulk channel as transfer `transfer`, chunked and paced by bufferedAmount. */
  sendBulk(transfer: number, bytes: Uint8Array): Promise<void>;
  /** This viewer's live stream. */
  readonly stream: SessionStream;
}

export interface SessionStream {
  readonly quality: Quality;
  /** Switches the sent stream (no renegotiation); resolves with the new profile. */
  setQuality(quality: Quality): Promise<QualityProfile>;
}

export type ControlHandler<M extends ControlMethod> = (params: ControlParams<M>, session: ControlSession) => Promise<ControlResultOf<M>>;

/** Handlers by method; a method with no handler answers `unsupported`. */
export type ControlHandlers = { [M in ControlMethod]?: ControlHandler<M> };
