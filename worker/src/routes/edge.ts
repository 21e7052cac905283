// Why: devices verify viewer grants themselves with the edge's public key (defense in depth if
// signaling is ever compromised); they fetch and pin it from here.
import { Hono } from "hono";
import type { EdgeJwks } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { edgePublicJwk } from "../auth/ticket.ts";

export const edgeRoutes = new Hono<AppEnv>();

edgeRoutes.get("/jwks", async (c) => {
  // Public and rarely changing; five minutes bounds how long a rotated key lingers in caches.
  c.header("cache-control", "public, max-age=300");
  return c.json({ keys: [await edgePublicJwk(c.env)] } satisfies EdgeJwks);
});
