import { describe, expect, it } from "vitest";
import { attr, child, descendant, descendants, escapeXml, parseXml, path, textOf, XmlError } from "./xml-extract.ts";

describe("xml extract", () => {
  it("matches elements by local name whatever the vendor's prefix", () => {
    const a = parseXml(`<s:Envelope xmlns:s="x"><s:Body><tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>Door</tt:Name></tptz:Preset></tptz:GetPresetsResponse></s:Body></s:Envelope>`);
    const b = parseXml(`<Envelope xmlns="x"><Body><ns5:GetPresetsResponse><ns5:Preset ns2:token="1"><ns2:Name>Door</ns2:Name></ns5:Preset></ns5:GetPresetsResponse></Body></Envelope>`);
    for (const doc of [a, b]) {
      const preset = descendant(doc, "Preset");
      expect(attr(preset, "token")).toBe("1");
      expect(textOf(path(doc, "Body", "GetPresetsResponse", "Preset", "Name"))).toBe("Door");
    }
  });

  it("keeps whitespace, decodes entities and CDATA, and skips comments and the XML declaration", () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- camera says hi -->\n<a>\n  <b x='1 &amp; 2'>  Fish &lt;&#38;&#x41;&gt; <![CDATA[<raw>&amp;]]></b>\n</a>\n`);
    const b = child(doc, "b");
    expect(attr(b, "x")).toBe("1 & 2");
    expect(b?.text).toBe("  Fish <&A> <raw>&amp;");
    expect(textOf(b)).toBe("Fish <&A> <raw>&amp;");
  });

  it("finds every descendant in document order", () => {
    const doc = parseXml(`<r><p token="a"/><g><p token="b"><p token="c"/></p></g></r>`);
    expect(descendants(doc, "p").map((p) => attr(p, "token"))).toEqual(["a", "b", "c"]);
  });

  it("refuses a DTD, so no entity can expand", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r>&lol2;</r>`;
    expect(() => parseXml(bomb)).toThrow(/DTD/);
    expect(() => parseXml(`<r>&lol;</r>`)).toThrow(/unknown entity/);
  });

  it("refuses malformed documents with an XmlError", () => {
    for (const bad of [`<a><b></a>`, `<a>`, `<a x=1/>`, `<a x="1" x="2"/>`, `<a/><b/>`, `text`, ``, `<a>&#0;</a>`, `<a><!-- never ends`, `<a x="<"/>`]) {
      let err: unknown;
      try {
        parseXml(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(XmlError);
      expect((err as XmlError).code).toBe("bad_xml");
    }
  });

  it("bounds input size, nesting depth and element count", () => {
    expect(() => parseXml(`<a>${"x".repeat(100)}</a>`, { maxChars: 50 })).toThrow(/larger than 50/);
    expect(() => parseXml("<a>".repeat(10) + "</a>".repeat(10), { maxDepth: 5 })).toThrow(/deeper than 5/);
    expect(() => parseXml(`<a>${"<b/>".repeat(10)}</a>`, { maxElements: 5 })).toThrow(/more than 5 elements/);
  });

  it("escapes text for building requests and drops characters XML cannot carry", () => {
    expect(escapeXml(`<Gate & "Yard">'s\u0001`)).toBe("&lt;Gate &amp; &quot;Yard&quot;&gt;&apos;s");
    const doc = parseXml(`<n a="${escapeXml(`"&<>'`)}">${escapeXml("a<b&c")}</n>`);
    expect(attr(doc, "a")).toBe(`"&<>'`);
    expect(doc.text).toBe("a<b&c");
  });
});
