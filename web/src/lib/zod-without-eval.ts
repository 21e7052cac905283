// Why: the edge's Content-Security-Policy has no 'unsafe-eval' (worker/src/security/policy.ts).
// Zod 4 probes `new Function("")` when it builds each object schema, to pick a compiled fast
// path; under the CSP the probe is refused, and although Zod swallows the error the browser
// still reports a `securitypolicyviolation` (CSP3 §4.4) on every start. `jitless` skips the
// probe and the compiled path — which the CSP forbids anyway. It is read when a schema is built,
// so main.tsx imports this module before anything that defines one.
import { z } from "zod";

z.config({ jitless: true });
