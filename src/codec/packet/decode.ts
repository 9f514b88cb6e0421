/**
 * decodePacket: the full object tree of one frame. The layer decoders each read one header and name the
 * next; this loop dispatches until a decoder stops. Never throws on packet content (see types.ts).
 */
import { decodeArp } from './arp.js';
import { Next, DecodeContext } from './context.js';
import { decodeEthernet, decodeVlan, isVlanTpid } from './ethernet.js';
import { decodeGre } from './gre.js';
import { decodeIcmp, decodeIcmpv6 } from './icmp.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeAh, decodeEsp } from './ipsec.js';
import { decodeRawIp, decodeSll, decodeSll2 } from './link.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';
import { decodeVxlan } from './vxlan.js';
import { EtherType, IpProto, LinkType, type Packet } from './types.js';

/** Upper bound on decode steps (each consumes a header): a guard against loops in malformed input. */
const MAX_STEPS = 256;

/**
 * Decodes `length` bytes at `offset` of `bytes` as one frame of `linkType` (Ethernet by default; also raw IP
 * 101/228/229, Linux cooked SLL 113 and SLL2 276). Byte arrays in the result (payload, options) are views of
 * `bytes`. An out-of-range offset/length is clamped to the buffer (and reported as truncation).
 */
export function decodePacket(bytes: Uint8Array, offset = 0, length = bytes.length - offset, linkType: number = LinkType.ETHERNET): Packet {
  const start = Math.max(0, Math.min(offset, bytes.length));
  const end = Math.max(start, Math.min(start + Math.max(0, length), bytes.length));
  const packet: Packet = { length: end - start, linkType, layers: [], truncated: null, issues: [] };
  const ctx = new DecodeContext(bytes, start, end, packet);
  switch (linkType) {
    case LinkType.ETHERNET:
      ctx.next = Next.ETHERNET;
      break;
    case LinkType.RAW:
      ctx.next = Next.RAW_IP;
      break;
    case LinkType.IPV4:
      ctx.next = Next.ETHERTYPE;
      ctx.value = EtherType.IPV4;
      break;
    case LinkType.IPV6:
      ctx.next = Next.ETHERTYPE;
      ctx.value = EtherType.IPV6;
      break;
    case LinkType.LINUX_SLL:
      ctx.next = Next.SLL;
      break;
    case LinkType.LINUX_SLL2:
      ctx.next = Next.SLL2;
      break;
    default:
      packet.issues.push({ layer: 'payload', code: 'unsupported-link-type', message: `link type ${linkType} is not decoded`, offset: 0, depth: 0 });
      ctx.next = Next.PAYLOAD;
  }
  let vlanTags = 0;
  for (let steps = 0; ctx.next !== Next.STOP; steps++) {
    if (steps >= MAX_STEPS) {
      packet.issues.push({ layer: 'payload', code: 'too-many-layers', message: `more than ${MAX_STEPS} headers`, offset: ctx.rel(ctx.off), depth: ctx.depth });
      break;
    }
    const next = ctx.next;
    ctx.next = Next.STOP;
    switch (next) {
      case Next.ETHERNET:
        vlanTags = 0;
        decodeEthernet(ctx);
        break;
      case Next.ETHERTYPE: {
        const t = ctx.value;
        if (isVlanTpid(t)) decodeVlan(ctx, vlanTags++);
        else if (t === EtherType.IPV4) decodeIpv4(ctx);
        else if (t === EtherType.IPV6) decodeIpv6(ctx);
        else if (t === EtherType.ARP) decodeArp(ctx);
        else ctx.payload(ctx.off);
        break;
      }
      case Next.IP_PROTO: {
        const p = ctx.value;
        if (p === IpProto.TCP) decodeTcp(ctx);
        else if (p === IpProto.UDP) decodeUdp(ctx);
        else if (p === IpProto.ICMP && ctx.ipVersion === 4) decodeIcmp(ctx);
        else if (p === IpProto.ICMPV6 && ctx.ipVersion === 6) decodeIcmpv6(ctx);
        else if (p === IpProto.GRE) decodeGre(ctx);
        else if (p === IpProto.AH) decodeAh(ctx);
        else if (p === IpProto.ESP) decodeEsp(ctx);
        else ctx.payload(ctx.off);
        break;
      }
      case Next.VXLAN:
        decodeVxlan(ctx);
        break;
      case Next.SLL:
        decodeSll(ctx);
        break;
      case Next.SLL2:
        decodeSll2(ctx);
        break;
      case Next.RAW_IP:
        decodeRawIp(ctx);
        break;
      case Next.PAYLOAD:
        if (ctx.off < ctx.end) {
          packet.layers.push({ type: 'payload', offset: ctx.rel(ctx.off), headerLength: 0, depth: ctx.depth, data: bytes.subarray(ctx.off, ctx.end) });
        }
        break;
    }
  }
  return packet;
}
