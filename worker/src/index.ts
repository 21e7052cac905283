// Why: the Worker's entry: the hono app handles fetch, the Cron Trigger prunes old analytics
// rows (analytics/retention.ts); DeviceHub is exported for its binding.
import { pruneOnce } from "./analytics/retention.ts";
import { app } from "./app.ts";

export { DeviceHub } from "./hub/device-hub.ts";

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await pruneOnce(env.DB, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
