/** Frame builders for the reassembly unit tests: Ethernet (+VLAN) / raw IPv4 and IPv6 fragments. */
import { ipv6Bytes } from '../../../../src/codec/addr.js';
import { ipv4HeaderChecksum } from '../../../../src/analysis/reassembly/index.js';

export const SRC4 = '10.0.0.1';
export const DST4 = '10.0.0.2';
export const SRC6 = '2001:db8::1';
export const DST6 = '2001:db8::2';

export interface Frag4 {
  id?: number;
  protocol?: number;
  /** Offset in bytes (a multiple of 8). */
  offset: number;
  more: boolean;
  df?: boolean;
  data: Uint8Array;
  src?: string;
  dst?: string;
  ttl?: number;
  vlan?: number[];
  /** IPv4 options (a multiple of 4 bytes). */
  options?: Uint8Array;
  /** Omit the Ethernet header (LINKTYPE_RAW). */
  raw?: boolean;
}

export interface Ext6 {
  /** 0 hop-by-hop, 43 routing, 60 destination options. */
  type: 0 | 43 | 60;
  /** Length in 8-byte units minus one (the header is (len + 1) * 8 bytes). */
  len?: number;
}

export interface Frag6 {
  id?: number;
  /** Next Header in the fragment header. */
  nextHeader?: number;
  offset: number;
  more: boolean;
  data: Uint8Array;
  src?: string;
  dst?: string;
  vlan?: number[];
  /** Extension headers before the fragment header (the unfragmentable part). */
  ext?: Ext6[];
  raw?: boolean;
}

function v4(s: string): number[] {
  return s.split('.').map(Number);
}

function link(etherType: number, vlan: number[] = []): number[] {
  const out = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1];
  for (const vid of vlan) out.push(0x81, 0x00, (vid >>> 8) & 0x0f, vid & 0xff);
  out.push(etherType >>> 8, etherType & 0xff);
  return out;
}

export function ipv4Fragment(f: Frag4): Uint8Array {
  const opts = f.options ?? new Uint8Array(0);
  const ihl = 20 + opts.length;
  const total = ihl + f.data.length;
  const flags = (f.df === true ? 0x4000 : 0) | (f.more ? 0x2000 : 0) | (f.offset >>> 3);
  const id = f.id ?? 0x1234;
  const h = new Uint8Array(ihl);
  h.set([0x40 | (ihl >>> 2), 0, total >>> 8, total & 0xff, id >>> 8, id & 0xff, flags >>> 8, flags & 0xff, f.ttl ?? 64, f.protocol ?? 17, 0, 0, ...v4(f.src ?? SRC4), ...v4(f.dst ?? DST4)]);
  h.set(opts, 20);
  const c = ipv4HeaderChecksum(h, 0, ihl);
  h[10] = c >>> 8;
  h[11] = c & 0xff;
  const l2 = f.raw === true ? [] : link(0x0800, f.vlan);
  const out = new Uint8Array(l2.length + total);
  out.set(l2, 0);
  out.set(h, l2.length);
  out.set(f.data, l2.length + ihl);
  return out;
}

export function ipv6Fragment(f: Frag6): Uint8Array {
  const ext = f.ext ?? [];
  const extBytes: number[] = [];
  const types = [...ext.map((e) => e.type), 44];
  ext.forEach((e, i) => {
    const len = e.len ?? 0;
    const hdr = new Array<number>((len + 1) * 8).fill(0);
    hdr[0] = types[i + 1]!;
    hdr[1] = len;
    if (e.type === 43) hdr[2] = 0; // routing type 0, segments left 0
    else {
      hdr[2] = 1; // PadN filling the rest
      hdr[3] = (len + 1) * 8 - 4;
    }
    extBytes.push(...hdr);
  });
  const id = f.id ?? 0x01020304;
  const fo = f.offset | (f.more ? 1 : 0);
  const frag = [f.nextHeader ?? 17, 0, fo >>> 8, fo & 0xff, (id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
  const plen = extBytes.length + 8 + f.data.length;
  const fixed = [0x60, 0, 0, 0, plen >>> 8, plen & 0xff, types[0]!, 64, ...ipv6Bytes(f.src ?? SRC6), ...ipv6Bytes(f.dst ?? DST6)];
  const l2 = f.raw === true ? [] : link(0x86dd, f.vlan);
  const out = new Uint8Array(l2.length + 40 + plen);
  out.set([...l2, ...fixed, ...extBytes, ...frag], 0);
  out.set(f.data, l2.length + 40 + extBytes.length + 8);
  return out;
}

/** A UDP header + payload (checksum left 0). */
export function udp(payload: Uint8Array, srcPort = 1234, dstPort = 5678): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const len = out.length;
  out.set([srcPort >>> 8, srcPort & 0xff, dstPort >>> 8, dstPort & 0xff, len >>> 8, len & 0xff, 0, 0]);
  out.set(payload, 8);
  return out;
}

export function filled(n: number, byte: number | string): Uint8Array {
  return new Uint8Array(n).fill(typeof byte === 'string' ? byte.charCodeAt(0) : byte);
}

export function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Splits `payload` into fragments of at most `size` bytes (size a multiple of 8). */
export function split(payload: Uint8Array, size: number): Array<{ offset: number; more: boolean; data: Uint8Array }> {
  const out: Array<{ offset: number; more: boolean; data: Uint8Array }> = [];
  for (let o = 0; o < payload.length; o += size) {
    out.push({ offset: o, more: o + size < payload.length, data: payload.subarray(o, Math.min(payload.length, o + size)) });
  }
  return out;
}

export const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
