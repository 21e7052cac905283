// Node has no IndexedDB: the picture cache answers "nothing kept", so every call reaches the
// (stand-in) camera — what is tested here is how the bulk channel is used.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ControlClient } from "./control-client.ts";
import { fetchEventThumbnail } from "./event-thumbnails.ts";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

/** A camera that answers events.thumbnail only when told to (`answer`). */
function camera() {
  const asked: Array<{ id: number; event: string }> = [];
  let transfer = 100;
  const client = new ControlClient((text) => {
    const m = JSON.parse(text) as { id: number; params: { id: string } };
    asked.push({ id: m.id, event: m.params.id });
    return true;
  });
  const answer = (n = 1) => {
    for (const a of asked.splice(0, n)) {
      const t = transfer++;
      client.receiveBulk(t, true, JPEG);
      client.receiveResponse({ type: "res", id: a.id, ok: true, result: { transfer: t, bytes: JPEG.byteLength, mime: "image/jpeg", width: 640, height: 360 } });
    }
  };
  return { client, asked, answer };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  // rememberCameraPicture tells open pages with a window event.
  vi.stubGlobal("dispatchEvent", () => true);
});

describe("fetchEventThumbnail", () => {
  it("asks the camera for at most two pictures at a time", async () => {
    const cam = camera();
    const all = ["a", "b", "c", "d"].map((id) => fetchEventThumbnail(cam.client, "CAM-1", id, 1_000));
    await settle();
    expect(cam.asked.map((a) => a.event)).toEqual(["a", "b"]);
    cam.answer(1);
    await settle();
    await settle();
    expect(cam.asked.map((a) => a.event)).toEqual(["b", "c"]);
    cam.answer(2);
    await settle();
    await settle();
    cam.answer(1);
    const blobs = await Promise.all(all);
    expect(blobs.map((b) => b.size)).toEqual([9, 9, 9, 9]);
    expect(blobs[0]!.type).toBe("image/jpeg");
  });

  it("shares one transfer when the same event is asked for again on its way", async () => {
    const cam = camera();
    const one = fetchEventThumbnail(cam.client, "CAM-1", "same", 1_000);
    const two = fetchEventThumbnail(cam.client, "CAM-1", "same", 1_000);
    await settle();
    expect(cam.asked).toHaveLength(1);
    cam.answer();
    expect(await one).toBe(await two);
  });

  it("rejects with the camera's error, and asks again next time", async () => {
    const cam = camera();
    const p = fetchEventThumbnail(cam.client, "CAM-1", "gone");
    await settle();
    cam.client.receiveResponse({ type: "res", id: cam.asked.shift()!.id, ok: false, error: { code: "not_found", message: "No event gone" } });
    await expect(p).rejects.toMatchObject({ code: "not_found" });
    void fetchEventThumbnail(cam.client, "CAM-1", "gone").catch(() => undefined);
    await settle();
    expect(cam.asked).toHaveLength(1);
  });
});
