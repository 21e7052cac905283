// Why: to prove what coturn refuses we need to speak TURN ourselves, without a WebRTC stack in
// between that hides error codes. This is the least of RFC 8489 (STUN) and RFC 8656 (TURN) over
// UDP: Allocate with the long-term credential (401 → realm/nonce → retry), CreatePermission,
// Refresh. The codec is pure functions; TurnClient adds one UDP socket and timeouts.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";

const MAGIC_COOKIE = 0x2112a442;

/** RFC 8489 §18.2 / RFC 8656 §18: method numbers. */
export const METHOD = { binding: 0x001, allocate: 0x003, refresh: 0x004, createPermission: 0x008 } as const;
/** Class bits of the message type (RFC 8489 §5). */
export const CLASS = { request: 0x000, indication: 0x010, success: 0x100, error: 0x110 } as const;
/** Attribute types (RFC 8489 §18.3, RFC 8656 §18). */
export const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  xorPeerAddress: 0x0012,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
} as const;

export interface StunMessage {
  method: number;
  cls: number;
  transactionId: Buffer;
  attributes: Array<{ type: number; value: Buffer }>;
}

export interface Address {
  ip: string;
  port: number;
}

function messageType(method: number, cls: number): number {
  // The method's bits are split around the two class bits (RFC 8489 §5).
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | cls;
}

function splitType(type: number): { method: number; cls: number } {
  const cls = type & 0x0110;
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  return { method, cls };
}

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([header, value, pad]);
}

/** XOR-MAPPED-ADDRESS style encoding (IPv4 only: all this test needs). */
export function xorAddress(addr: Address): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(0x01, 1);
  b.writeUInt16BE(addr.port ^ (MAGIC_COOKIE >>> 16), 2);
  const ip = addr.ip.split(".").map(Number);
  if (ip.length !== 4 || ip.some((n) => !(n >= 0 && n <= 255))) throw new Error(`IPv4 only: ${addr.ip}`);
  b.writeUInt32BE(((((ip[0]! << 24) | (ip[1]! << 16) | (ip[2]! << 8) | ip[3]!) >>> 0) ^ MAGIC_COOKIE) >>> 0, 4);
  return b;
}

export function readXorAddress(value: Buffer): Address {
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  const n = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
  return { ip: [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."), port };
}

/** Long-term credential key: MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash("md5").update(`${username}:${realm}:${password}`).digest();
}

/**
 * Encodes a message; with `key`, appends MESSAGE-INTEGRITY (HMAC-SHA1 over the message with the
 * length field already counting the integrity attribute, RFC 8489 §14.5).
 */
export function encode(msg: Omit<StunMessage, "attributes"> & { attributes: Array<{ type: number; value: Buffer }> }, key?: Buffer): Buffer {
  const body = Buffer.concat(msg.attributes.map((a) => attribute(a.type, a.value)));
  const header = Buffer.alloc(20);
  header.writeUInt16BE(messageType(msg.method, msg.cls), 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  msg.transactionId.copy(header, 8);
  if (!key) {
    header.writeUInt16BE(body.length, 2);
    return Buffer.concat([header, body]);
  }
  header.writeUInt16BE(body.length + 24, 2);
  const mac = createHmac("sha1", key).update(Buffer.concat([header, body])).digest();
  return Buffer.concat([header, body, attribute(ATTR.messageIntegrity, mac)]);
}

export function decode(data: Buffer): StunMessage | undefined {
  if (data.length < 20 || data.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const { method, cls } = splitType(data.readUInt16BE(0));
  const length = data.readUInt16BE(2);
  const attributes: StunMessage["attributes"] = [];
  for (let off = 20; off + 4 <= 20 + length && off + 4 <= data.length; ) {
    const type = data.readUInt16BE(off);
    const len = data.readUInt16BE(off + 2);
    attributes.push({ type, value: data.subarray(off + 4, off + 4 + len) });
    off += 4 + len + ((4 - (len % 4)) % 4);
  }
  return { method, cls, transactionId: data.subarray(8, 20), attributes };
}

export function attr(msg: StunMessage, type: number): Buffer | undefined {
  return msg.attributes.find((a) => a.type === type)?.value;
}

/** ERROR-CODE → {code, reason} (RFC 8489 §14.8). */
export function errorCode(msg: StunMessage): { code: number; reason: string } | undefined {
  const v = attr(msg, ATTR.errorCode);
  if (!v) return undefined;
  return { code: (v.readUInt8(2) & 0x7) * 100 + v.readUInt8(3), reason: v.subarray(4).toString("utf8") };
}

export type TurnResult<T = object> = ({ ok: true } & T) | { ok: false; code: number; reason: string };

/** One UDP socket talking to one TURN server; one allocation at most. */
export class TurnClient {
  private readonly socket: Socket;
  private readonly server: Address;
  private readonly pending = new Map<string, (msg: StunMessage) => void>();
  private auth: { username: string; realm: string; nonce: Buffer; key: Buffer } | undefined;

  private constructor(socket: Socket, server: Address) {
    this.socket = socket;
    this.server = server;
    socket.on("message", (data) => {
      const msg = decode(data);
      if (!msg) return;
      const id = msg.transactionId.toString("hex");
      this.pending.get(id)?.(msg);
      this.pending.delete(id);
    });
  }

  static async open(server: Address): Promise<TurnClient> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    return new TurnClient(socket, server);
  }

  /** Sends a request, retransmitting (RFC 8489 §6.2.1, shortened for loopback); resolves with the answer. */
  async request(method: number, attributes: StunMessage["attributes"], signed: boolean, timeoutMs = 3000): Promise<StunMessage> {
    const transactionId = randomBytes(12);
    const extra = signed && this.auth
      ? [
          { type: ATTR.username, value: Buffer.from(this.auth.username) },
          { type: ATTR.realm, value: Buffer.from(this.auth.realm) },
          { type: ATTR.nonce, value: this.auth.nonce },
        ]
      : [];
    const bytes = encode({ method, cls: CLASS.request, transactionId, attributes: [...attributes, ...extra] }, signed ? this.auth?.key : undefined);
    const id = transactionId.toString("hex");
    return new Promise<StunMessage>((resolve, reject) => {
      let rto = 100;
      let timer: NodeJS.Timeout;
      const deadline = setTimeout(() => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error(`no answer from TURN server ${this.server.ip}:${this.server.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const send = () => {
        this.socket.send(bytes, this.server.port, this.server.ip);
        timer = setTimeout(send, (rto *= 2));
      };
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        clearTimeout(deadline);
        resolve(msg);
      });
      send();
    });
  }

  /**
   * Allocate a UDP relay with the long-term credential: the first, unsigned request earns a 401
   * with REALM and NONCE (RFC 8489 §9.2.4); the retry is signed. Any other error is returned.
   */
  async allocate(username: string, password: string, lifetime = 600): Promise<TurnResult<{ relayed: Address; mapped: Address }>> {
    const attrs = [
      { type: ATTR.requestedTransport, value: Buffer.from([17, 0, 0, 0]) }, // UDP
      { type: ATTR.lifetime, value: u32(lifetime) },
    ];
    let res = await this.request(METHOD.allocate, attrs, false);
    let err = errorCode(res);
    if (err?.code === 401) {
      const realm = attr(res, ATTR.realm)?.toString("utf8");
      const nonce = attr(res, ATTR.nonce);
      if (!realm || !nonce) return { ok: false, ...err };
      this.auth = { username, realm, nonce, key: longTermKey(username, realm, password) };
      res = await this.request(METHOD.allocate, attrs, true);
      err = errorCode(res);
    }
    if (err || res.cls !== CLASS.success) return { ok: false, ...(err ?? { code: 0, reason: "not a success response" }) };
    return { ok: true, relayed: readXorAddress(attr(res, ATTR.xorRelayedAddress)!), mapped: readXorAddress(attr(res, ATTR.xorMappedAddress)!) };
  }

  /** Asks for a permission to exchange data with `peerIp` (RFC 8656 §9). The port is ignored by TURN. */
  async createPermission(peerIp: string): Promise<TurnResult> {
    return this.signedRequest(METHOD.createPermission, [{ type: ATTR.xorPeerAddress, value: xorAddress({ ip: peerIp, port: 9 }) }]);
  }

  /** Refresh; lifetime 0 deletes the allocation at once (RFC 8656 §7). */
  async refresh(lifetime: number): Promise<TurnResult> {
    return this.signedRequest(METHOD.refresh, [{ type: ATTR.lifetime, value: u32(lifetime) }]);
  }

  private async signedRequest(method: number, attrs: StunMessage["attributes"]): Promise<TurnResult> {
    if (!this.auth) throw new Error("allocate first");
    let res = await this.request(method, attrs, true);
    let err = errorCode(res);
    if (err?.code === 438) {
      // Stale nonce: take the new one and retry once (RFC 8489 §9.2.5).
      const nonce = attr(res, ATTR.nonce);
      if (nonce) this.auth = { ...this.auth, nonce };
      res = await this.request(method, attrs, true);
      err = errorCode(res);
    }
    return err ? { ok: false, ...err } : { ok: true };
  }

  close(): void {
    for (const [, wake] of this.pending) void wake;
    this.pending.clear();
    this.socket.close();
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** TURN REST credential as the edge mints it (draft-uberti-behave-turn-rest §2.2). */
export function restCredential(secret: string, id: string, expiresAt: number): { username: string; password: string } {
  const username = `${expiresAt}:${id}`;
  return { username, password: createHmac("sha1", secret).update(username).digest("base64") };
}
