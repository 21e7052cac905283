// Why: re-renders a Preact component whenever the session store changes.
import { useEffect, useState } from "preact/hooks";
import type { SessionState } from "../lib/session-state.ts";
import type { SessionStore } from "../session/store.ts";

export function useSessionState(store: SessionStore): SessionState {
  const [state, setState] = useState(store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(setState);
  }, [store]);
  return state;
}
