import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RTCDataChannel } from "werift";
import { decodeBulkFrame, DcResponseSchema, DcEventSchema } from "../../protocol/index.ts";
import { createCameraControls, type CameraControls } from "../src/controls/camera-controls.ts";
import { settingsFeature } from "../src/controls/settings/settings-feature.ts";
import { defaultSettings, openSettingsStore } from "../src/controls/settings/settings-store.ts";
import { silentLogger } from "../src/log.ts";
import { createDemoSource } from "../src/media/demo-source.ts";
import { createMediaHub, type MediaHub } from "../src/media/media-hub.ts";
import type { MediaSource } from "../src/media/source.ts";
import { connectLoopback, waitFor } from "./loopback-viewer.ts";

let source: MediaSource;
let hub: MediaHub;
let controls: CameraControls;
const BLOB = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);

beforeAll(async () => {
  source = createDemoSource();
  hub = createMediaHub(source);
  await source.start();
  const store = openSettingsStore(mkdtempSync(path.join(tmpdir(), "porthole-ctl-")), defaultSettings("Loop cam"));
  controls = createCameraControls(
    [
      settingsFeature(store),
      // A stand-in binary producer: exercises the bulk channel end to end over real SCTP.
      () => ({
        name: "blob",
        handlers: {
          "snapshot.take": async (_p, session) => {
            void session.sendBulk(42, BLOB);
            return { transfer: 42, bytes: BLOB.byteLength, mime: "image/jpeg" as const, width: 1, height: 1 };
          },
        },
      }),
    ],
    silentLogger,
  );
});

afterAll(async () => {
  await controls.stop();
  hub.close();
  await source.stop();
});

function collect(dc: RTCDataChannel): unknown[] {
  const got: unknown[] = [];
  dc.onMessage.subscribe((m) => typeof m === "string" && got.push(JSON.parse(m)));
  return got;
}

describe("camera controls over a real data channel", () => {
  it("answers requests by id, refuses what the role lacks, and pushes change events", async () => {
    const pair = await connectLoopback(hub, "both", { controls, role: "owner" });
    try {
      const dc = await pair.channel;
      await waitFor(() => dc.readyState === "open", 10_000, "control channel open");
      const got = collect(dc);
      dc.send(JSON.stringify({ type: "req", id: 1, method: "settings.get", params: {} }));
      dc.send(JSON.stringify({ type: "req", id: 2, method: "settings.set", params: { patch: { timeZone: "Nowhere/Land" } } }));
      dc.send("{not json");
      dc.send(JSON.stringify({ type: "req", id: 3, method: "settings.set", params: { patch: { name: "Renamed" } } }));
      await waitFor(() => got.filter((m) => (m as { type: string }).type === "res").length >= 3 && got.some((m) => (m as { type: string }).type === "event"), 10_000, "replies");
      const res = (id: number) => DcResponseSchema.parse(got.find((m) => (m as { id?: number; type: string }).type === "res" && (m as { id: number }).id === id));
      expect(res(1)).toMatchObject({ ok: true, result: { settings: { name: "Loop cam" } } });
      expect(res(2)).toMatchObject({ ok: false, error: { code: "invalid_value", field: "timeZone" } });
      expect(res(3)).toMatchObject({ ok: true, result: { settings: { name: "Renamed" } } });
      expect(got.some((m) => (m as { type: string; code?: string }).type === "error" && (m as { code: string }).code === "malformed_message")).toBe(true);
      const ev = DcEventSchema.parse(got.find((m) => (m as { type: string }).type === "event"));
      expect(ev).toMatchObject({ event: "settings.changed", data: { settings: { name: "Renamed" } } });
    } finally {
      await pair.close();
    }
  });

  it("refuses a guest's settings change with forbidden and keeps serving it", async () => {
    const pair = await connectLoopback(hub, "both", { controls, role: "guest" });
    try {
      const dc = await pair.channel;
      await waitFor(() => dc.readyState === "open", 10_000, "control channel open");
      const got = collect(dc);
      dc.send(JSON.stringify({ type: "req", id: 5, method: "settings.set", params: { patch: { audio: false } } }));
      dc.send(JSON.stringify({ type: "req", id: 6, method: "settings.get", params: {} }));
      await waitFor(() => got.length >= 2, 10_000, "two replies");
      expect(got).toContainEqual(expect.objectContaining({ id: 5, ok: false, error: expect.objectContaining({ code: "forbidden" }) }));
      expect(got).toContainEqual(expect.objectContaining({ id: 6, ok: true }));
    } finally {
      await pair.close();
    }
  });

  it("delivers a 100 KB transfer intact on the bulk channel in 16 KiB frames", async () => {
    const pair = await connectLoopback(hub, "both", { controls, role: "owner" });
    try {
      const [dc, bulk] = await Promise.all([pair.channel, pair.bulk]);
      await waitFor(() => dc.readyState === "open" && bulk.readyState === "open", 10_000, "channels open");
      const chunks: Uint8Array[] = [];
      let last = false;
      bulk.onMessage.subscribe((m) => {
        if (typeof m === "string") return;
        const f = decodeBulkFrame(new Uint8Array(m));
        expect(f?.transfer).toBe(42);
        chunks.push(f!.payload);
        last ||= f!.last;
      });
      dc.send(JSON.stringify({ type: "req", id: 1, method: "snapshot.take", params: {} }));
      await waitFor(() => last, 10_000, "last bulk frame");
      expect(chunks.length).toBe(Math.ceil(BLOB.byteLength / 16384));
      expect(Buffer.concat(chunks)).toEqual(Buffer.from(BLOB));
    } finally {
      await pair.close();
    }
  });
});

describe("events a feature sends as a viewer joins", () => {
  it("reach the viewer once the control channel opens", async () => {
    const greeting = createCameraControls(
      [
        (ctx) => ({
          name: "greeter",
          handlers: {},
          onSessionOpen: (s) => s.emit("talk.state", { by: "alice", you: false }),
          features: {},
          stop: async () => void ctx,
        }),
      ],
      silentLogger,
    );
    const pair = await connectLoopback(hub, "both", { controls: greeting, role: "viewer" });
    try {
      const dc = await pair.channel;
      const got = collect(dc);
      await waitFor(() => got.length > 0, 10_000, "the greeting event");
      expect(got[0]).toEqual({ type: "event", event: "talk.state", data: { by: "alice", you: false } });
    } finally {
      await pair.close();
    }
  });
});
