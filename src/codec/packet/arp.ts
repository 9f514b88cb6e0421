/** ARP (RFC 826): any hardware/protocol sizes; MAC and IPv4 text for the Ethernet/IPv4 sizes. */
import { ipv4ToString, macToString } from '../addr.js';
import { hexColon, type DecodeContext } from './context.js';

export const ARP_FIXED_LEN = 8;

export function decodeArp(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('arp', o, ARP_FIXED_LEN)) return ctx.stop();
  const hs = ctx.u8(o + 4);
  const ps = ctx.u8(o + 5);
  const total = ARP_FIXED_LEN + 2 * (hs + ps);
  if (!ctx.has('arp', o, total)) return ctx.stop();
  const hw = (p: number): string => (hs === 6 ? macToString(ctx.b, p) : hexColon(ctx.b, p, hs));
  const pr = (p: number): string => (ps === 4 ? ipv4ToString(ctx.u32(p)) : hexColon(ctx.b, p, ps));
  let p = o + ARP_FIXED_LEN;
  const senderHardware = hw(p);
  p += hs;
  const senderProtocol = pr(p);
  p += ps;
  const targetHardware = hw(p);
  p += hs;
  const targetProtocol = pr(p);
  p += ps;
  ctx.push({
    type: 'arp', offset: ctx.rel(o), headerLength: total, depth: ctx.depth,
    hardwareType: ctx.u16(o), protocolType: ctx.u16(o + 2), hardwareSize: hs, protocolSize: ps, opcode: ctx.u16(o + 6),
    senderHardware, senderProtocol, targetHardware, targetProtocol,
  });
  // Ethernet pads ARP to 60 bytes: the rest is trailer, not payload.
  ctx.stop();
}
