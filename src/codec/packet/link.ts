/** Link headers other than Ethernet: Linux cooked capture v1/v2 (SLL, SLL2) and raw IP. */
import { macToString } from '../addr.js';
import { Next, hexColon, type DecodeContext } from './context.js';
import { EtherType } from './types.js';

export const SLL_HEADER_LEN = 16;
export const SLL2_HEADER_LEN = 20;

function linkAddress(ctx: DecodeContext, o: number, len: number): string {
  const n = Math.min(len, 8);
  return n === 6 ? macToString(ctx.b, o) : hexColon(ctx.b, o, n);
}

/** SLL protocol values below 0x0600 are not EtherTypes (ETH_P_802_3, ETH_P_802_2, ...): stop there. */
function continueWithProtocol(ctx: DecodeContext, protocol: number, off: number): void {
  ctx.off = off;
  if (protocol < 0x0600) return ctx.payload(off);
  ctx.value = protocol;
  ctx.next = Next.ETHERTYPE;
}

export function decodeSll(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('sll', o, SLL_HEADER_LEN)) return ctx.stop();
  const addressLength = ctx.u16(o + 4);
  const protocol = ctx.u16(o + 14);
  ctx.push({
    type: 'sll', offset: ctx.rel(o), headerLength: SLL_HEADER_LEN, depth: ctx.depth,
    packetType: ctx.u16(o), arphrd: ctx.u16(o + 2), addressLength, address: linkAddress(ctx, o + 6, addressLength), protocol,
  });
  continueWithProtocol(ctx, protocol, o + SLL_HEADER_LEN);
}

export function decodeSll2(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('sll2', o, SLL2_HEADER_LEN)) return ctx.stop();
  const protocol = ctx.u16(o);
  const addressLength = ctx.u8(o + 11);
  ctx.push({
    type: 'sll2', offset: ctx.rel(o), headerLength: SLL2_HEADER_LEN, depth: ctx.depth,
    protocol, interfaceIndex: ctx.u32(o + 4), arphrd: ctx.u16(o + 8), packetType: ctx.u8(o + 10), addressLength, address: linkAddress(ctx, o + 12, addressLength),
  });
  continueWithProtocol(ctx, protocol, o + SLL2_HEADER_LEN);
}

/** LINKTYPE_RAW: the IP version nibble says IPv4 or IPv6. */
export function decodeRawIp(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('ipv4', o, 1)) return ctx.stop();
  const v = ctx.u8(o) >>> 4;
  if (v === 4) ctx.value = EtherType.IPV4;
  else if (v === 6) ctx.value = EtherType.IPV6;
  else {
    ctx.issue('ipv4', 'raw-ip-bad-version', `raw IP packet with version ${v}`, ctx.rel(o));
    return ctx.payload(o);
  }
  ctx.next = Next.ETHERTYPE;
}
