/**
 * summarizePacket: the zero-allocation hot path must say what decodePacket says (outer and inner 5-tuple,
 * VLANs, fragments, flags, tunnels, truncation), on every fixture frame, every cut of it, and every link type;
 * and a reused PacketSummary must carry nothing over from the previous packet.
 */
import { AddressOf, FragFlag, LinkType, PacketSummary, summarizePacket, TunnelType } from '../../../../src/codec/packet/index.js';
import { expectSummaryMatchesDecode, fixture } from './helpers.js';

const frames = fixture('protocols.pcap').map((p) => p.data);

describe('summarizePacket', () => {
  it('fills the outer 5-tuple, TTL, lengths and TCP flags of a TCP SYN', () => {
    const s = summarizePacket(frames[0]!, 0, frames[0]!.length, new PacketSummary());
    expect(s).toMatchObject({ ethertype: 0x0800, ipVersion: 4, srcV4: 0x0a000001, dstV4: 0x0a000002, ipProto: 6, ttl: 64, ipTotalLength: 60, ipId: 0x1234, srcPort: 40000, dstPort: 443, tcpFlags: 0x002, fragFlags: FragFlag.DONT, payloadOffset: 74, truncated: false, malformed: false, tunnel: TunnelType.NONE, vni: -1 });
    expect([...s.address(AddressOf.SRC)]).toEqual([10, 0, 0, 1, ...new Array<number>(12).fill(0)]);
    expect(s.srcMacString()).toBe('02:00:00:00:00:01');
    expect([s.srcMacHi, s.srcMacLo]).toEqual([0x0200, 0x00000001]);
  });

  it('VLAN ids (outer/inner), IPv6 addresses, fragments, ICMP', () => {
    const s = new PacketSummary();
    expect(summarizePacket(frames[15]!, 0, frames[15]!.length, s)).toMatchObject({ vlanCount: 2, outerVlan: 200, innerVlan: 300, ethertype: 0x0800, srcPort: 53000, dstPort: 53 });
    expect(summarizePacket(frames[20]!, 0, frames[20]!.length, s)).toMatchObject({ ipId: 0x4444, fragOffset: 3, fragFlags: FragFlag.MORE | FragFlag.IS_FRAGMENT, srcPort: -1, ipProto: 17 });
    expect(summarizePacket(frames[24]!, 0, frames[24]!.length, s)).toMatchObject({ ipVersion: 6, ipId: 0xabcdef, fragFlags: FragFlag.MORE | FragFlag.IS_FRAGMENT, fragOffset: 0, srcPort: 4600, ipProto: 17 });
    expect([...s.address(AddressOf.SRC)]).toEqual([0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1]);
    expect(summarizePacket(frames[7]!, 0, frames[7]!.length, s)).toMatchObject({ icmpType: 8, icmpCode: 0, srcPort: -1, ipVersion: 4, fragFlags: 0 });
  });

  it('VXLAN: VNI and the inner 5-tuple; GRE: key and the inner 5-tuple', () => {
    const s = new PacketSummary();
    summarizePacket(frames[38]!, 0, frames[38]!.length, s);
    expect(s).toMatchObject({ tunnel: TunnelType.VXLAN, vni: 5001, srcPort: 49152, dstPort: 4789, innerIpVersion: 4, innerIpProto: 6, innerSrcPort: 12345, innerDstPort: 80 });
    expect([...s.address(AddressOf.INNER_SRC).subarray(0, 4)]).toEqual([192, 168, 1, 1]);
    expect(s.addressString(AddressOf.INNER_SRC)).toBe('192.168.1.1');
    summarizePacket(frames[35]!, 0, frames[35]!.length, s);
    expect(s).toMatchObject({ tunnel: TunnelType.GRE, vni: 0xdeadbeef, ipProto: 47, innerIpVersion: 4, innerSrcPort: 3333, innerDstPort: 4444 });
  });

  it('a reused summary keeps nothing from the previous packet', () => {
    const s = new PacketSummary();
    const fresh = (i: number): PacketSummary => summarizePacket(frames[i]!, 0, frames[i]!.length, new PacketSummary());
    const order = [38, 12, 39, 0, 15, 40, 24, 35, 7, 5];
    for (const i of order) expect(summarizePacket(frames[i]!, 0, frames[i]!.length, s)).toEqual(fresh(i));
  });

  it('reads at an offset inside a larger buffer (as in an sFlow datagram); payloadOffset is absolute', () => {
    const f = frames[2]!;
    const buf = new Uint8Array(f.length + 300).fill(0xff);
    buf.set(f, 123);
    const s = summarizePacket(buf, 123, f.length, new PacketSummary());
    expect(s).toMatchObject({ srcPort: 40000, dstPort: 443, truncated: false, length: f.length });
    expect(s.payloadOffset).toBe(123 + 14 + 20 + 56);
    expect(Buffer.from(buf.subarray(s.payloadOffset, 123 + f.length)).toString()).toBe('hello');
  });

  it('flags truncation: sFlow-style 64-byte header of a VXLAN frame keeps the outer tuple and VNI', () => {
    const s = summarizePacket(frames[38]!, 0, 64, new PacketSummary());
    expect(s).toMatchObject({ truncated: true, tunnel: TunnelType.VXLAN, vni: 5001, srcPort: 49152, innerIpVersion: 0 });
  });

  it.each(frames.map((f, i) => [i, f] as const))('frame %i and every cut of it agree with decodePacket', (_i, f) => {
    const s = new PacketSummary();
    for (let n = 0; n <= f.length; n++) expectSummaryMatchesDecode(f.subarray(0, n), LinkType.ETHERNET, s);
  });

  it('agrees with decodePacket on raw-IP and Linux-cooked captures', () => {
    for (const file of ['linktypes/raw-101.pcap', 'linktypes/raw-228.pcap', 'linktypes/raw-229.pcap', 'captures/sll.pcap', 'captures/sll2.pcap', 'captures/lo.pcap']) {
      for (const cp of fixture(file)) {
        const { s } = expectSummaryMatchesDecode(cp.data, cp.linkType);
        expect(s.ipVersion).not.toBe(0);
      }
    }
  });
});
