/**
 * decodePacket on the scapy-built fixture (test/fixtures/packet/protocols.pcap, see make-packets.py for the
 * exact packets): every protocol's fields, then malformed headers (flagged, never thrown) and API edges.
 * The same frames are checked against tshark in test/integration/packet-tshark.test.ts.
 */
import { decodePacket, IpProto, LinkType, MAX_TUNNEL_DEPTH, TcpFlag, type Packet } from '../../../../src/codec/packet/index.js';
import { fixture, layer } from './helpers.js';

const frames = fixture('protocols.pcap').map((p) => p.data);
const dec = (i: number): Packet => decodePacket(frames[i]!);
const types = (p: Packet): string => p.layers.map((l) => (l.depth > 0 ? `${l.type}@${l.depth}` : l.type)).join('/');
const M1 = '02:00:00:00:00:01';
const M2 = '02:00:00:00:00:02';

describe('decodePacket: every protocol of the fixture', () => {
  it('has 41 frames, all decoded without issues or truncation', () => {
    expect(frames).toHaveLength(41);
    for (let i = 0; i < frames.length; i++) {
      const p = dec(i);
      expect({ i, issues: p.issues, truncated: p.truncated }).toEqual({ i, issues: [], truncated: null });
    }
  });

  it('Ethernet II, IPv4 (DF, id, ttl, checksum) and a TCP SYN with MSS, SACK-permitted, timestamps, NOP, window scale', () => {
    const p = dec(0);
    expect(types(p)).toBe('ethernet/ipv4/tcp');
    expect(layer(p, 'ethernet')).toMatchObject({ src: M1, dst: M2, etherType: 0x0800, offset: 0, headerLength: 14 });
    const ip = layer(p, 'ipv4');
    expect(ip).toMatchObject({ version: 4, ihl: 5, id: 0x1234, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: 6, src: '10.0.0.1', dst: '10.0.0.2', totalLength: 60, offset: 14, headerLength: 20 });
    expect(ip.checksum).toBe((frames[0]![24]! << 8) | frames[0]![25]!);
    const tcp = layer(p, 'tcp');
    expect(tcp).toMatchObject({ srcPort: 40000, dstPort: 443, seq: 1000, flags: TcpFlag.SYN, window: 64240, dataOffset: 10, headerLength: 40, offset: 34 });
    expect(tcp.options).toEqual([
      { kind: 2, name: 'mss', mss: 1460 },
      { kind: 4, name: 'sack-permitted' },
      { kind: 8, name: 'timestamp', tsval: 123456, tsecr: 0 },
      { kind: 1, name: 'nop' },
      { kind: 3, name: 'wscale', shift: 7 },
    ]);
  });

  it('TCP SACK blocks, timestamps and an unknown option kept as kind/length/data; payload after the header', () => {
    const p = dec(2);
    const tcp = layer(p, 'tcp');
    expect(tcp.flags).toBe(TcpFlag.ACK);
    expect(tcp.ack).toBe(5001);
    expect(tcp.options.filter((o) => o.name !== 'nop')).toEqual([
      { kind: 5, name: 'sack', blocks: [{ left: 6000, right: 7000 }, { left: 8000, right: 9000 }] },
      { kind: 8, name: 'timestamp', tsval: 123500, tsecr: 654321 },
      { kind: 253, name: 'other', length: 4, data: Uint8Array.of(0x12, 0x34) },
    ]);
    expect(Buffer.from(layer(p, 'payload').data).toString()).toBe('hello');
  });

  it('every TCP flag bit and the urgent pointer', () => {
    const tcp = layer(dec(3), 'tcp');
    expect(tcp.flags).toBe(TcpFlag.FIN | TcpFlag.PSH | TcpFlag.ACK | TcpFlag.URG | TcpFlag.ECE | TcpFlag.CWR);
    expect(tcp.urgentPointer).toBe(3);
    expect(layer(dec(4), 'tcp').flags).toBe(TcpFlag.RST);
  });

  it('UDP ports and length; DSCP/ECN', () => {
    const p = dec(6);
    expect(layer(p, 'udp')).toMatchObject({ srcPort: 33333, dstPort: 7777, length: 108 });
    expect(layer(p, 'ipv4')).toMatchObject({ dscp: 46, ecn: 0 });
    expect(layer(p, 'payload').data).toHaveLength(100);
  });

  it('Ethernet padding after the IP datagram is not payload', () => {
    const padded = new Uint8Array(64);
    padded.set(frames[5]!);
    const p = decodePacket(padded);
    expect(layer(p, 'payload').data).toEqual(Uint8Array.of(0x78)); // "x"
    expect(p.issues).toEqual([]);
  });

  it('ICMP echo id/seq, errors (type/code), redirect gateway', () => {
    expect(layer(dec(7), 'icmp')).toMatchObject({ icmpType: 8, code: 0, id: 0x4242, seq: 1, headerLength: 8 });
    expect(layer(dec(8), 'icmp')).toMatchObject({ icmpType: 0, id: 0x4242, seq: 1 });
    const unreach = layer(dec(9), 'icmp');
    expect(unreach).toMatchObject({ icmpType: 3, code: 3 });
    expect(unreach.id).toBeUndefined();
    expect(layer(dec(10), 'icmp')).toMatchObject({ icmpType: 5, code: 1, gateway: '10.0.0.254' });
    expect(layer(dec(11), 'icmp')).toMatchObject({ icmpType: 11, code: 0 });
    // The quoted packet is payload: no second IP layer.
    expect(types(dec(9))).toBe('ethernet/ipv4/icmp/payload');
  });

  it('ARP request and reply', () => {
    expect(layer(dec(12), 'arp')).toMatchObject({ opcode: 1, hardwareType: 1, protocolType: 0x0800, senderHardware: M1, senderProtocol: '10.0.0.1', targetHardware: '00:00:00:00:00:00', targetProtocol: '10.0.0.2', headerLength: 28 });
    expect(layer(dec(13), 'arp')).toMatchObject({ opcode: 2, senderHardware: M2, senderProtocol: '10.0.0.2', targetHardware: M1, targetProtocol: '10.0.0.1' });
  });

  it('VLAN stacks: 802.1Q, 802.1ad + 802.1Q, 0x9100 + 0x8100, VLAN-tagged ARP', () => {
    const q = dec(14);
    expect(types(q)).toBe('ethernet/vlan/ipv4/tcp');
    expect(layer(q, 'vlan')).toMatchObject({ tpid: 0x8100, vid: 100, pcp: 5, dei: 0, etherType: 0x0800 });
    const qinq = dec(15).layers.filter((l) => l.type === 'vlan');
    expect(qinq).toMatchObject([{ tpid: 0x88a8, vid: 200, etherType: 0x8100 }, { tpid: 0x8100, vid: 300, etherType: 0x0800 }]);
    const old = dec(16).layers.filter((l) => l.type === 'vlan');
    expect(old).toMatchObject([{ tpid: 0x9100, vid: 4000, dei: 1 }, { tpid: 0x8100, vid: 10 }]);
    expect(types(dec(17))).toBe('ethernet/vlan/arp');
  });

  it('IPv4 options kept as type/length/data (record route, router alert)', () => {
    const ip = layer(dec(18), 'ipv4');
    expect(ip.ihl).toBe(9);
    expect(ip.headerLength).toBe(36);
    expect(ip.options.map((o) => [o.type, o.length])).toEqual([[7, 11], [148, 4], [0, 1]]);
    expect(ip.options[0]!.data.subarray(1, 5)).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  it('IPv4 fragments: the first carries the UDP header, later ones are payload', () => {
    const [first, mid, last] = [dec(19), dec(20), dec(21)];
    expect(layer(first, 'ipv4')).toMatchObject({ id: 0x4444, moreFragments: true, fragmentOffset: 0 });
    expect(layer(first, 'udp')).toMatchObject({ srcPort: 7000, dstPort: 7001, length: 56 });
    expect(layer(mid, 'ipv4')).toMatchObject({ id: 0x4444, moreFragments: true, fragmentOffset: 3 });
    expect(types(mid)).toBe('ethernet/ipv4/payload');
    expect(layer(last, 'ipv4')).toMatchObject({ moreFragments: false, fragmentOffset: 6 });
    expect(types(last)).toBe('ethernet/ipv4/payload');
  });

  it('IPv6: traffic class, flow label, hop limit; TCP', () => {
    const p = dec(22);
    expect(layer(p, 'ipv6')).toMatchObject({ version: 6, trafficClass: 0x20, flowLabel: 0x12345, hopLimit: 63, nextHeader: 6, upperProtocol: 6, src: '2001:db8::1', dst: '2001:db8::2', extensions: [], headerLength: 40 });
    expect(layer(p, 'tcp').options[0]).toEqual({ kind: 2, name: 'mss', mss: 1440 });
  });

  it('IPv6 extension headers: hop-by-hop, destination options, routing, then UDP', () => {
    const ip = layer(dec(23), 'ipv6');
    expect(ip.extensions.map((e) => e.type)).toEqual(['hop-by-hop', 'destination-options', 'routing']);
    expect(ip.extensions[2]).toMatchObject({ routingType: 0, segmentsLeft: 1, nextHeader: 17, length: 24 });
    expect(ip.upperProtocol).toBe(IpProto.UDP);
    expect(ip.headerLength).toBe(40 + 8 + 8 + 24);
    expect(layer(dec(23), 'udp')).toMatchObject({ srcPort: 4000, dstPort: 4001 });
  });

  it('IPv6 fragment header: first fragment decodes UDP, a later one is payload', () => {
    const first = layer(dec(24), 'ipv6');
    expect(first.extensions).toEqual([{ type: 'fragment', nextHeader: 17, length: 8, offset: 54, fragmentOffset: 0, moreFragments: true, id: 0xabcdef }]);
    expect(layer(dec(24), 'udp').srcPort).toBe(4600);
    expect(layer(dec(25), 'ipv6').extensions[0]).toMatchObject({ fragmentOffset: 3, moreFragments: false });
    expect(types(dec(25))).toBe('ethernet/ipv6/payload');
  });

  it('IPsec: IPv6 AH as an extension, ESP stops decoding (IPv6 and IPv4), IPv4 AH then ICMP', () => {
    const ah6 = layer(dec(26), 'ipv6');
    expect(ah6.extensions[0]).toMatchObject({ type: 'ah', spi: 0x1001, sequence: 5, nextHeader: 6, length: 24 });
    expect(layer(dec(26), 'tcp')).toMatchObject({ srcPort: 600, dstPort: 700 });
    expect(layer(dec(27), 'esp')).toMatchObject({ spi: 0x2002, sequence: 9 });
    expect(types(dec(27))).toBe('ethernet/ipv6/esp/payload');
    expect(layer(dec(28), 'esp')).toMatchObject({ spi: 0x3003, sequence: 1 });
    expect(layer(dec(29), 'ah')).toMatchObject({ spi: 0x4004, sequence: 2, nextHeader: 1 });
    expect(layer(dec(29), 'icmp')).toMatchObject({ id: 3, seq: 4 });
  });

  it('ICMPv6 echo id/seq, neighbor solicitation and advertisement targets', () => {
    expect(layer(dec(30), 'icmpv6')).toMatchObject({ icmpType: 128, id: 0x77, seq: 3 });
    expect(layer(dec(31), 'icmpv6')).toMatchObject({ icmpType: 129, id: 0x77, seq: 3 });
    expect(layer(dec(32), 'icmpv6')).toMatchObject({ icmpType: 135, code: 0, target: '2001:db8::2' });
    expect(layer(dec(33), 'icmpv6')).toMatchObject({ icmpType: 136, target: '2001:db8::2', naFlags: 0x60 });
  });

  it('GRE: plain IPv4; checksum + key + sequence; transparent Ethernet bridging; IPv6 in GRE over IPv6', () => {
    const plain = dec(34);
    expect(types(plain)).toBe('ethernet/ipv4/gre/ipv4@1/udp@1');
    expect(layer(plain, 'gre')).toMatchObject({ protocol: 0x0800, version: 0, keyPresent: false, headerLength: 4 });
    expect(layer(plain, 'ipv4', 1)).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2' });
    const full = layer(dec(35), 'gre');
    expect(full).toMatchObject({ checksumPresent: true, keyPresent: true, sequencePresent: true, key: 0xdeadbeef, sequence: 42, headerLength: 16 });
    expect(typeof full.checksum).toBe('number');
    const teb = dec(36);
    expect(types(teb)).toBe('ethernet/ipv4/gre/ethernet@1/ipv4@1/icmp@1');
    expect(layer(teb, 'gre').key).toBe(5000);
    expect(layer(teb, 'ethernet', 1)).toMatchObject({ src: '02:aa:00:00:00:01', dst: '02:aa:00:00:00:02' });
    expect(layer(dec(37), 'udp', 1)).toMatchObject({ srcPort: 123, dstPort: 123 });
  });

  it('VXLAN: VNI and the inner frame decoded one level deeper (IPv4 and IPv6 underlays, inner VLAN)', () => {
    const v4 = dec(38);
    expect(types(v4)).toBe('ethernet/ipv4/udp/vxlan/ethernet@1/ipv4@1/tcp@1/payload@1');
    expect(layer(v4, 'vxlan')).toMatchObject({ vni: 5001, flags: 0x08 });
    expect(layer(v4, 'ipv4', 1)).toMatchObject({ src: '192.168.1.1', dst: '192.168.1.2' });
    expect(layer(v4, 'tcp', 1)).toMatchObject({ srcPort: 12345, dstPort: 80, flags: TcpFlag.PSH | TcpFlag.ACK });
    const v6 = dec(39);
    expect(layer(v6, 'vxlan').vni).toBe(0xabcdef);
    expect(layer(v6, 'vlan', 1).vid).toBe(42);
    expect(layer(v6, 'ipv6', 1)).toMatchObject({ src: 'fd00::a', dst: 'fd00::b' });
  });

  it('IEEE 802.3 length field: LLC recognised, decoding stops', () => {
    const p = dec(40);
    expect(types(p)).toBe('ethernet/llc/payload');
    expect(layer(p, 'ethernet').etherType).toBeLessThanOrEqual(1500);
    expect(layer(p, 'llc')).toMatchObject({ dsap: 0x42, ssap: 0x42, control: 3 });
  });
});

describe('decodePacket: link types', () => {
  it('raw IP (101) by version nibble, IPv4 (228), IPv6 (229)', () => {
    for (const [file, want] of [['linktypes/raw-101.pcap', ['ipv4', 'ipv4', 'ipv4', 'ipv4', 'ipv6', 'ipv6', 'ipv6']], ['linktypes/raw-228.pcap', ['ipv4', 'ipv4', 'ipv4', 'ipv4']], ['linktypes/raw-229.pcap', ['ipv6', 'ipv6', 'ipv6']]] as const) {
      const got = fixture(file).map((cp) => decodePacket(cp.data, 0, cp.caplen, cp.linkType));
      expect(got.map((p) => p.layers[0]!.type)).toEqual(want);
      for (const p of got) expect(p.issues).toEqual([]);
    }
  });

  it('Linux cooked v1 and v2 from tcpdump -i any', () => {
    const sll = fixture('captures/sll.pcap');
    expect(sll[0]!.linkType).toBe(LinkType.LINUX_SLL);
    const p = decodePacket(sll[0]!.data, 0, sll[0]!.caplen, LinkType.LINUX_SLL);
    expect(types(p)).toMatch(/^sll\/ipv4\/icmp/);
    expect(layer(p, 'sll')).toMatchObject({ arphrd: 772, protocol: 0x0800, addressLength: 6 });
    const sll2 = fixture('captures/sll2.pcap');
    const q = decodePacket(sll2[0]!.data, 0, sll2[0]!.caplen, LinkType.LINUX_SLL2);
    expect(types(q)).toMatch(/^sll2\/ipv4\/icmp/);
    expect(layer(q, 'sll2')).toMatchObject({ protocol: 0x0800, arphrd: 772, interfaceIndex: 1 });
  });

  it('an unsupported link type is reported, and the bytes kept as payload', () => {
    const p = decodePacket(Uint8Array.of(1, 2, 3), 0, 3, 9999);
    expect(p.issues[0]!.code).toBe('unsupported-link-type');
    expect(types(p)).toBe('payload');
  });

  it('raw IP with a version other than 4 or 6 is reported', () => {
    expect(decodePacket(Uint8Array.of(0x50, 0), 0, 2, LinkType.RAW).issues[0]!.code).toBe('raw-ip-bad-version');
  });
});

describe('decodePacket: malformed headers are flagged, never thrown', () => {
  const mutate = (i: number, edits: Array<[number, number]>): Uint8Array => {
    const b = frames[i]!.slice();
    for (const [o, v] of edits) b[o] = v;
    return b;
  };
  const codes = (p: Packet): string[] => p.issues.map((x) => x.code);

  it('IPv4 IHL < 5, wrong version, total length shorter than the header', () => {
    const ihl = decodePacket(mutate(5, [[14, 0x44]]));
    expect(codes(ihl)).toEqual(['ipv4-ihl-too-small']);
    expect(types(ihl)).toBe('ethernet/ipv4/payload');
    expect(codes(decodePacket(mutate(5, [[14, 0x55]])))).toEqual(['ipv4-bad-version']);
    expect(codes(decodePacket(mutate(5, [[16, 0], [17, 10]])))).toEqual(['ipv4-total-length-too-small']);
  });

  it('IPv4 option with length < 2, or running past the header', () => {
    // Frame 18: options at 34: RR type 7, length 11.
    expect(codes(decodePacket(mutate(18, [[35, 1]])))).toEqual(['ipv4-bad-option-length']);
    expect(codes(decodePacket(mutate(18, [[35, 40]])))).toEqual(['ipv4-bad-option-length']);
  });

  it('TCP data offset < 5; option lengths 0, past the header, or wrong for the kind', () => {
    const doff = decodePacket(mutate(0, [[46, 0x40]]));
    expect(codes(doff)).toEqual(['tcp-bad-data-offset']);
    expect(layer(doff, 'tcp').srcPort).toBe(40000);
    // Frame 0 options at 54: MSS (2, 4, ...).
    expect(codes(decodePacket(mutate(0, [[55, 0]])))).toEqual(['tcp-bad-option-length']);
    expect(codes(decodePacket(mutate(0, [[55, 60]])))).toEqual(['tcp-bad-option-length']);
    const wrong = decodePacket(mutate(0, [[55, 3], [57, 1]])); // MSS with length 3, then a NOP
    expect(codes(wrong)).toContain('tcp-bad-option-length');
    expect(layer(wrong, 'tcp').options[0]).toMatchObject({ kind: 2, name: 'other', length: 3 });
  });

  it('UDP length < 8, or past the IP payload', () => {
    // Frame 6: UDP at 34, length at 38.
    expect(codes(decodePacket(mutate(6, [[38, 0], [39, 4]])))).toEqual(['udp-bad-length']);
    expect(codes(decodePacket(mutate(6, [[38, 1], [39, 0]])))).toEqual(['udp-length-exceeds-ip']);
  });

  it('an IPv4 header that declares more than the datagram holds is malformed, not truncated', () => {
    // Frame 5 (UDP, total length 29): claim 24 bytes, shorter than IP + UDP headers.
    const p = decodePacket(mutate(5, [[16, 0], [17, 24]]));
    expect(p.truncated).toBeNull();
    expect(codes(p)).toEqual(['udp-exceeds-enclosing-length']);
  });

  it('EtherType between 1501 and 0x05ff', () => {
    expect(codes(decodePacket(mutate(0, [[12, 0x05], [13, 0xf0]])))).toEqual(['ethernet-bad-ethertype']);
  });

  it('VXLAN without the I flag', () => {
    expect(codes(decodePacket(mutate(38, [[42, 0]])))).toEqual(['vxlan-no-vni-flag']);
  });

  it('AH with a length under 12 bytes', () => {
    expect(codes(decodePacket(mutate(26, [[55, 0]])))).toEqual(['ah-bad-length']);
    expect(codes(decodePacket(mutate(29, [[35, 0]])))).toEqual(['ah-bad-length']);
  });

  it('more than 8 VLAN tags', () => {
    const tag = [0x81, 0x00, 0x00, 0x05];
    const f = Uint8Array.from([...frames[0]!.subarray(0, 12), ...Array.from({ length: 10 }, () => tag).flat(), 0x08, 0x00, ...frames[0]!.subarray(14)]);
    const p = decodePacket(f);
    expect(codes(p)).toEqual(['vlan-too-many-tags']);
    expect(p.layers.filter((l) => l.type === 'vlan')).toHaveLength(8);
  });

  it('more than 16 IPv6 extension headers', () => {
    const eth = frames[22]!.subarray(0, 14);
    const ip6 = frames[22]!.slice(14, 54);
    const exts = Array.from({ length: 20 }, (_, i) => [i === 19 ? 59 : 60, 0, 1, 4, 0, 0, 0, 0]).flat();
    ip6[6] = 60;
    ip6[4] = exts.length >> 8;
    ip6[5] = exts.length & 0xff;
    const p = decodePacket(Uint8Array.from([...eth, ...ip6, ...exts]));
    expect(codes(p)).toEqual(['ipv6-too-many-extensions']);
    expect(layer(p, 'ipv6').extensions).toHaveLength(16);
  });

  it(`tunnels nest at most ${MAX_TUNNEL_DEPTH} deep`, () => {
    let f: Uint8Array = frames[5]!; // innermost: plain UDP frame
    for (let i = 0; i < 6; i++) f = vxlanWrap(f, 100 + i);
    const p = decodePacket(f);
    expect(Math.max(...p.layers.map((l) => l.depth))).toBe(MAX_TUNNEL_DEPTH);
    expect(codes(p)).toEqual(['tunnel-too-deep']);
    expect(p.layers.filter((l) => l.type === 'vxlan').map((l) => (l.type === 'vxlan' ? l.vni : 0))).toEqual([105, 104, 103, 102, 101]);
  });
});

describe('decodePacket: offset and length', () => {
  it('decodes a frame inside a larger buffer; offsets count from the frame', () => {
    const f = frames[38]!;
    const buf = new Uint8Array(f.length + 100).fill(0xee);
    buf.set(f, 37);
    const p = decodePacket(buf, 37, f.length);
    expect(p).toEqual(decodePacket(f));
    expect(p.layers[1]!.offset).toBe(14);
  });

  it('a length past the buffer is clamped (and reported as truncation when it cuts a header)', () => {
    const f = frames[0]!;
    expect(decodePacket(f, 0, 10_000)).toEqual(decodePacket(f));
    expect(decodePacket(f, 64, 100).truncated).toMatchObject({ layer: 'ethernet', missing: 4 });
    expect(decodePacket(f, -5, 0)).toMatchObject({ length: 0, truncated: { layer: 'ethernet', offset: 0, missing: 14 } });
  });
});

/** Wraps an Ethernet frame in Ethernet/IPv4/UDP(4789)/VXLAN. */
function vxlanWrap(inner: Uint8Array, vni: number): Uint8Array {
  const udpLen = 8 + 8 + inner.length;
  const ipLen = 20 + udpLen;
  const out = new Uint8Array(14 + ipLen);
  out.set(frames[0]!.subarray(0, 14));
  out.set([0x45, 0, ipLen >> 8, ipLen & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  out.set([0xc0, 0x00, 0x12, 0xb5, udpLen >> 8, udpLen & 0xff, 0, 0], 34);
  out.set([0x08, 0, 0, 0, (vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0], 42);
  out.set(inner, 50);
  return out;
}
