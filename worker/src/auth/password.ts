// Why: account passwords are stored only as salted PBKDF2-SHA256 hashes (pbkdf2.ts). Sign-in
// for an unknown email still runs one PBKDF2, so response time does not tell whether the
// account exists.
import { pbkdf2Hash, pbkdf2Verify } from "./pbkdf2.ts";

/** NFC so the same passphrase typed on two keyboards (composed vs decomposed) hashes alike. */
function normalize(password: string): string {
  return password.normalize("NFC");
}

export function hashPassword(password: string): Promise<string> {
  return pbkdf2Hash(normalize(password));
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  return pbkdf2Verify(normalize(password), stored);
}

let dummyHash: Promise<string> | undefined;

/** Same work as verifyPassword against a real hash; always false. For unknown emails. */
export async function verifyPasswordAgainstNobody(password: string): Promise<false> {
  dummyHash ??= pbkdf2Hash("porthole-dummy-password");
  await pbkdf2Verify(normalize(password), await dummyHash);
  return false;
}
