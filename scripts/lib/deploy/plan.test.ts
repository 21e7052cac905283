import { describe, expect, it } from "vitest";
import { planDatabase } from "./d1.ts";
import { planEdge, type EdgeObservation } from "./plan.ts";

const fresh: EdgeObservation = { secrets: null, pendingMigrations: ["0000_a.sql", "0001_b.sql"], liveTag: null, buildTag: "porthole-1", turnRegionsConfigured: false };

describe("planEdge", () => {
  it("on a fresh account sets every minted secret, then applies the migrations, then deploys", () => {
    expect(planEdge(fresh).steps.map((s) => s.type + ("name" in s ? `:${s.name}` : ""))).toEqual([
      "put-secret:ADMIN_TOKEN",
      "put-secret:EDGE_SIGNING_JWK",
      "put-secret:VAPID_PRIVATE_JWK",
      "apply-migrations",
      "deploy",
    ]);
  });

  it("does nothing when the secrets exist, nothing is pending and the build is live", () => {
    expect(planEdge({ ...fresh, secrets: ["ADMIN_TOKEN", "EDGE_SIGNING_JWK", "VAPID_PRIVATE_JWK"], pendingMigrations: [], liveTag: "porthole-1" })).toEqual({ steps: [], warnings: [] });
  });

  it("never puts a secret that exists, and never mints TURN_SECRET (only warns when TURN_REGIONS is set)", () => {
    const plan = planEdge({ ...fresh, secrets: ["ADMIN_TOKEN", "EDGE_SIGNING_JWK"], pendingMigrations: [], liveTag: "porthole-1", turnRegionsConfigured: true });
    expect(plan.steps.filter((s) => s.type === "put-secret")).toEqual([{ type: "put-secret", name: "VAPID_PRIVATE_JWK" }]);
    expect(plan.warnings.join()).toMatch(/TURN_SECRET/);
  });

  it("redeploys the same build after adding a secret, so the live version carries the tag again", () => {
    const plan = planEdge({ ...fresh, secrets: ["ADMIN_TOKEN", "EDGE_SIGNING_JWK"], pendingMigrations: [], liveTag: "porthole-1" });
    expect(plan.steps.at(-1)).toMatchObject({ type: "deploy", reason: "secrets were added" });
  });
});

describe("planDatabase", () => {
  const placeholder = { name: "porthole", id: "00000000-0000-0000-0000-000000000000" };
  it("creates a missing database, records one found by name, and keeps a recorded one", () => {
    expect(planDatabase(placeholder, [])).toEqual({ type: "create", name: "porthole" });
    expect(planDatabase(placeholder, [{ uuid: "u1", name: "porthole" }])).toEqual({ type: "record", id: "u1" });
    expect(planDatabase({ name: "porthole", id: "u1" }, [{ uuid: "u1", name: "porthole" }])).toEqual({ type: "none", id: "u1" });
  });

  it("refuses a recorded id the account does not have, and two databases of the same name", () => {
    expect(planDatabase({ name: "porthole", id: "u9" }, [{ uuid: "u1", name: "porthole" }]).type).toBe("refuse");
    expect(planDatabase(placeholder, [{ uuid: "u1", name: "porthole" }, { uuid: "u2", name: "porthole" }]).type).toBe("refuse");
  });
});
