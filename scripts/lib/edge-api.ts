// Why: scripts (npm start, e2e, benches) talk to the edge's account API like the PWA does — a
// session cookie and JSON — so the demo camera can have a real owner.
import { z } from "zod";
import { callEdge, EdgeRequestError as EdgeApiError } from "../provision/edge-client.ts";

/** The same error the vendor CLI raises: HTTP status plus the edge's stable code. */
export { EdgeRequestError as EdgeApiError } from "../provision/edge-client.ts";

/** A signed-in client: keeps the session cookie between calls. */
export class EdgeSession {
  private cookie = "";
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const headers: Record<string, string> = { origin: this.base };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await callEdge(this.base, method, path, schema, {
      headers,
      ...(body !== undefined ? { body } : {}),
      onResponse: (r) => {
        for (const set of r.headers.getSetCookie()) {
          const pair = set.split(";", 1)[0] ?? "";
          if (pair) this.cookie = pair;
        }
      },
    });
    return res.body;
  }

  /**
   * Signs in, or signs up when the account does not exist yet. Sign-in first: sign-ups are
   * limited per address and every one counts (SIGNUP_LIMIT), and `npm start`, rerun against its
   * saved database, would otherwise use one up on every start.
   */
  async signUpOrIn(email: string, password: string): Promise<void> {
    try {
      await this.call("POST", "/api/auth/login", z.unknown(), { email, password });
    } catch (error) {
      if (!(error instanceof EdgeApiError) || error.code !== "invalid_credentials") throw error;
      await this.call("POST", "/api/auth/signup", z.unknown(), { email, password });
    }
  }
}
