// Why: "which path will this camera and this viewer take" follows from both sides' NAT
// behaviour alone (RFC 4787 §4.1 mapping, §5 filtering; RFC 8445 §2.1). One pure table shared
// by the edge, the PWA's connection test and session explanations, and the NAT lab, so the
// prediction people see is the one the lab checks against the path actually taken.
import { z } from "zod";
import { FILTERING_BEHAVIORS, MAPPING_BEHAVIORS, type NatStatus } from "./nat.ts";

/** One side's NAT as far as it is known. The camera learns it by RFC 5780 tests, a browser by the connection test. */
export const NatSideSchema = z.object({
  mapping: z.enum(MAPPING_BEHAVIORS),
  filtering: z.enum(FILTERING_BEHAVIORS),
  udpBlocked: z.boolean(),
});
export type NatSide = z.infer<typeof NatSideSchema>;

export const PREDICTED_PATHS = ["lan", "p2p", "relay", "unknown"] as const;
export type PredictedPath = (typeof PREDICTED_PATHS)[number];

/** Why the prediction came out as it did: stable codes the UIs turn into words. */
export const PREDICTION_REASONS = [
  /** Both ends share a public address: most likely one home network (host candidates win). */
  "same-network",
  /** Neither side blocks UDP and at least one side keeps one mapping and accepts it (punchable). */
  "punchable",
  "camera-udp-blocked",
  "viewer-udp-blocked",
  /** The camera's NAT maps per destination and the viewer filters per port (or the reverse, or both map per destination). */
  "camera-symmetric-viewer-port-filtering",
  "viewer-symmetric-camera-port-filtering",
  "both-symmetric",
  /** A behaviour the table needs was not measured on the camera or the viewer. */
  "camera-unknown",
  "viewer-unknown",
] as const;
export type PredictionReason = (typeof PREDICTION_REASONS)[number];

export interface PathPrediction {
  path: PredictedPath;
  reason: PredictionReason;
}

/** A mapping that gives each destination its own public port (RFC 3489 "symmetric"). */
function mapsPerDestination(m: NatSide["mapping"]): boolean | null {
  if (m === "unknown") return null;
  return m === "address-dependent" || m === "address-and-port-dependent" || m === "endpoint-dependent";
}

/** Drops packets from a port it has not sent to (RFC 4787 APDF), which a per-destination mapping always hits. */
function filtersPerPort(f: NatSide["filtering"]): boolean | null {
  if (f === "unknown") return null;
  return f === "address-and-port-dependent";
}

/**
 * The path a camera and a viewer should take. A check from a per-destination mapping arrives
 * from a port the other side never sent to, so it passes only a NAT whose filtering is
 * endpoint- or address-independent of the port (RFC 4787 §5: EIF or ADF); two per-destination
 * mappings never meet. Everything else punches. UDP blocked on either side leaves TURN over
 * TCP/TLS. A behaviour that matters but was not measured gives `unknown`, never a guess.
 */
export function predictPath(camera: NatSide | null, viewer: NatSide | null, opts: { sameNetwork?: boolean } = {}): PathPrediction {
  if (opts.sameNetwork) return { path: "lan", reason: "same-network" };
  if (camera?.udpBlocked) return { path: "relay", reason: "camera-udp-blocked" };
  if (viewer?.udpBlocked) return { path: "relay", reason: "viewer-udp-blocked" };
  if (!camera) return { path: "unknown", reason: "camera-unknown" };
  if (!viewer) return { path: "unknown", reason: "viewer-unknown" };
  const camSym = mapsPerDestination(camera.mapping);
  const viewSym = mapsPerDestination(viewer.mapping);
  if (camSym === true && viewSym === true) return { path: "relay", reason: "both-symmetric" };
  if (camSym === true) {
    const vf = filtersPerPort(viewer.filtering);
    if (vf === null) return { path: "unknown", reason: "viewer-unknown" };
    if (viewSym === null) return { path: "unknown", reason: "viewer-unknown" };
    return vf ? { path: "relay", reason: "camera-symmetric-viewer-port-filtering" } : { path: "p2p", reason: "punchable" };
  }
  if (viewSym === true) {
    const cf = filtersPerPort(camera.filtering);
    if (cf === null) return { path: "unknown", reason: "camera-unknown" };
    if (camSym === null) return { path: "unknown", reason: "camera-unknown" };
    return cf ? { path: "relay", reason: "viewer-symmetric-camera-port-filtering" } : { path: "p2p", reason: "punchable" };
  }
  if (camSym === null) return { path: "unknown", reason: "camera-unknown" };
  if (viewSym === null) return { path: "unknown", reason: "viewer-unknown" };
  return { path: "p2p", reason: "punchable" };
}

/** The camera's reported status as a prediction input. */
export function natSideOf(status: Pick<NatStatus, "mapping" | "filtering" | "udpBlocked"> | null | undefined): NatSide | null {
  return status ? { mapping: status.mapping, filtering: status.filtering, udpBlocked: status.udpBlocked } : null;
}
