// Why: the edge's durable records (vendors, their devices, auth-failure counters) live in D1;
// this schema is the single source drizzle-kit generates migrations/ from.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A camera maker. Its public key verifies the device tokens and vendor API calls it signs. */
export const vendors = sqliteTable("vendors", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  /** Public JWK as JSON (no private members). */
  publicJwk: text("public_jwk").notNull(),
  alg: text("alg", { enum: ["ES256", "EdDSA"] }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** A camera, known by the serial printed on its label. */
export const devices = sqliteTable(
  "devices",
  {
    serial: text("serial").primaryKey(),
    vendorId: text("vendor_id")
      .notNull()
      .references(() => vendors.id),
    name: text("name").notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`; the code itself is never stored. */
    accessCodeHash: text("access_code_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    revoked: integer("revoked", { mode: "boolean" }).notNull().default(sql`0`),
  },
  (t) => [index("devices_vendor_id_idx").on(t.vendorId)],
);

/** Fixed-window counters of failed access-code attempts, keyed by scope (serial, serial+IP). */
export const authFailures = sqliteTable("auth_failures", {
  key: text("key").primaryKey(),
  /** Epoch ms the current window opened. */
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

export type VendorRow = typeof vendors.$inferSelect;
export type DeviceRow = typeof devices.$inferSelect;
