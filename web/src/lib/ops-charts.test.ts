import { describe, expect, it } from "vitest";
import { bucketSuccessRate, cameraRows, failureRows, offlineRows, refusalRows, regionRows, seriesTotals, ttffBinLabel } from "./ops-charts.ts";

const bucket = (lan: number, p2p: number, relay: number, failed: number, refused: number) => ({ at: 0, lan, p2p, relay, failed, refused });

describe("the sessions chart", () => {
  it("sums every series over the range", () => {
    expect(seriesTotals([bucket(1, 0, 2, 1, 0), bucket(0, 3, 1, 0, 2)])).toEqual({ lan: 1, p2p: 3, relay: 3, failed: 1, refused: 2 });
  });

  it("counts success as live over live plus failed, leaving refused out", () => {
    expect(bucketSuccessRate(bucket(1, 1, 1, 1, 5))).toBe(0.75);
    expect(bucketSuccessRate(bucket(0, 0, 0, 0, 3))).toBeNull();
  });
});

describe("failureRows", () => {
  it("names stage and cause, most first, and says when no cause was given", () => {
    const rows = failureRows([
      { stage: "signaling", cause: null, count: 1 },
      { stage: "ice", cause: "ice_failed", count: 3 },
    ]);
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ["ICE · ice_failed", 3],
      ["Signaling · no cause given", 1],
    ]);
  });
});

describe("refusalRows", () => {
  it("says why in words with the code, most first, and shows an unknown code as it is", () => {
    const rows = refusalRows([
      { code: "device_busy", count: 1 },
      { code: "device_offline", count: 4 },
      { code: "some_future_code", count: 2 },
    ]);
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ["Camera offline · device_offline", 4],
      ["some_future_code", 2],
      ["Camera at its viewer limit · device_busy", 1],
    ]);
  });
});

describe("cameraRows", () => {
  it("ranks cameras by relayed plus failed and leaves out the ones with neither", () => {
    const rows = cameraRows(
      [
        { serial: "PH-A", total: 9, relayed: 0, failed: 0 },
        { serial: "PH-B", total: 3, relayed: 1, failed: 0 },
        { serial: "PH-C", total: 4, relayed: 2, failed: 1 },
      ],
      10,
    );
    expect(rows.map((r) => [r.serial, r.value])).toEqual([
      ["PH-C", 3],
      ["PH-B", 1],
    ]);
  });

  it("keeps at most n", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ serial: `PH-${i}`, total: 1, relayed: 1, failed: 0 }));
    expect(cameraRows(many, 10)).toHaveLength(10);
  });
});

describe("offlineRows", () => {
  it("uses the camera page's words for each reason", () => {
    expect(offlineRows([{ reason: "connection-lost", count: 2 }])).toEqual([{ reason: "connection-lost", label: "Connection dropped", value: 2 }]);
  });
});

describe("regionRows", () => {
  it("gives each region its relayed share, busiest first", () => {
    const rows = regionRows([
      { region: "eu", colo: "AMS", total: 2, relayed: 1 },
      { region: "local", colo: "local", total: 4, relayed: 1 },
      { region: "us", colo: "SJC", total: 0, relayed: 0 },
    ]);
    expect(rows.map((r) => [r.label, r.share])).toEqual([
      ["local", 0.25],
      ["eu · AMS", 0.5],
      ["us · SJC", null],
    ]);
  });
});

describe("ttffBinLabel", () => {
  it("reads each bucket by its upper edge, and the last one as above the edge before it", () => {
    expect(ttffBinLabel(250, null)).toBe("≤ 250 ms");
    expect(ttffBinLabel(2000, 1000)).toBe("≤ 2.0 s");
    expect(ttffBinLabel(null, 8000)).toBe("> 8.0 s");
  });
});
