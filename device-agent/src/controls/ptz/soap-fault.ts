// Why: a camera that says no answers with a SOAP Fault whose Code/Subcode chain names the reason
// (ONVIF Core §5.11: env:Sender / ter:InvalidArgVal / ter:NoToken …) and whose Reason/Text is
// its own words. Parsed once here so the driver can map codes and show the camera's text.
import { child, childrenNamed, localName, path, textOf, type XmlElement } from "./xml-extract.ts";

export class SoapFault extends Error {
  /** env:Sender / env:Receiver … as written (SOAP 1.2 part 1 §5.4.6). */
  readonly code: string;
  /** The Subcode/Value chain, outermost first, e.g. ["ter:InvalidArgVal", "ter:NoToken"]. */
  readonly subcodes: readonly string[];
  /** Reason/Text (or SOAP 1.1 faultstring), whitespace collapsed; may be empty. */
  readonly reason: string;
  readonly httpStatus: number;
  constructor(code: string, subcodes: string[], reason: string, httpStatus: number) {
    super(reason || [code, ...subcodes].join(" / ") || "SOAP fault");
    this.name = "SoapFault";
    this.code = code;
    this.subcodes = subcodes;
    this.reason = reason;
    this.httpStatus = httpStatus;
  }

  /** True when the code or any subcode has this local name ("NoToken" matches "ter:NoToken"). */
  has(local: string): boolean {
    return [this.code, ...this.subcodes].some((c) => localName(c) === local);
  }

  /** The camera's words for a user: its reason text, else the most specific code. */
  get cameraText(): string {
    return this.reason || this.subcodes[this.subcodes.length - 1] || this.code || "the camera refused the command";
  }

  describe(): string {
    return `${[this.code, ...this.subcodes].filter(Boolean).join("/")}: ${this.reason}`;
  }
}

const collapse = (s: string | undefined): string => (s ?? "").replace(/\s+/g, " ").trim();

/** Reads a Fault element (SOAP 1.2, and the SOAP 1.1 shape some older firmware still sends). */
export function parseSoapFault(fault: XmlElement, httpStatus: number): SoapFault {
  const code12 = child(fault, "Code");
  if (code12) {
    const code = textOf(child(code12, "Value")) ?? "";
    const subcodes: string[] = [];
    let sub = child(code12, "Subcode");
    for (let n = 0; sub && n < 8; n++) {
      const v = textOf(child(sub, "Value"));
      if (v) subcodes.push(v);
      sub = child(sub, "Subcode");
    }
    // Reason has one Text per language (SOAP 1.2 part 1 §5.4.2); prefer English.
    const texts = childrenNamed(child(fault, "Reason") ?? fault, "Text");
    const en = texts.find((t) => Object.entries(t.attrs).some(([k, v]) => localName(k) === "lang" && v.toLowerCase().startsWith("en")));
    return new SoapFault(code, subcodes, collapse((en ?? texts[0])?.text), httpStatus);
  }
  // SOAP 1.1 (faultcode/faultstring, unqualified children).
  const code = textOf(child(fault, "faultcode")) ?? "";
  const detailCode = textOf(path(fault, "detail", "Code"));
  return new SoapFault(code, detailCode ? [detailCode] : [], collapse(textOf(child(fault, "faultstring"))), httpStatus);
}
