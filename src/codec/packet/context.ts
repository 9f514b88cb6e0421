/**
 * Decoding state shared by the layer decoders of decodePacket. Each layer decoder reads its header at
 * `ctx.off`, pushes its layer, and says what comes next by setting `ctx.next`/`ctx.value`/`ctx.off`/`ctx.end`;
 * decode.ts runs the loop. No decoder throws on packet content.
 */
import type { Layer, LayerType, Packet } from './types.js';

export const Next = {
  STOP: 0,
  ETHERNET: 1,
  /** ctx.value is an EtherType. */
  ETHERTYPE: 2,
  /** ctx.value is an IP protocol number (after IPv4 or the IPv6 extension chain). */
  IP_PROTO: 3,
  VXLAN: 4,
  /** Undecoded bytes from ctx.off to ctx.end. */
  PAYLOAD: 5,
  SLL: 6,
  SLL2: 7,
  /** Raw IP, version nibble decides. */
  RAW_IP: 8,
} as const;

export class DecodeContext {
  next: number = Next.STOP;
  value = 0;
  off: number;
  /** Current end: the capture end, or less where an enclosing header declared a shorter length. */
  end: number;
  /** `end` comes from a length an enclosing header declared (not from the capture length). */
  endDeclared = false;
  depth = 0;
  /** Set by IPv4/IPv6 for the transport decoders (4 or 6). */
  ipVersion = 0;
  /** Set by IPv4/IPv6: the packet is a first fragment (more follow), so transport lengths exceed it. */
  fragmented = false;

  constructor(
    readonly b: Uint8Array,
    readonly start: number,
    /** End of the captured bytes. */
    readonly capEnd: number,
    readonly packet: Packet,
  ) {
    this.off = start;
    this.end = capEnd;
  }

  push(layer: Layer): void {
    this.packet.layers.push(layer);
  }

  issue(layer: LayerType, code: string, message: string, offset: number): void {
    this.packet.issues.push({ layer, code, message, offset, depth: this.depth });
  }

  truncate(layer: LayerType, offset: number, missing: number): void {
    if (this.packet.truncated === null) this.packet.truncated = { layer, offset, missing, depth: this.depth };
  }

  /**
   * True when `n` bytes from `off` are inside the current end. Otherwise records why not — cut short by the
   * capture (truncated) or by a shorter length an enclosing header declared (malformed) — and returns false.
   */
  has(layer: LayerType, off: number, n: number): boolean {
    if (off + n <= this.end) return true;
    if (this.endDeclared) {
      this.issue(layer, `${layer}-exceeds-enclosing-length`, `${layer} header needs ${n} byte(s) at offset ${off - this.start} but the enclosing header leaves ${Math.max(0, this.end - off)}`, off - this.start);
    } else {
      this.truncate(layer, off - this.start, off + n - this.end);
    }
    return false;
  }

  /** Narrows the end to a length an enclosing header declares (when it is within the current end). */
  limit(declaredEnd: number): void {
    if (declaredEnd <= this.end) {
      this.end = declaredEnd;
      this.endDeclared = true;
    }
  }

  u8(o: number): number {
    return this.b[o]!;
  }

  u16(o: number): number {
    return (this.b[o]! << 8) | this.b[o + 1]!;
  }

  u32(o: number): number {
    return ((this.b[o]! << 24) | (this.b[o + 1]! << 16) | (this.b[o + 2]! << 8) | this.b[o + 3]!) >>> 0;
  }

  /** Offset relative to the start of the decoded bytes (what layers and issues report). */
  rel(o: number): number {
    return o - this.start;
  }

  stop(): void {
    this.next = Next.STOP;
  }

  /** Continue with the undecoded rest from `off` (up to the current end). */
  payload(off: number): void {
    this.off = off;
    this.next = Next.PAYLOAD;
  }
}

export function hexColon(b: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i === 0 ? '' : ':') + b[off + i]!.toString(16).padStart(2, '0');
  return s;
}
