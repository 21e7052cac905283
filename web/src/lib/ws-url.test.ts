import { describe, expect, it } from "vitest";
import { resumeUrl, signalingUrl, watchUrl } from "./ws-url.ts";

describe("signalingUrl", () => {
  it("uses wss on an https page", () => {
    expect(signalingUrl("https://porthole.example/?serial=X#code=y", "/ws/view/PH-1", "t.k-n")).toBe(
      "wss://porthole.example/ws/view/PH-1?ticket=t.k-n",
    );
  });

  it("uses ws on a local http page and keeps the port", () => {
    expect(signalingUrl("http://127.0.0.1:8787/", "/ws/view/PH-1", "abc")).toBe("ws://127.0.0.1:8787/ws/view/PH-1?ticket=abc");
  });

  it("keeps query parameters already in the path and encodes the ticket", () => {
    expect(signalingUrl("http://localhost/", "/ws/view/PH-1?x=1", "a+b=")).toBe("ws://localhost/ws/view/PH-1?x=1&ticket=a%2Bb%3D");
  });
});

describe("resumeUrl", () => {
  it("names the session and its resume token instead of a ticket, on the page's origin", () => {
    expect(resumeUrl("https://porthole.example/cameras/PH-1", "/ws/view/PH-1", "sess-0001", "r.tok")).toBe(
      "wss://porthole.example/ws/view/PH-1?session=sess-0001&resume=r.tok",
    );
  });
});

describe("watchUrl", () => {
  it("opens /ws/watch on the page's origin with the protocol version and no ticket", () => {
    expect(watchUrl("https://porthole.example/cameras/PH-1?x=1#y", "PH-1", 1)).toBe("wss://porthole.example/ws/watch/PH-1?v=1");
  });

  it("carries the viewer's connection-test NAT when it has one, and escapes the serial", () => {
    const nat = { mapping: "endpoint-independent", filtering: "address-dependent", udpBlocked: false } as const;
    expect(watchUrl("http://127.0.0.1:8787/", "PH 1/x", 1, nat)).toBe("ws://127.0.0.1:8787/ws/watch/PH%201%2Fx?v=1&nat=endpoint-independent.address-dependent.0");
  });
});
