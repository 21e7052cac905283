import { describe, expect, it } from "vitest";
import { routeFor, shellUrls, staleAssets } from "./sw-routes.ts";

const O = "https://porthole.example";
const get = (path: string, mode = "cors") => ({ method: "GET", url: O + path, mode });

describe("routeFor", () => {
  it("never touches the API or signaling", () => {
    expect(routeFor(get("/api/sessions"), O)).toBe("bypass");
    expect(routeFor(get("/api/devices/PH-1"), O)).toBe("bypass");
    expect(routeFor(get("/ws/view/PH-1?ticket=x"), O)).toBe("bypass");
    expect(routeFor(get("/api/devices/PH-1", "navigate"), O)).toBe("bypass");
  });

  it("leaves non-GET and other origins alone", () => {
    expect(routeFor({ method: "POST", url: O + "/", mode: "cors" }, O)).toBe("bypass");
    expect(routeFor({ method: "GET", url: "https://cdn.example/x.js", mode: "cors" }, O)).toBe("bypass");
  });

  it("serves page loads network-first and files cache-first", () => {
    expect(routeFor(get("/?serial=PH-1", "navigate"), O)).toBe("navigation");
    expect(routeFor(get("/assets/index-abc123.js"), O)).toBe("asset");
    expect(routeFor(get("/manifest.webmanifest"), O)).toBe("asset");
  });

  it("does not cache the service worker script itself", () => {
    expect(routeFor(get("/sw.js"), O)).toBe("bypass");
  });

  it("does not mistake a path that merely starts with api for the API", () => {
    expect(routeFor(get("/apidocs.html"), O)).toBe("asset");
  });
});

describe("shellUrls", () => {
  it("lists the same-origin files the shell loads", () => {
    const html = `<link rel="manifest" href="/manifest.webmanifest"><script type="module" crossorigin src="/assets/index-AbC.js"></script>
      <link rel="stylesheet" href="/assets/index-Def.css"><a href="/">home</a><link href="//cdn.example/x.css"><img src="https://x/y.png">`;
    expect(shellUrls(html)).toEqual(["/manifest.webmanifest", "/assets/index-AbC.js", "/assets/index-Def.css"]);
  });
});

describe("staleAssets", () => {
  it("prunes only hashed assets the new shell no longer uses", () => {
    expect(staleAssets(["/", "/assets/a-1.js", "/assets/a-2.js", "/icons/icon-192.png"], ["/assets/a-2.js"])).toEqual(["/assets/a-1.js"]);
  });
});
