// Why: every connection (device↔edge, viewer↔edge, viewer↔device data channel) opens with a
// version so either side can refuse a peer it cannot speak to, clearly, instead of failing later.

/** The wire protocol version this build speaks. */
export const PROTOCOL_VERSION = 1 as const;

/** Versions this build accepts in a peer's first message. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

export function isSupportedVersion(v: number): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(v);
}
