import { createHmac, getHashes, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';

/**
 * The Jupyter wire format: [...routing ids, "<IDS|MSG>", signature, header, parent_header,
 * metadata, content, ...buffers]. The signature is the hex HMAC of the four JSON frames.
 */
export const DELIMITER = Buffer.from('<IDS|MSG>');

export interface Header {
  readonly msg_id: string;
  readonly session: string;
  readonly username: string;
  readonly date: string;
  readonly msg_type: string;
  readonly version: string;
}

/** A message after framing and signature checks, before its header and content are validated. */
export interface RawMessage {
  readonly ids: readonly Uint8Array[];
  readonly header: unknown;
  readonly parent_header: unknown;
  readonly metadata: unknown;
  readonly content: unknown;
  readonly buffers: readonly Uint8Array[];
}

export interface OutgoingMessage {
  readonly ids: readonly Uint8Array[];
  readonly header: Header;
  readonly parent_header: Header | Record<string, never>;
  readonly metadata: Record<string, unknown>;
  readonly content: unknown;
  readonly buffers: readonly Uint8Array[];
}

/** HMAC signing with the connection file's key and scheme; an empty key disables signing. */
export class Signer {
  private readonly algorithm: string;

  constructor(
    scheme: string,
    private readonly key: string,
  ) {
    const m = /^hmac-(\w+)$/.exec(scheme);
    if (!m || !getHashes().includes(m[1]!)) throw new ConfigError('kernel-signature-scheme', messages.kernelSignatureScheme(scheme));
    this.algorithm = m[1]!;
  }

  sign(parts: readonly Uint8Array[]): string {
    if (this.key === '') return '';
    const h = createHmac(this.algorithm, this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /** Compares in constant time (for equal lengths; the length of a hex digest is public). */
  verify(signature: Uint8Array, parts: readonly Uint8Array[]): boolean {
    if (this.key === '') return true;
    const expected = Buffer.from(this.sign(parts), 'ascii');
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

export function encode(msg: OutgoingMessage, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p), 'utf8'));
  return [...msg.ids.map((b) => Buffer.from(b)), DELIMITER, Buffer.from(signer.sign(parts), 'ascii'), ...parts, ...msg.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))];
}

export type DecodeResult = { readonly ok: true; readonly message: RawMessage } | { readonly ok: false; readonly reason: string };

export function decode(frames: readonly Uint8Array[], signer: Signer): DecodeResult {
  const at = frames.findIndex((f) => Buffer.compare(f, DELIMITER) === 0);
  if (at < 0) return { ok: false, reason: 'no <IDS|MSG> delimiter' };
  if (frames.length < at + 6) return { ok: false, reason: `only ${frames.length - at - 1} frames after the delimiter (need 5)` };
  const signature = frames[at + 1]!;
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) return { ok: false, reason: 'bad signature' };
  const json: unknown[] = [];
  for (const p of parts) {
    try {
      json.push(JSON.parse(Buffer.from(p).toString('utf8')));
    } catch {
      return { ok: false, reason: 'a frame is not JSON' };
    }
  }
  return {
    ok: true,
    message: { ids: frames.slice(0, at), header: json[0], parent_header: json[1], metadata: json[2], content: json[3], buffers: frames.slice(at + 6) },
  };
}
