// Why: the lab's fixed address plan (shared/notes/nat-lab.md). Only TEST-NET-2 (RFC 5737) and
// RFC 1918 addresses, and only inside namespaces the lab creates.
export const EDGE_IP = "198.51.100.10";
/** Second server address, for RFC 5780 NAT behaviour discovery. */
export const EDGE_IP_2 = "198.51.100.11";
export const EDGE_PORT = 8787;
export const EDGE_URL = `http://${EDGE_IP}:${EDGE_PORT}`;
export const TURN_PORT = 3478;
/** TURN over TLS (turns:) on the HTTPS port, the one port the strictest networks let out. */
export const TURN_TLS_PORT = 443;
export const PUBLIC_PREFIX = 24;

export interface HomePlan {
  wanIp: string;
  lanGateway: string;
  lanPrefix: number;
  hosts: Record<string, string>;
}

/** rA: the camera's home (hA runs the agent; hA2 is a viewer on the same LAN). */
export const CAMERA_HOME: HomePlan = { wanIp: "198.51.100.21", lanGateway: "192.168.1.1", lanPrefix: 24, hosts: { hA: "192.168.1.10", hA2: "192.168.1.11" } };
/** rB: the remote viewer's home. */
export const VIEWER_HOME: HomePlan = { wanIp: "198.51.100.22", lanGateway: "192.168.2.1", lanPrefix: 24, hosts: { hB: "192.168.2.10" } };
