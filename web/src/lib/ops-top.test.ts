import { describe, expect, it } from "vitest";
import { rankRows, topN } from "./ops-top.ts";

describe("rankRows", () => {
  it("puts the largest first and breaks ties by label", () => {
    const rows = [
      { label: "PH-B", value: 2 },
      { label: "PH-C", value: 5 },
      { label: "PH-A", value: 2 },
    ];
    expect(rankRows(rows).map((r) => r.label)).toEqual(["PH-C", "PH-A", "PH-B"]);
    expect(rows[0]!.label).toBe("PH-B");
  });
});

describe("topN", () => {
  const rows = [
    { label: "a", value: 1 },
    { label: "b", value: 4 },
    { label: "c", value: 3 },
    { label: "d", value: 0 },
  ];

  it("keeps the first n and leaves out rows worth nothing", () => {
    expect(topN(rows, 5)).toEqual([
      { label: "b", value: 4 },
      { label: "c", value: 3 },
      { label: "a", value: 1 },
    ]);
    expect(topN(rows, 2).map((r) => r.label)).toEqual(["b", "c"]);
  });

  it("folds the rest into an others row when asked", () => {
    expect(topN(rows, 1, "Others")).toEqual([
      { label: "b", value: 4 },
      { label: "Others", value: 4 },
    ]);
    expect(topN(rows, 3, "Others")).toHaveLength(3);
  });
});
