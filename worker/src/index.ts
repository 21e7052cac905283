// Why: the Worker's entry: the hono app handles fetch; the Cron Trigger prunes old analytics rows
// and repairs the hourly roll-up (analytics/maintenance.ts); DeviceHub
// is exported for its binding.
import { runMaintenance } from "./analytics/maintenance.ts";
import { app } from "./app.ts";
import { log } from "./log.ts";

export { DeviceHub } from "./hub/device-hub.ts";

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const run = await runMaintenance(env.DB, controller.scheduledTime);
    log({ event: "analytics_maintained", repairedHours: run.repairedHours, pruned: run.pruned, failed: run.failed.map((f) => f.step), ms: run.ms });
    for (const f of run.failed) log({ event: "internal_error", path: `cron:${f.step}`, message: f.message });
    // A failed step fails the invocation too, so Cloudflare's cron history shows it.
    if (run.failed.length > 0) throw new Error(`analytics maintenance failed: ${run.failed.map((f) => f.step).join(", ")}`);
  },
} satisfies ExportedHandler<Env>;
