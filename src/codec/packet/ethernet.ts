/** Ethernet II, IEEE 802.3 (length field + LLC, decoding stops there) and 802.1Q / 802.1ad VLAN tags. */
import { macToString } from '../addr.js';
import { Next, type DecodeContext } from './context.js';
import { EtherType } from './types.js';

export const ETHERNET_HEADER_LEN = 14;
export const VLAN_TAG_LEN = 4;
/** More stacked tags than this is called malformed (the rest is payload). */
export const MAX_VLAN_TAGS = 8;

export function isVlanTpid(t: number): boolean {
  return t === EtherType.VLAN || t === EtherType.QINQ || t === EtherType.QINQ_OLD;
}

export function decodeEthernet(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('ethernet', o, ETHERNET_HEADER_LEN)) return ctx.stop();
  const b = ctx.b;
  const etherType = ctx.u16(o + 12);
  ctx.push({ type: 'ethernet', offset: ctx.rel(o), headerLength: ETHERNET_HEADER_LEN, depth: ctx.depth, dst: macToString(b, o), src: macToString(b, o + 6), etherType });
  ctx.off = o + ETHERNET_HEADER_LEN;
  if (etherType <= 1500) {
    // IEEE 802.3: a length, then an 802.2 LLC header. The frame may carry padding beyond `length`.
    if (!ctx.has('llc', ctx.off, 3)) return ctx.stop();
    const p = ctx.off;
    ctx.push({ type: 'llc', offset: ctx.rel(p), headerLength: 3, depth: ctx.depth, length: etherType, dsap: b[p]!, ssap: b[p + 1]!, control: b[p + 2]! });
    ctx.end = Math.min(ctx.end, p + etherType);
    return ctx.payload(p + 3);
  }
  if (etherType < 0x0600) {
    ctx.issue('ethernet', 'ethernet-bad-ethertype', `type/length 0x${etherType.toString(16)} is neither a length (<= 1500) nor an EtherType (>= 0x0600)`, ctx.rel(o + 12));
    return ctx.payload(ctx.off);
  }
  ctx.value = etherType;
  ctx.next = Next.ETHERTYPE;
}

/** One VLAN tag at ctx.off announced by ctx.value (a TPID). */
export function decodeVlan(ctx: DecodeContext, tagsSoFar: number): void {
  const o = ctx.off;
  if (tagsSoFar >= MAX_VLAN_TAGS) {
    ctx.issue('vlan', 'vlan-too-many-tags', `more than ${MAX_VLAN_TAGS} stacked VLAN tags`, ctx.rel(o));
    return ctx.payload(o);
  }
  if (!ctx.has('vlan', o, VLAN_TAG_LEN)) return ctx.stop();
  const tci = ctx.u16(o);
  const etherType = ctx.u16(o + 2);
  ctx.push({ type: 'vlan', offset: ctx.rel(o), headerLength: VLAN_TAG_LEN, depth: ctx.depth, tpid: ctx.value, pcp: tci >>> 13, dei: (tci >>> 12) & 1, vid: tci & 0xfff, etherType });
  ctx.off = o + VLAN_TAG_LEN;
  if (etherType <= 1500) {
    if (!ctx.has('llc', ctx.off, 3)) return ctx.stop();
    const p = ctx.off;
    ctx.push({ type: 'llc', offset: ctx.rel(p), headerLength: 3, depth: ctx.depth, length: etherType, dsap: ctx.b[p]!, ssap: ctx.b[p + 1]!, control: ctx.b[p + 2]! });
    ctx.end = Math.min(ctx.end, p + etherType);
    return ctx.payload(p + 3);
  }
  ctx.value = etherType;
  ctx.next = Next.ETHERTYPE;
}
