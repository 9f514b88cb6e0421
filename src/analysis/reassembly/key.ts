/**
 * Datagram keys. The map key is a compact string built from the fragment's bytes without allocating
 * anything else: "<version>[.<vid>...]|<src>|<dst>[|<protocol>]|<id>" (IPv4 addresses as unsigned numbers,
 * IPv6 as hex; IPv6 keys carry no protocol, see FragmentKey). The readable FragmentKey is made from it only
 * when needed (a finding, a reassembled result, a per-destination policy).
 */
import { ipv4ToString, ipv6ToString } from '../../codec/addr.js';
import type { FrameView } from './frame.js';
import type { FragmentKey } from './types.js';

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function mapKeyOf(v: FrameView): string {
  const b = v.bytes;
  let s = v.ipVersion === 4 ? '4' : '6';
  for (let i = 0; i < v.vlanCount; i++) s += '.' + v.vlans[i]!;
  if (v.ipVersion === 4) return s + '|' + u32(b, v.srcAt) + '|' + u32(b, v.dstAt) + '|' + v.protocol + '|' + v.id;
  s += '|';
  for (let i = 0; i < 16; i++) s += HEX2[b[v.srcAt + i]!]!;
  s += '|';
  for (let i = 0; i < 16; i++) s += HEX2[b[v.dstAt + i]!]!;
  return s + '|' + v.id;
}

/** The readable key of a map key; `protocol` is used for IPv6 (whose map key has none). */
export function keyOf(mapKey: string, protocol: number): FragmentKey {
  const parts = mapKey.split('|');
  const head = parts[0]!.split('.');
  const vlan = head.slice(1).map(Number);
  if (head[0] === '4') {
    return { ipVersion: 4, src: ipv4ToString(Number(parts[1])), dst: ipv4ToString(Number(parts[2])), protocol: Number(parts[3]), id: Number(parts[4]), vlan };
  }
  const hex = (h: string): string => ipv6ToString(Uint8Array.from(Buffer.from(h, 'hex')));
  return { ipVersion: 6, src: hex(parts[1]!), dst: hex(parts[2]!), protocol, id: Number(parts[3]), vlan };
}
