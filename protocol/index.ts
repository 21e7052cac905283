// Why: the single import for every wire type, shared by worker/, web/ and device-agent/.
export * from "./version.ts";
export * from "./errors.ts";
export * from "./ice.ts";
export * from "./auth.ts";
export * from "./http.ts";
export * from "./roles.ts";
export * from "./accounts.ts";
export * from "./parse.ts";
export * from "./device-edge.ts";
export * from "./viewer-edge.ts";
export * from "./data-channel.ts";
export * from "./controls.ts";
export * from "./utf8.ts";
export * from "./device-doctor.ts";
export * from "./nat.ts";
export * from "./path-prediction.ts";
