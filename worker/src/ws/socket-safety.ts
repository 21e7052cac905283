// Why: the hub and the worker's viewer pipe both write to sockets a peer may have closed a moment
// ago, and both pass on close codes they received: one copy of each rule.

/** 1005/1006/1015 describe a close but may not be sent in a close frame (RFC 6455 §7.4.1). */
export function sendableCloseCode(code: number): number {
  return code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999) ? code : 1000;
}

/**
 * A peer may vanish between our decision and the write; that must not abort what else we do.
 * The socket's own close event brings everyone up to date.
 */
export function trySocket(action: () => void): void {
  try {
    action();
  } catch {
    // Closed already.
  }
}
