// Why: the agent version reported in `hello` and logs; kept in one place.
export const AGENT_VERSION = "0.1.0";
