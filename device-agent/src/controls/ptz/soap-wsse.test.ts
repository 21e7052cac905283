import { describe, expect, it } from "vitest";
import { passwordDigest, usernameTokenHeader, wsseTimestamp } from "./soap-wsse.ts";
import { attr, descendant, parseXml, textOf } from "./xml-extract.ts";

describe("WS-Security UsernameToken", () => {
  it("matches the ONVIF Application Programmer's Guide PasswordDigest example", () => {
    // ONVIF Application Programmer's Guide §6.1.1.3: nonce, created and password → digest.
    const nonce = Buffer.from("LKqI6G/AikKCQrN0zqZFlg==", "base64");
    expect(passwordDigest(nonce, "2010-09-16T07:50:45Z", "userpassword")).toBe("tuOSpGlFlIXsozq4HFNeeGeFLEI=");
  });

  it("writes Username, digest, Base64 nonce and a second-precision UTC Created, escaping the user name", () => {
    const nonce = Buffer.from("LKqI6G/AikKCQrN0zqZFlg==", "base64");
    const xml = usernameTokenHeader("ad<min>", "userpassword", new Date("2010-09-16T07:50:45.678Z"), nonce);
    const doc = parseXml(`<s:H xmlns:s="x">${xml}</s:H>`);
    expect(textOf(descendant(doc, "Username"))).toBe("ad<min>");
    expect(textOf(descendant(doc, "Created"))).toBe("2010-09-16T07:50:45Z");
    expect(textOf(descendant(doc, "Nonce"))).toBe("LKqI6G/AikKCQrN0zqZFlg==");
    expect(attr(descendant(doc, "Password"), "Type")).toMatch(/#PasswordDigest$/);
    expect(textOf(descendant(doc, "Password"))).toBe("tuOSpGlFlIXsozq4HFNeeGeFLEI=");
    expect(xml).not.toContain("userpassword");
    expect(wsseTimestamp(new Date(0))).toBe("1970-01-01T00:00:00Z");
  });
});
