// Why: the Worker's entry: the hono app handles fetch; the Cron Trigger prunes old analytics rows
// and repairs the hourly roll-up (analytics/retention.ts, analytics/rollup-repair.ts); DeviceHub
// is exported for its binding.
import { pruneOnce } from "./analytics/retention.ts";
import { repairRollups } from "./analytics/rollup-repair.ts";
import { app } from "./app.ts";

export { DeviceHub } from "./hub/device-hub.ts";

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    // Repair first: an hour about to lose its raw rows is settled by then (30 days), so the
    // order only matters for reports stored before the roll-up existed.
    await repairRollups(env.DB, controller.scheduledTime);
    await pruneOnce(env.DB, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
