import { describe, expect, it } from "vitest";
import { digestAuthorization, parseChallenges, pickDigestChallenge } from "./soap-http-digest.ts";

// RFC 7616 §3.9.1: the worked example (GET /dir/index.html, Mufasa / "Circle of Life").
const RFC_HEADER =
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
const CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

const responseOf = (header: string): string | undefined => /response="([0-9a-f]+)"/.exec(header)?.[1];

describe("HTTP Digest (RFC 7616)", () => {
  it("splits a header holding two challenges and prefers SHA-256", () => {
    const cs = parseChallenges(RFC_HEADER);
    expect(cs).toHaveLength(2);
    expect(cs.map((c) => c.params.algorithm)).toEqual(["SHA-256", "MD5"]);
    expect(cs[0]?.params.qop).toBe("auth, auth-int");
    expect(pickDigestChallenge(cs)?.params.algorithm).toBe("SHA-256");
    const mixed = parseChallenges('Basic realm="cam", Digest realm="cam", nonce="n1", algorithm=MD5, qop="auth"');
    expect(mixed.map((c) => c.scheme)).toEqual(["basic", "digest"]);
    expect(pickDigestChallenge(mixed)?.params).toMatchObject({ nonce: "n1", algorithm: "MD5" });
  });

  it("computes the RFC 7616 §3.9.1 responses for SHA-256 and MD5", () => {
    const [sha, md5] = parseChallenges(RFC_HEADER);
    const common = { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html", nc: 1, cnonce: CNONCE };
    const a = digestAuthorization({ challenge: sha!, ...common });
    expect(responseOf(a)).toBe("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    expect(a).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
    expect(a).toContain("nc=00000001");
    expect(a).toContain("qop=auth,");
    expect(responseOf(digestAuthorization({ challenge: md5!, ...common }))).toBe("8ca523f5e9506fed4657c9700eebdbec");
  });

  it("answers an RFC 2069 challenge without qop", () => {
    // RFC 2617 §3.5's credentials; without qop the response is H(HA1:nonce:HA2).
    const [c] = parseChallenges('Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"');
    const h = digestAuthorization({ challenge: c!, username: "Mufasa", password: "Circle Of Life", method: "GET", uri: "/dir/index.html", nc: 1, cnonce: "x" });
    expect(h).not.toContain("qop=");
    expect(responseOf(h)).toBe("670fd8c2df070c60b045671b8b24ff02");
  });

  it("ignores challenges it cannot answer", () => {
    expect(pickDigestChallenge(parseChallenges('Digest realm="r", nonce="n", qop="auth-int"'))).toBeUndefined();
    expect(pickDigestChallenge(parseChallenges('Digest realm="r", nonce="n", algorithm=SHA-512-256'))).toBeUndefined();
    expect(pickDigestChallenge(parseChallenges('Basic realm="cam"'))).toBeUndefined();
    expect(parseChallenges("\u0000\u0001,,,")).toEqual([]);
  });
});
