import { describe, expect, it } from "vitest";
import { lastViewerNat, readViewerNat, saveViewerNat, VIEWER_NAT_MAX_AGE_MS, type ViewerNatRecord } from "./viewer-nat-cache.ts";

function memoryStore(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

const record: ViewerNatRecord = {
  side: { mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false },
  verdict: "port-restricted-cone",
  at: 1_000_000,
  fingerprint: "ab12cd34",
};

describe("viewer NAT cache", () => {
  it("hands back the latest saved result with its time", () => {
    const s = memoryStore();
    saveViewerNat(record, s);
    expect(lastViewerNat(record.at + 1000, s)).toEqual({ side: record.side, verdict: "port-restricted-cone", at: record.at });
    expect(readViewerNat(s)?.fingerprint).toBe("ab12cd34");
  });

  it("says nothing when no test ran, or the result is a day old", () => {
    const s = memoryStore();
    expect(lastViewerNat(0, s)).toBeNull();
    saveViewerNat(record, s);
    expect(lastViewerNat(record.at + VIEWER_NAT_MAX_AGE_MS + 1, s)).toBeNull();
  });

  it("ignores a damaged entry instead of throwing", () => {
    const s = memoryStore();
    s.setItem("porthole.viewerNat", "{not json");
    expect(lastViewerNat(0, s)).toBeNull();
    s.setItem("porthole.viewerNat", JSON.stringify({ verdict: "cone", at: 1 }));
    expect(lastViewerNat(1, s)).toBeNull();
  });

  it("works without storage at all", () => {
    expect(lastViewerNat(0, null)).toBeNull();
    expect(() => saveViewerNat(record, null)).not.toThrow();
  });
});
