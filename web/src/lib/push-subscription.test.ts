import { describe, expect, it } from "vitest";
import { keyBytes, storedQuietHours, storeQuietHours } from "./push-subscription.ts";

function memoryStorage(): Pick<Storage, "getItem" | "setItem"> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

describe("subscribing this browser", () => {
  it("turns the edge's base64url VAPID key into the 65 bytes applicationServerKey takes", () => {
    const key = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const bytes = keyBytes(key);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBe(4);
  });

  it("remembers this browser's quiet hours, and reads none from a missing or broken entry", () => {
    const s = memoryStorage();
    expect(storedQuietHours(s)).toBeNull();
    storeQuietHours({ start: "22:30", end: "06:45" }, s);
    expect(storedQuietHours(s)).toEqual({ start: "22:30", end: "06:45" });
    storeQuietHours(null, s);
    expect(storedQuietHours(s)).toBeNull();
    s.setItem("porthole.quietHours", "{not json");
    expect(storedQuietHours(s)).toBeNull();
  });
});
