// Why: one tiny observable store around the pure session reducer, read by Preact and by the
// window.__porthole test handle alike (no state library needed for one reducer).
import { initialSessionState, sessionReducer, type SessionEvent, type SessionState } from "../lib/session-state.ts";

export interface SessionStore {
  getState(): SessionState;
  dispatch(event: SessionEvent): void;
  subscribe(listener: (state: SessionState) => void): () => void;
}

export function createSessionStore(initial: SessionState = initialSessionState): SessionStore {
  let state = initial;
  const listeners = new Set<(state: SessionState) => void>();
  return {
    getState: () => state,
    dispatch(event) {
      const next = sessionReducer(state, event);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
