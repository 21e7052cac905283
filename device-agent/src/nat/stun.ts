// Why: NAT behaviour discovery needs the few STUN pieces werift does not expose — CHANGE-REQUEST,
// OTHER-ADDRESS and RESPONSE-ORIGIN (RFC 5780 §7) — so the Binding codec is written out here:
// pure functions over Buffers, IPv4 only (the agent gathers IPv4 candidates).
import { randomBytes } from "node:crypto";

/** RFC 8489 §5: the fixed cookie that also tells STUN from other traffic on the socket. */
export const MAGIC_COOKIE = 0x2112a442;
const HEADER_BYTES = 20;

/** Binding request / success response / error response types (RFC 8489 §5, §18.2). */
export const BINDING_REQUEST = 0x0001;
export const BINDING_SUCCESS = 0x0101;
export const BINDING_ERROR = 0x0111;

/** Attribute types: RFC 8489 §18.3 and RFC 5780 §7. */
export const ATTR = {
  mappedAddress: 0x0001,
  changeRequest: 0x0003,
  errorCode: 0x0009,
  xorMappedAddress: 0x0020,
  responseOrigin: 0x802b,
  otherAddress: 0x802c,
} as const;

/** CHANGE-REQUEST flags (RFC 5780 §7.2): ask the server to answer from its other IP / port. */
export const CHANGE_IP = 0x04;
export const CHANGE_PORT = 0x02;

export interface Endpoint {
  ip: string;
  port: number;
}

export interface BindingResponse {
  transactionId: Buffer;
  /** XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an RFC 3489 server. */
  mapped?: Endpoint;
  /** RFC 5780 §7.4: the server's alternate IP and port; absent when it cannot change either. */
  other?: Endpoint;
  /** RFC 5780 §7.3: where the response was sent from. */
  origin?: Endpoint;
  /** An error response's code (e.g. 420 when the server refuses CHANGE-REQUEST). */
  errorCode?: number;
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

/** A Binding request, with CHANGE-REQUEST when `change` has flags set. */
export function encodeBindingRequest(transactionId: Buffer, change = 0): Buffer {
  const attrs = change ? Buffer.alloc(8) : Buffer.alloc(0);
  if (change) {
    attrs.writeUInt16BE(ATTR.changeRequest, 0);
    attrs.writeUInt16BE(4, 2);
    attrs.writeUInt32BE(change, 4);
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(BINDING_REQUEST, 0);
  header.writeUInt16BE(attrs.length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  return Buffer.concat([header, attrs]);
}

/** The message type and transaction id of a STUN message, or undefined for anything else. */
export function stunHeader(msg: Buffer): { type: number; transactionId: Buffer } | undefined {
  if (msg.length < HEADER_BYTES || (msg[0]! & 0xc0) !== 0 || msg.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  if (msg.readUInt16BE(2) + HEADER_BYTES > msg.length) return undefined;
  return { type: msg.readUInt16BE(0), transactionId: msg.subarray(8, 20) };
}

/** Address attributes share one layout (RFC 8489 §14.1); the XOR variant masks it (§14.2). */
function readAddress(value: Buffer, xor: boolean): Endpoint | undefined {
  if (value.length < 8 || value[1] !== 0x01) return undefined; // IPv4 only
  const port = value.readUInt16BE(2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
  const n = (value.readUInt32BE(4) ^ (xor ? MAGIC_COOKIE : 0)) >>> 0;
  return { ip: [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."), port };
}

/** Parses a Binding success or error response; undefined for anything else. */
export function decodeBindingResponse(msg: Buffer): BindingResponse | undefined {
  const head = stunHeader(msg);
  if (!head || (head.type !== BINDING_SUCCESS && head.type !== BINDING_ERROR)) return undefined;
  const out: BindingResponse = { transactionId: Buffer.from(head.transactionId) };
  const end = HEADER_BYTES + msg.readUInt16BE(2);
  let mappedPlain: Endpoint | undefined;
  for (let at = HEADER_BYTES; at + 4 <= end; ) {
    const type = msg.readUInt16BE(at);
    const len = msg.readUInt16BE(at + 2);
    const value = msg.subarray(at + 4, Math.min(at + 4 + len, end));
    if (type === ATTR.xorMappedAddress) out.mapped = readAddress(value, true);
    else if (type === ATTR.mappedAddress) mappedPlain = readAddress(value, false);
    else if (type === ATTR.otherAddress) out.other = readAddress(value, false);
    else if (type === ATTR.responseOrigin) out.origin = readAddress(value, false);
    else if (type === ATTR.errorCode && value.length >= 4) out.errorCode = (value[2]! & 0x07) * 100 + value[3]!;
    at += 4 + len + ((4 - (len % 4)) % 4);
  }
  if (!out.mapped && mappedPlain) out.mapped = mappedPlain;
  return out;
}

export const sameEndpoint = (a: Endpoint | undefined, b: Endpoint | undefined): boolean => !!a && !!b && a.ip === b.ip && a.port === b.port;
