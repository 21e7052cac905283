// Why: the ONVIF driver reads a handful of elements from SOAP responses whose namespace prefixes
// differ per vendor (tt:/tptz: on one camera, ns2:/ns5: or a default namespace on another).
// A small, bounded, namespace-agnostic reader avoids an XML dependency: it builds a tree of
// elements keyed by local name, never evaluates anything, refuses DTDs (no entity expansion,
// XML 1.0 §2.8 / §4.2 — the "billion laughs" class of attacks), and caps size, depth and count.

/** One element: `local` is the name without its prefix, so `tt:Name` and `Name` match alike. */
export interface XmlElement {
  /** The qualified name as written, e.g. "tptz:PresetToken". */
  readonly name: string;
  readonly local: string;
  /** Attributes by qualified name as written (xmlns declarations included). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element (text and CDATA), entities decoded, untrimmed. */
  readonly text: string;
}

export class XmlError extends Error {
  readonly code = "bad_xml";
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

export interface XmlLimits {
  /** Characters of input (default 1 MiB: ONVIF responses here are a few KiB). */
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxChars: 1 << 20, maxDepth: 64, maxElements: 20_000 };

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references (XML 1.0 §4.1, §4.6). */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const amp = s.indexOf("&", i);
    if (amp < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, amp);
    const semi = s.indexOf(";", amp);
    if (semi < 0 || semi - amp > 12) throw new XmlError(`unterminated entity at ${amp}`);
    const ref = s.slice(amp + 1, semi);
    if (ref.startsWith("#x") || ref.startsWith("#X")) out += codePoint(ref.slice(2), 16);
    else if (ref.startsWith("#")) out += codePoint(ref.slice(1), 10);
    else if (Object.hasOwn(PREDEFINED, ref)) out += PREDEFINED[ref];
    else throw new XmlError(`unknown entity &${ref};`);
    i = semi + 1;
  }
  return out;
}

function codePoint(digits: string, radix: number): string {
  const valid = radix === 16 ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/;
  if (!valid.test(digits)) throw new XmlError(`bad character reference ${digits}`);
  const n = Number.parseInt(digits, radix);
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw new XmlError(`bad character reference ${digits}`);
  return String.fromCodePoint(n);
}

const NAME_END = /[\s/>=]/;

interface Building {
  name: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses a document and returns its root element. Throws XmlError on anything malformed. */
export function parseXml(input: string, limits: Partial<XmlLimits> = {}): XmlElement {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (input.length > lim.maxChars) throw new XmlError(`document larger than ${lim.maxChars} characters`);
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = 0;

  const appendText = (raw: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += raw;
    else if (raw.trim() !== "") throw new XmlError("text outside the root element");
  };

  while (i < s.length) {
    const lt = s.indexOf("<", i);
    if (lt < 0) {
      appendText(decodeEntities(s.slice(i)));
      break;
    }
    if (lt > i) appendText(decodeEntities(s.slice(i, lt)));
    if (s.startsWith("<!--", lt)) {
      const end = s.indexOf("-->", lt + 4);
      if (end < 0) throw new XmlError("unterminated comment");
      i = end + 3;
    } else if (s.startsWith("<![CDATA[", lt)) {
      const end = s.indexOf("]]>", lt + 9);
      if (end < 0) throw new XmlError("unterminated CDATA section");
      appendText(s.slice(lt + 9, end));
      i = end + 3;
    } else if (s.startsWith("<?", lt)) {
      const end = s.indexOf("?>", lt + 2);
      if (end < 0) throw new XmlError("unterminated processing instruction");
      i = end + 2;
    } else if (s.startsWith("<!", lt)) {
      // DOCTYPE and other declarations: SOAP forbids a DTD (SOAP 1.2 part 1 §5), and refusing it
      // means no entity can ever expand.
      throw new XmlError("DTD or declaration not allowed");
    } else if (s[lt + 1] === "/") {
      const end = s.indexOf(">", lt + 2);
      if (end < 0) throw new XmlError("unterminated end tag");
      const name = s.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`end tag </${name}> does not match <${open?.name ?? ""}>`);
      const el: XmlElement = open;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else root = el;
      i = end + 1;
    } else {
      if (root) throw new XmlError("more than one root element");
      const parsed = readStartTag(s, lt);
      count++;
      if (count > lim.maxElements) throw new XmlError(`more than ${lim.maxElements} elements`);
      const el: Building = { name: parsed.name, local: localName(parsed.name), attrs: parsed.attrs, children: [], text: "" };
      if (parsed.selfClosing) {
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(el);
        else root = el;
      } else {
        stack.push(el);
        if (stack.length > lim.maxDepth) throw new XmlError(`nested deeper than ${lim.maxDepth}`);
      }
      i = parsed.end;
    }
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new XmlError("no root element");
  return root;
}

function readStartTag(s: string, lt: number): { name: string; attrs: Record<string, string>; selfClosing: boolean; end: number } {
  let i = lt + 1;
  const nameStart = i;
  while (i < s.length && !NAME_END.test(s[i] as string)) i++;
  const name = s.slice(nameStart, i);
  if (name === "") throw new XmlError(`empty tag name at ${lt}`);
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (;;) {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    if (i >= s.length) throw new XmlError(`unterminated start tag <${name}>`);
    if (s[i] === ">") return { name, attrs, selfClosing: false, end: i + 1 };
    if (s.startsWith("/>", i)) return { name, attrs, selfClosing: true, end: i + 2 };
    const aStart = i;
    while (i < s.length && !NAME_END.test(s[i] as string)) i++;
    const aName = s.slice(aStart, i);
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    if (aName === "" || s[i] !== "=") throw new XmlError(`malformed attribute in <${name}>`);
    i++;
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    const quote = s[i];
    if (quote !== '"' && quote !== "'") throw new XmlError(`unquoted attribute ${aName} in <${name}>`);
    const close = s.indexOf(quote, i + 1);
    if (close < 0) throw new XmlError(`unterminated attribute ${aName} in <${name}>`);
    const raw = s.slice(i + 1, close);
    if (raw.includes("<")) throw new XmlError(`"<" in attribute ${aName}`);
    if (Object.hasOwn(attrs, aName)) throw new XmlError(`duplicate attribute ${aName} in <${name}>`);
    attrs[aName] = decodeEntities(raw);
    i = close + 1;
  }
}

export function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

// ---------------------------------------------------------------------------------------------
// Lookups by local name (prefixes ignored)

/** Direct children named `local`. */
export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}

/** The first direct child named `local`. */
export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local);
}

/** Follows direct children by local names: path(env, "Body", "Fault", "Reason"). */
export function path(el: XmlElement | undefined, ...locals: string[]): XmlElement | undefined {
  let cur = el;
  for (const l of locals) cur = child(cur, l);
  return cur;
}

/** Every descendant named `local`, in document order (the element itself excluded). */
export function descendants(el: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.local === local) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

export function descendant(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el ? descendants(el, local)[0] : undefined;
}

/** Trimmed text of an element, or undefined when it is absent. */
export function textOf(el: XmlElement | undefined): string | undefined {
  return el === undefined ? undefined : el.text.trim();
}

/** An attribute by local name (`space` matches `space` or `tt:space`), namespace declarations excluded. */
export function attr(el: XmlElement | undefined, local: string): string | undefined {
  if (!el) return undefined;
  if (Object.hasOwn(el.attrs, local)) return el.attrs[local];
  for (const [k, v] of Object.entries(el.attrs)) {
    if (!k.startsWith("xmlns") && localName(k) === local) return v;
  }
  return undefined;
}

/** Escapes text or an attribute value for building XML (XML 1.0 §2.4); drops characters XML 1.0
 * cannot carry at all (C0 controls other than tab, LF, CR — §2.2). */
export function escapeXml(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
}
