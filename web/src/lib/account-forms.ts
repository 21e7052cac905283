// Why: the account, claim and share forms check what they can before a round trip, with the
// same schemas the edge uses (protocol/accounts.ts), and say which field is wrong and how.
import { ClaimCameraRequestSchema, CreateShareRequestSchema, EmailSchema, PasswordSchema } from "../../../protocol/accounts.ts";
import type { ClaimCameraRequest, CreateShareRequest, Credentials } from "../../../protocol/accounts.ts";
import { MAX_MAX_VIEWERS, MIN_MAX_VIEWERS, SHARE_ROLES, type ShareRole } from "../../../protocol/roles.ts";
import { isValidAccessCode, isValidSerial, normalizeAccessCode, normalizeSerial } from "./prefill.ts";

export type FormResult<T, F extends string> = { ok: true; value: T } | { ok: false; field: F; message: string };

export const MIN_PASSWORD_LENGTH = 8;

/** Sign in / sign up. Sign-up asks for a longer password; sign-in only refuses empty fields. */
export function validateCredentials(email: string, password: string, mode: "signin" | "signup"): FormResult<Credentials, "email" | "password"> {
  const e = EmailSchema.safeParse(email);
  if (!e.success) return { ok: false, field: "email", message: email.trim() ? "Enter an email address like name@example.com." : "Enter your email address." };
  if (!password) return { ok: false, field: "password", message: "Enter your password." };
  if (mode === "signup" && !PasswordSchema.safeParse(password).success) {
    return {
      ok: false,
      field: "password",
      message: password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters — a few words make a good password.` : "That password is too long (256 characters at most).",
    };
  }
  // Sign-in sends whatever the user typed; the edge says whether it matches.
  return { ok: true, value: { email: e.data, password } };
}

/** Add camera: serial and label code, optional name. */
export function validateClaim(serial: string, accessCode: string, name = ""): FormResult<ClaimCameraRequest, "serial" | "code" | "name"> {
  const s = normalizeSerial(serial);
  if (!isValidSerial(s)) return { ok: false, field: "serial", message: "Enter the serial from the camera's label — letters, digits and dashes." };
  const c = normalizeAccessCode(accessCode);
  if (!isValidAccessCode(c)) return { ok: false, field: "code", message: "Enter the access code from the label (at least 6 characters)." };
  const n = name.trim();
  if (n.length > 128) return { ok: false, field: "name", message: "Use a shorter name (128 characters at most)." };
  const parsed = ClaimCameraRequestSchema.safeParse({ serial: s, accessCode: c, ...(n ? { name: n } : {}) });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, field: "serial", message: "Check the serial and code." };
}

export function isShareRole(v: string): v is ShareRole {
  return (SHARE_ROLES as readonly string[]).includes(v);
}

/** Share with another account. */
export function validateShare(email: string, role: string): FormResult<CreateShareRequest, "email" | "role"> {
  if (!isShareRole(role)) return { ok: false, field: "role", message: "Choose Viewer or Guest." };
  const parsed = CreateShareRequestSchema.safeParse({ email, role });
  if (!parsed.success) return { ok: false, field: "email", message: "Enter the email address of their Porthole account." };
  return { ok: true, value: parsed.data };
}

/** Max viewers from a number input: a whole number in the range the edge allows. */
export function validateMaxViewers(input: string | number): FormResult<number, "maxViewers"> {
  const n = typeof input === "number" ? input : Number(String(input).trim() || NaN);
  if (!Number.isInteger(n) || n < MIN_MAX_VIEWERS || n > MAX_MAX_VIEWERS) {
    return { ok: false, field: "maxViewers", message: `Choose a whole number from ${MIN_MAX_VIEWERS} to ${MAX_MAX_VIEWERS}.` };
  }
  return { ok: true, value: n };
}

/** Rename: 1–128 characters after trimming. */
export function validateCameraName(input: string): FormResult<string, "name"> {
  const n = input.trim();
  if (!n) return { ok: false, field: "name", message: "Give the camera a name." };
  if (n.length > 128) return { ok: false, field: "name", message: "Use a shorter name (128 characters at most)." };
  return { ok: true, value: n };
}
