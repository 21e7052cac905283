import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { networkOf, networkTag } from "./network-tag.ts";

describe("networkOf", () => {
  it("keeps an IPv4 address whole", () => {
    expect(networkOf("203.0.113.7")).toBe("v4:203.0.113.7");
    expect(networkOf("127.0.0.1")).toBe("v4:127.0.0.1");
  });

  it("reduces an IPv6 address to its /64, however it is written", () => {
    expect(networkOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("v6:2001:db8:1:2::/64");
    expect(networkOf("2001:DB8:1:2::1")).toBe("v6:2001:db8:1:2::/64");
    expect(networkOf("2001:db8::1")).toBe("v6:2001:db8:0:0::/64");
    expect(networkOf("::1")).toBe("v6:0:0:0:0::/64");
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address", () => {
    expect(networkOf("::ffff:198.51.100.4")).toBe("v4:198.51.100.4");
  });

  it("refuses what is not an address", () => {
    for (const bad of ["unknown", "", "1.2.3", "256.1.1.1", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth0", "[::1]"]) {
      expect(networkOf(bad), bad).toBeNull();
    }
  });
});

describe("networkTag", () => {
  it("gives the same short tag for the same network and another for another network", async () => {
    const a = await networkTag(env, "203.0.113.7");
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await networkTag(env, " 203.0.113.7 ")).toBe(a);
    expect(await networkTag(env, "203.0.113.8")).not.toBe(a);
    expect(await networkTag(env, "2001:db8:1:2::1")).toBe(await networkTag(env, "2001:db8:1:2:ffff::9"));
    expect(await networkTag(env, "unknown")).toBeNull();
  });

  it("never contains the address and depends on the edge's key", async () => {
    const tag = await networkTag(env, "203.0.113.7");
    expect(tag).not.toContain("203");
    const other = JSON.stringify({ ...JSON.parse(env.EDGE_SIGNING_JWK), d: "another-private-scalar-of-enough-length" });
    expect(await networkTag({ EDGE_SIGNING_JWK: other }, "203.0.113.7")).not.toBe(tag);
  });
});
