import { describe, expect, it } from "vitest";
import { needsAccount, parseRoute, pathFor, type Route } from "./router.ts";

describe("parseRoute", () => {
  it("reads the home, watch and add-camera screens", () => {
    expect(parseRoute("/")).toEqual({ name: "home" });
    expect(parseRoute("")).toEqual({ name: "home" });
    expect(parseRoute("/cameras")).toEqual({ name: "home" });
    expect(parseRoute("/watch/")).toEqual({ name: "watch" });
    expect(parseRoute("/cameras/add")).toEqual({ name: "add-camera" });
  });

  it("reads a camera page and upper-cases its serial", () => {
    expect(parseRoute("/cameras/ph-1234-abcd")).toEqual({ name: "camera", serial: "PH-1234-ABCD" });
    expect(parseRoute("/cameras/DEMO%2D0001")).toEqual({ name: "camera", serial: "DEMO-0001" });
  });

  it("refuses a serial that is not one, and broken escapes", () => {
    expect(parseRoute("/cameras/a b").name).toBe("not-found");
    expect(parseRoute("/cameras/%E0%A4%A").name).toBe("not-found");
    expect(parseRoute("/cameras/PH-1/extra").name).toBe("not-found");
    expect(parseRoute("/settings")).toEqual({ name: "not-found", path: "/settings" });
  });
});

describe("the connection test route", () => {
  it("reads /test with an optional camera, and ignores a camera that is not a serial", () => {
    expect(parseRoute("/test")).toEqual({ name: "connection-test" });
    expect(parseRoute("/test/", "?camera=demo-0001")).toEqual({ name: "connection-test", camera: "DEMO-0001" });
    expect(parseRoute("/test", "?camera=a%20b")).toEqual({ name: "connection-test" });
  });

  it("round-trips with its camera in the query", () => {
    const r: Route = { name: "connection-test", camera: "DEMO-0001" };
    const url = new URL(pathFor(r), "https://x.test");
    expect(url.pathname).toBe("/test");
    expect(parseRoute(url.pathname, url.search)).toEqual(r);
  });
});

describe("pathFor", () => {
  it("round-trips every route", () => {
    const routes: Route[] = [{ name: "home" }, { name: "watch" }, { name: "add-camera" }, { name: "camera", serial: "DEMO-0001" }];
    for (const r of routes) expect(parseRoute(pathFor(r))).toEqual(r);
  });
});

describe("needsAccount", () => {
  it("guards the account screens only", () => {
    expect(needsAccount({ name: "camera", serial: "PH-1234" })).toBe(true);
    expect(needsAccount({ name: "add-camera" })).toBe(true);
    expect(needsAccount({ name: "home" })).toBe(false);
    expect(needsAccount({ name: "watch" })).toBe(false);
  });

  it("reads a camera page's event from the query, and drops one that is not an event id", () => {
    expect(parseRoute("/cameras/DEMO-0001", "?event=ev_1-a")).toEqual({ name: "camera", serial: "DEMO-0001", event: "ev_1-a" });
    expect(parseRoute("/cameras/DEMO-0001", "?event=a%2Fb")).toEqual({ name: "camera", serial: "DEMO-0001" });
    const r: Route = { name: "camera", serial: "DEMO-0001", event: "ev1" };
    expect(parseRoute(pathFor(r).split("?")[0]!, "?" + pathFor(r).split("?")[1])).toEqual(r);
  });

  it("reads the multi-camera view and the events timeline, both for signed-in people", () => {
    expect(parseRoute("/multi")).toEqual({ name: "multi" });
    expect(parseRoute("/events/")).toEqual({ name: "events" });
    expect(pathFor({ name: "multi" })).toBe("/multi");
    expect(pathFor({ name: "events" })).toBe("/events");
    expect(needsAccount({ name: "multi" })).toBe(true);
    expect(needsAccount({ name: "events" })).toBe(true);
  });
});

describe("the operator route", () => {
  it("reads /ops, and needs an operator session rather than a user account", () => {
    expect(parseRoute("/ops")).toEqual({ name: "ops" });
    expect(parseRoute("/ops/")).toEqual({ name: "ops" });
    expect(pathFor({ name: "ops" })).toBe("/ops");
    expect(needsAccount({ name: "ops" })).toBe(false);
  });
});
