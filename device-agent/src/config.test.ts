import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

const base = ["--serial", "CAM-0001", "--token", "t0k"];

describe("CLI config", () => {
  it("uses defaults: local edge, demo source, loopback candidates on", () => {
    const r = loadConfig(base, {});
    if (r.help) throw new Error("unexpected help");
    expect(r.config).toMatchObject({
      edge: "http://127.0.0.1:8787",
      source: { kind: "demo" },
      loopbackCandidates: true,
      name: "CAM-0001",
      maxSessions: 10,
      logLevel: "info",
    });
  });

  it("falls back to environment variables and prefers flags over them", () => {
    const env = { PORTHOLE_SERIAL: "CAM-ENV1", PORTHOLE_DEVICE_TOKEN: "e", PORTHOLE_EDGE_URL: "https://edge.example", PORTHOLE_SOURCE: "testsrc" };
    const r = loadConfig([], env);
    if (r.help) throw new Error();
    expect(r.config).toMatchObject({ serial: "CAM-ENV1", token: "e", source: { kind: "testsrc" }, loopbackCandidates: false });
    const f = loadConfig(["--serial", "CAM-FLAG"], env);
    if (f.help) throw new Error();
    expect(f.config.serial).toBe("CAM-FLAG");
  });

  it("parses rtsp and v4l2 sources and the loopback switch", () => {
    const r = loadConfig([...base, "--source", "rtsp://u:p@cam/stream", "--no-loopback-candidates"], {});
    if (r.help) throw new Error();
    expect(r.config.source).toEqual({ kind: "rtsp", url: "rtsp://u:p@cam/stream" });
    expect(r.config.loopbackCandidates).toBe(false);
    const v = loadConfig([...base, "--source", "v4l2:/dev/video0"], {});
    if (v.help) throw new Error();
    expect(v.config.source).toEqual({ kind: "v4l2", device: "/dev/video0" });
  });

  it("reads the token from --token-file, trimmed", () => {
    const r = loadConfig(["--serial", "CAM-0001", "--token-file", "/x"], {}, () => "abc\n");
    if (r.help) throw new Error();
    expect(r.config.token).toBe("abc");
  });

  it("validates --ice-servers against the protocol schema", () => {
    const r = loadConfig([...base, "--ice-servers", '[{"urls":"stun:127.0.0.1:3478"}]'], {});
    if (r.help) throw new Error();
    expect(r.config.iceServers).toEqual([{ urls: "stun:127.0.0.1:3478" }]);
    expect(() => loadConfig([...base, "--ice-servers", "{"], {})).toThrow(/JSON/);
    expect(() => loadConfig([...base, "--ice-servers", '[{"url":"x"}]'], {})).toThrow(/ice-servers/);
  });

  it("reads the NAT discovery STUN server from --nat-stun or PORTHOLE_NAT_STUN and refuses a bad one", () => {
    const r = loadConfig([...base, "--nat-stun", "198.51.100.10:3478"], {});
    if (r.help) throw new Error();
    expect(r.config.natStun).toEqual(["198.51.100.10", 3478]);
    const e = loadConfig(base, { PORTHOLE_NAT_STUN: "stun.example.com" });
    if (e.help) throw new Error();
    expect(e.config.natStun).toEqual(["stun.example.com", 3478]);
    expect(() => loadConfig([...base, "--nat-stun", "host:0"], {})).toThrow(/--nat-stun must be host:port/);
    const two = loadConfig([...base, "--nat-stun", "fra.example:3478,iad.example:3478"], {});
    if (two.help) throw new Error();
    expect([two.config.natStun, two.config.natStunAlt]).toEqual([["fra.example", 3478], ["iad.example", 3478]]);
    expect(() => loadConfig([...base, "--nat-stun", "a:1,b:2,c:3"], {})).toThrow(/--nat-stun/);
  });

  it("refuses bad input with usage errors", () => {
    const cases: [string[], RegExp][] = [
      [["--token", "t"], /--serial/],
      [["--serial", "cam lower", "--token", "t"], /not a valid serial/],
      [["--serial", "CAM-0001"], /device token is required/],
      [[...base, "--source", "webcam"], /unknown --source/],
      [[...base, "--edge", "ftp://x"], /--edge/],
      [[...base, "--log-level", "loud"], /--log-level/],
      [[...base, "--max-sessions", "0"], /--max-sessions/],
      [[...base, "--bogus"], /bogus/],
      [[...base, "--token-file", "/x"], /either --token or --token-file/],
    ];
    for (const [argv, re] of cases) {
      expect(() => loadConfig(argv, {}), argv.join(" ")).toThrow(re);
    }
  });

  it("returns help for -h", () => {
    expect(loadConfig(["-h"], {})).toEqual({ help: true });
  });
});

describe("edge key pinning", () => {
  const PUB = { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };

  it("pins the edge key from --edge-jwks (file) or PORTHOLE_EDGE_JWKS (inline JSON)", () => {
    const fromFile = loadConfig([...base, "--edge-jwks", "/keys/edge.jwks"], {}, () => JSON.stringify({ keys: [PUB] }));
    if (fromFile.help) throw new Error();
    expect(fromFile.config.edgeJwk).toEqual(PUB);
    const fromEnv = loadConfig(base, { PORTHOLE_EDGE_JWKS: JSON.stringify(PUB) });
    if (fromEnv.help) throw new Error();
    expect(fromEnv.config.edgeJwk).toEqual(PUB);
  });

  it("leaves the key unpinned (fetched on first use) when neither is given", () => {
    const r = loadConfig(base, {});
    if (r.help) throw new Error();
    expect(r.config.edgeJwk).toBeUndefined();
  });

  it("is a usage error to pin something that is not a public ES256 key", () => {
    expect(() => loadConfig([...base, "--edge-jwks", '{"kty":"oct","k":"x"}'], {})).toThrow(/--edge-jwks/);
  });
});
