import { describe, expect, it, vi } from "vitest";
import { onOpenEventRequest, requestOpenEvent, takeOpenEventRequest } from "./event-list-request.ts";

describe("a notification's event request", () => {
  it("is taken once, by the panel of the camera it names", () => {
    requestOpenEvent("CAM-1", "m1-aa");
    expect(takeOpenEventRequest("CAM-2")).toBeNull();
    expect(takeOpenEventRequest("CAM-1")).toBe("m1-aa");
    expect(takeOpenEventRequest("CAM-1")).toBeNull();
  });

  it("tells a panel that is already open, and the newest request wins", () => {
    const heard = vi.fn();
    const off = onOpenEventRequest(heard);
    requestOpenEvent("CAM-1", "m1-aa");
    requestOpenEvent("CAM-1", "m2-bb");
    off();
    requestOpenEvent("CAM-1", "m3-cc");
    expect(heard).toHaveBeenCalledTimes(2);
    expect(takeOpenEventRequest("CAM-1")).toBe("m3-cc");
  });
});
