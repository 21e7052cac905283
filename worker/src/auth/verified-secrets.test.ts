import { describe, expect, it } from "vitest";
import { createVerifiedSecrets, VERIFIED_MAX, VERIFIED_TTL_MS, type Verify } from "./verified-secrets.ts";

/** A stand-in for PBKDF2 that counts its calls: `secret` matches `stored` when stored is "hash-of-<secret>". */
function countingVerify(): { verify: Verify; calls: () => number } {
  let n = 0;
  return { verify: async (secret, stored) => (n++, stored === `hash-of-${secret}`), calls: () => n };
}

describe("recently verified secrets (access codes)", () => {
  it("runs the slow check once for a right code and answers its repeats from memory until the TTL", async () => {
    const v = createVerifiedSecrets();
    const { verify, calls } = countingVerify();
    expect(await v.check("ABC", "hash-of-ABC", verify, 1000)).toBe(true);
    expect(await v.check("ABC", "hash-of-ABC", verify, 2000)).toBe(true);
    expect(calls()).toBe(1);
    expect(await v.check("ABC", "hash-of-ABC", verify, 1000 + VERIFIED_TTL_MS)).toBe(true);
    expect(calls()).toBe(2);
  });

  it("never remembers a wrong code: every guess pays the slow check", async () => {
    const v = createVerifiedSecrets();
    const { verify, calls } = countingVerify();
    for (let i = 0; i < 3; i++) expect(await v.check("WRONG", "hash-of-ABC", verify)).toBe(false);
    expect(calls()).toBe(3);
    expect(v.size).toBe(0);
  });

  it("checks again when the stored hash changed (the code was rotated), and the old code no longer matches", async () => {
    const v = createVerifiedSecrets();
    const { verify, calls } = countingVerify();
    expect(await v.check("ABC", "hash-of-ABC", verify)).toBe(true);
    expect(await v.check("ABC", "hash-of-XYZ", verify)).toBe(false);
    expect(calls()).toBe(2);
  });

  it("keeps at most VERIFIED_MAX entries, dropping the oldest", async () => {
    const v = createVerifiedSecrets();
    const { verify, calls } = countingVerify();
    for (let i = 0; i <= VERIFIED_MAX; i++) await v.check(`C${i}`, `hash-of-C${i}`, verify);
    expect(v.size).toBe(VERIFIED_MAX);
    const before = calls();
    await v.check("C0", "hash-of-C0", verify);
    expect(calls()).toBe(before + 1);
    await v.check(`C${VERIFIED_MAX}`, `hash-of-C${VERIFIED_MAX}`, verify);
    expect(calls()).toBe(before + 1);
  });
});
