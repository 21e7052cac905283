// Why: every control request goes through here: known method, the caller's role may use it,
// params valid, the handler answers within a deadline. Any failure becomes an error reply with
// a stable code; nothing a viewer sends can throw out of this function.
import {
  CONTROL_METHODS,
  CONTROL_REQUEST_TIMEOUT_MS,
  isControlMethod,
  missingMethodCapability,
  parseParams,
  type ControlError,
  type ControlMethod,
  type DcRequest,
  type DcResponse,
} from "../../../protocol/index.ts";
import { ControlFailure } from "./control-failure.ts";
import type { ControlHandler, ControlHandlers, ControlSession } from "./control-session.ts";

export interface RouteOutcome {
  response: DcResponse;
  /** Set when the request failed, for the agent's log. */
  failure?: ControlError;
}

/** Handler deadline: a bit under the viewer's timeout so the viewer gets our reason, not its own. */
export const HANDLER_DEADLINE_MS = CONTROL_REQUEST_TIMEOUT_MS - 1_000;

export async function routeControlRequest(
  req: DcRequest,
  handlers: ControlHandlers,
  session: ControlSession,
  deadlineMs = HANDLER_DEADLINE_MS,
): Promise<RouteOutcome> {
  const fail = (error: ControlError): RouteOutcome => ({ response: { type: "res", id: req.id, ok: false, error }, failure: error });
  if (!isControlMethod(req.method)) {
    return fail({ code: "unknown_method", message: `unknown method ${JSON.stringify(req.method.slice(0, 64))}` });
  }
  const method: ControlMethod = req.method;
  const missing = missingMethodCapability(session.role, method);
  if (missing) return fail({ code: "forbidden", message: `A ${session.role} session may not ${missing} (${method}).` });
  const params = parseParams(method, req.params);
  if (!params.ok) return fail(params.error);
  const handler = handlers[method] as ControlHandler<typeof method> | undefined;
  if (!handler) return fail({ code: "unsupported", message: `This camera does not support ${method}.` });

  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      handler(params.value as never, session),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ControlFailure("timeout", `${method} took longer than ${deadlineMs} ms`)), deadlineMs);
      }),
    ]);
    // Our own results are validated too: a handler bug must not reach the viewer as a
    // malformed reply it would drop silently.
    const checked = CONTROL_METHODS[method].result.safeParse(result);
    if (!checked.success) {
      return fail({ code: "internal", message: `${method} produced an invalid result: ${checked.error.issues[0]?.message ?? "?"}` });
    }
    return { response: { type: "res", id: req.id, ok: true, result: checked.data } };
  } catch (e) {
    if (e instanceof ControlFailure) return fail(e.toWire());
    return fail({ code: "internal", message: `${method} failed: ${(e as Error).message ?? String(e)}`.slice(0, 500) });
  } finally {
    clearTimeout(timer);
  }
}
