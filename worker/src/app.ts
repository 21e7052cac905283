// Why: the edge's HTTP surface in one place: routes, the single error handler, and the
// fallthrough to the PWA's static assets.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./app-env.ts";
import { db } from "./db/client.ts";
import { errorResponse, onError, PortholeError } from "./errors.ts";
import { csrfGuard } from "./auth/csrf.ts";
import { securityHeadersMiddleware } from "./security/index.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authRoutes } from "./routes/auth.ts";
import { connectionTestRoutes } from "./routes/connection-test.ts";
import { cameraRoutes } from "./routes/cameras.ts";
import { deviceDoctorRoutes } from "./routes/device-doctor.ts";
import { deviceDoctorReportRoutes } from "./routes/device-doctor-report.ts";
import { deviceRoutes } from "./routes/devices.ts";
import { edgeRoutes } from "./routes/edge.ts";
import { eventRoutes } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { meRoutes } from "./routes/me.ts";
import { opsRoutes } from "./routes/ops.ts";
import { pushRoutes } from "./routes/push.ts";
import { sessionReportRoutes } from "./routes/session-reports.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { socketRoutes } from "./routes/sockets.ts";
import { watchSocketRoutes } from "./routes/watch-socket.ts";
import { vendorRoutes } from "./routes/vendor.ts";
import { wsProbeRoutes } from "./routes/ws-probe.ts";

/** Largest API request body (a JWK or a session request is well under 1 KiB). */
const MAX_BODY_BYTES = 16 * 1024;

export const app = new Hono<AppEnv>();

// First, so every answer below it (errors and not-found included) gets the headers.
app.use("*", securityHeadersMiddleware);
app.use("*", async (c, next) => {
  c.set("db", db(c.env.DB));
  await next();
});
app.use(
  "/api/*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PortholeError("message_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    },
  }),
);

// Routes a browser reaches with the session cookie (or signs in through) get the CSRF guard;
// the admin and vendor APIs authenticate with bearer tokens, which browsers never add on
// their own, so scripts keep calling them as before.
for (const path of ["/api/auth/*", "/api/cameras", "/api/cameras/*", "/api/sessions", "/api/sessions/*", "/api/me", "/api/connection-test", "/api/push/*", "/api/events", "/api/ops/*"]) {
  app.use(path, csrfGuard);
}

app.route("/api/health", healthRoutes);
app.route("/api/auth", authRoutes);
app.route("/api/me", meRoutes);
app.route("/api/cameras", cameraRoutes);
app.route("/api/push", pushRoutes);
app.route("/api/events", eventRoutes);
app.route("/api/edge", edgeRoutes);
app.route("/api/admin", adminRoutes);
app.route("/api/ops", opsRoutes);
app.route("/api/vendor", vendorRoutes);
app.route("/api/sessions", sessionRoutes);
// Outside the CSRF guard on purpose: it reads no cookie (routes/session-reports.ts says why).
app.route("/api/session-reports", sessionReportRoutes);
app.route("/api/devices", deviceRoutes);
app.route("/api/devices", deviceDoctorRoutes);
app.route("/api/devices", deviceDoctorReportRoutes);
app.route("/api/connection-test", connectionTestRoutes);
app.route("/ws/probe", wsProbeRoutes);
app.route("/ws/watch", watchSocketRoutes);
app.route("/ws", socketRoutes);

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  if (path.startsWith("/api/") || path === "/api" || path.startsWith("/ws/")) {
    return errorResponse(c, new PortholeError("not_found", `No route for ${c.req.method} ${path}.`));
  }
  // Only reached when the asset router let a non-API path through (e.g. in tests).
  return c.env.ASSETS.fetch(c.req.raw);
});
app.onError(onError);
