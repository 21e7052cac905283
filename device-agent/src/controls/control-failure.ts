// Why: handlers throw one error type carrying a stable control error code (protocol/controls.ts);
// the router turns it into the reply, so a handler never formats wire errors itself.
import type { ControlError, ControlErrorCode } from "../../../protocol/index.ts";

export class ControlFailure extends Error {
  readonly code: ControlErrorCode;
  readonly field: string | undefined;
  constructor(code: ControlErrorCode, message: string, field?: string) {
    super(message);
    this.name = "ControlFailure";
    this.code = code;
    this.field = field;
  }

  toWire(): ControlError {
    return { code: this.code, message: this.message.slice(0, 500), ...(this.field ? { field: this.field } : {}) };
  }

  static unsupported(what: string): ControlFailure {
    return new ControlFailure("unsupported", what);
  }
  static invalid(field: string, message: string): ControlFailure {
    return new ControlFailure("invalid_value", `${field}: ${message}`, field);
  }
  static notFound(what: string): ControlFailure {
    return new ControlFailure("not_found", what);
  }
  static busy(message: string): ControlFailure {
    return new ControlFailure("busy", message);
  }
  /** The camera hardware (ONVIF fault…) said no; `reason` is its own words. */
  static refused(reason: string): ControlFailure {
    return new ControlFailure("device_refused", reason);
  }
}
