export { mintTurnCredential, TURN_CREDENTIAL_TTL_SECONDS, type TurnCredential } from "./credentials.ts";
export { turnConfig, type TurnConfig } from "./config.ts";
export { MAX_TURN_REGIONS, parseTurnRegions, pickRegions, requesterLocation, TurnRegionSchema, type RequesterLocation, type TurnRegion } from "./regions.ts";
export { deviceStunUrls, iceServersWithTurn, mintSessionTurn, type SessionTurn, type TurnGrant } from "./session-turn.ts";
export { connectionTestIce, hostPortOf, relayTransportOf, stunProbes, type ConnectionTestIce } from "./connection-test-probes.ts";
