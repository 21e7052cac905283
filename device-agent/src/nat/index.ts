// Why: one import for NAT behaviour discovery (the agent's scheduler, `porthole-agent doctor`, the lab).
export { classifyNat, NAT_TYPE_LABELS, type FilteringBehavior, type MappingBehavior, type NatBehavior, type NatType } from "./classify.ts";
export { discoverNatBehavior, type Endpoint, type NatDiscoveryOptions, type NatReport } from "./discover.ts";
export { createNatMonitor, parseStunTarget, stunTargetsFrom, type NatDiscoveryReason, type NatMonitor, type StunTarget } from "./monitor.ts";
