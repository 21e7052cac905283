// Why: no secret value may reach the terminal, even inside wrangler's own output or an error;
// everything the deploy prints passes through here first.

/** A redactor that hides every registered value (and a JWK's private "d" on its own). */
export function createRedactor(): { add(value: string): void; redact(text: string): string } {
  const values = new Set<string>();
  return {
    add(value) {
      if (value.length >= 8) values.add(value);
      try {
        const jwk = JSON.parse(value) as { d?: unknown };
        if (typeof jwk.d === "string" && jwk.d.length >= 8) values.add(jwk.d);
      } catch {
        // Not JSON: the value itself is registered.
      }
    },
    redact(text) {
      let out = text;
      for (const v of values) out = out.split(v).join("[redacted]");
      return out;
    },
  };
}
