// Why: one table of who may do what with a camera, read by the edge (routes, hub) and by the
// device agent (data channel), so a role means the same thing everywhere.

/** A person's role on one camera. `code` = watching with the label's access code, no account. */
export const ROLES = ["owner", "viewer", "guest"] as const;
export type Role = (typeof ROLES)[number];
/** Every role a viewer session can carry (tickets, hub, session history). */
export const SESSION_ROLES = [...ROLES, "code"] as const;
export type SessionRole = (typeof SESSION_ROLES)[number];

/** What a role can do. Watching is the floor: every session may watch. */
export const CAPABILITIES = ["watch", "talk", "ptz", "snapshot", "playback", "settings", "manage"] as const;
export type Capability = (typeof CAPABILITIES)[number];

const GRANTS: Record<SessionRole, readonly Capability[]> = {
  owner: CAPABILITIES,
  // viewer: watch, talk, PTZ (issue text) plus the read-only extras that go with watching.
  viewer: ["watch", "talk", "ptz", "snapshot", "playback"],
  // guest: watch only.
  guest: ["watch"],
  // Access-code viewing is the label's promise: watch only, like a guest.
  code: ["watch"],
};

export function can(role: SessionRole, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

/** Roles an owner can hand out when sharing. */
export const SHARE_ROLES = ["viewer", "guest"] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];

/** Concurrent viewers per camera: the seed product's default and the range an owner may set. */
export const DEFAULT_MAX_VIEWERS = 3;
export const MIN_MAX_VIEWERS = 1;
export const MAX_MAX_VIEWERS = 10;
