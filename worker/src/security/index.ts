// Why: the origin's browser security headers: one policy, sent by the worker and written into
// the static assets' `_headers` file.
export { securityHeadersMiddleware } from "./headers-middleware.ts";
export { headersFile } from "./headers-file.ts";
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY, securityHeaders } from "./policy.ts";
