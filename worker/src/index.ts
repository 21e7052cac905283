// Why: the Worker's entry: the hono app handles fetch; DeviceHub is exported for its binding.
import { app } from "./app.ts";

export { DeviceHub } from "./hub/device-hub.ts";

export default app satisfies ExportedHandler<Env>;
