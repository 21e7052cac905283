// Why: one import for the deploy CLI and its tests.
export { runDeploy, DeployError, type DeployDeps, type DeployReport } from "./run.ts";
export { parseDeployArgs, DEPLOY_USAGE, type DeployOptions } from "./options.ts";
export { createWrangler, wranglerBin, deployWranglerEnv, type Wrangler, type WranglerResult } from "./wrangler-runner.ts";
export { planEdge, describeStep, type DeployStep, type EdgeObservation } from "./plan.ts";
export { planDatabase, parseD1List } from "./d1.ts";
export { recordDatabaseId } from "./record-database-id.ts";
