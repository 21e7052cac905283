// Why: what the deploy changes is decided by one pure function of what it observed, so the
// order (secrets, then migrations, then code) and "a second run changes nothing" are tested
// without an account.
import { planSecrets, type MintedSecret } from "./secrets.ts";

export interface EdgeObservation {
  /** Secret names on the Worker; null when the Worker does not exist yet. */
  secrets: string[] | null;
  /** Migrations the remote database has not applied, in order. */
  pendingMigrations: string[];
  /** The live version's content tag (null: none, or not made by this deploy). */
  liveTag: string | null;
  /** The content tag of what this run built. */
  buildTag: string;
  turnRegionsConfigured: boolean;
}

export type DeployStep =
  | { type: "put-secret"; name: MintedSecret }
  | { type: "apply-migrations"; names: string[] }
  | { type: "deploy"; tag: string; reason: string };

export interface EdgePlan {
  steps: DeployStep[];
  warnings: string[];
}

/**
 * Secrets first (the Worker's required secrets must exist before code that needs them is live),
 * then the remote migrations, then the code: a deploy never runs against an older schema.
 */
export function planEdge(o: EdgeObservation): EdgePlan {
  const secrets = planSecrets(o.secrets ?? [], o.turnRegionsConfigured);
  const steps: DeployStep[] = secrets.put.map((name) => ({ type: "put-secret", name }));
  if (o.pendingMigrations.length) steps.push({ type: "apply-migrations", names: [...o.pendingMigrations] });
  if (o.liveTag !== o.buildTag) {
    const reason = o.secrets === null ? "first deploy" : o.liveTag ? `live version is ${o.liveTag}` : "live version has no content tag";
    steps.push({ type: "deploy", tag: o.buildTag, reason });
  } else if (secrets.put.length) {
    // A secret put makes a new version of the live code without our tag; deploying the same build
    // once more puts the tag back, so the next run sees its build live and does nothing.
    steps.push({ type: "deploy", tag: o.buildTag, reason: "secrets were added" });
  }
  return { steps, warnings: secrets.warnings };
}

export function describeStep(step: DeployStep): string {
  switch (step.type) {
    case "put-secret":
      return `set secret ${step.name} (minted, value not shown)`;
    case "apply-migrations":
      return `apply ${step.names.length} remote migration(s): ${step.names.join(", ")}`;
    case "deploy":
      return `deploy ${step.tag} (${step.reason})`;
  }
}
