/**
 * Independent oracle for the packet codec and capture reader: Wireshark's tshark. `tsharkFields` runs
 * `tshark -T json -e ...` over a capture file; `vigilFields` renders Vigil's decode of a packet as the same
 * tshark field names, in dissection order (outer headers first), so the two can be compared field by field.
 */
import { execFileSync } from 'node:child_process';
import type { Layer, Packet } from '../../src/codec/packet/index.js';

/** tshark preferences: no reassembly (Vigil decodes each frame on its own), raw TCP sequence numbers. */
export const TSHARK_PREFS = [
  '-o', 'ip.defragment:FALSE',
  '-o', 'ipv6.defragment:FALSE',
  '-o', 'tcp.relative_sequence_numbers:FALSE',
  '-o', 'tcp.analyze_sequence_numbers:FALSE',
  '-o', 'tcp.desegment_tcp_streams:FALSE',
];

export type FieldValue = string | number | boolean;
export type Fields = Record<string, FieldValue[]>;

/** Every tshark field Vigil's decode is compared on. */
export const ORACLE_FIELDS = [
  'eth.src', 'eth.dst', 'eth.type', 'eth.len',
  'llc.dsap', 'llc.ssap', 'llc.control',
  'vlan.id', 'vlan.priority', 'vlan.dei', 'vlan.etype', 'ieee8021ad.id', 'ieee8021ad.priority', 'ieee8021ad.dei',
  'sll.pkttype', 'sll.hatype', 'sll.halen', 'sll.src.eth', 'sll.etype', 'sll.ifindex',
  'arp.hw.type', 'arp.proto.type', 'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4',
  'ip.version', 'ip.hdr_len', 'ip.dsfield.dscp', 'ip.dsfield.ecn', 'ip.len', 'ip.id', 'ip.flags.rb', 'ip.flags.df', 'ip.flags.mf',
  'ip.frag_offset', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.src', 'ip.dst', 'ip.opt.type',
  'ipv6.version', 'ipv6.tclass', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.src', 'ipv6.dst',
  'ipv6.hopopts.nxt', 'ipv6.dstopts.nxt', 'ipv6.routing.nxt', 'ipv6.routing.type', 'ipv6.routing.segleft',
  'ipv6.fraghdr.nxt', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident',
  'ah.next_header', 'ah.spi', 'ah.sequence', 'esp.spi', 'esp.sequence',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.window_size_value', 'tcp.checksum',
  'tcp.option_kind', 'tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.options.sack_le', 'tcp.options.sack_re',
  'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr',
  'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum',
  'icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.ident', 'icmp.seq', 'icmp.redir_gw',
  'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number',
  'icmpv6.nd.ns.target_address', 'icmpv6.nd.na.target_address', 'icmpv6.nd.na.flag.r', 'icmpv6.nd.na.flag.s', 'icmpv6.nd.na.flag.o',
  'gre.flags_and_version', 'gre.proto', 'gre.checksum', 'gre.key', 'gre.sequence_number',
  'vxlan.flags', 'vxlan.vni',
] as const;

/** Per record, the ORACLE_FIELDS tshark decoded, plus frame.len / frame.cap_len / _ws.short / _ws.malformed presence. */
export function tsharkFields(file: string): Array<Record<string, string[]>> {
  const args = ['-r', file, ...TSHARK_PREFS, '-T', 'json'];
  for (const f of [...ORACLE_FIELDS, 'frame.len', 'frame.cap_len', 'frame.protocols', '_ws.short', '_ws.malformed']) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const json = JSON.parse(out) as Array<{ _source: { layers: Record<string, string[]> } }>;
  return json.map((r) => r._source.layers);
}

export function haveTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function add(f: Fields, name: string, v: FieldValue | undefined): void {
  if (v === undefined) return;
  (f[name] ??= []).push(v);
}

/** Vigil's decode as tshark field values. */
export function vigilFields(p: Packet): Fields {
  const f: Fields = {};
    for (const l of p.layers) {
    layerFields(f, l);
  }
  return f;
}

function layerFields(f: Fields, l: Layer): void {
  switch (l.type) {
    case 'ethernet':
      add(f, 'eth.dst', l.dst);
      add(f, 'eth.src', l.src);
      add(f, l.etherType <= 1500 ? 'eth.len' : 'eth.type', l.etherType);
      break;
    case 'llc':
      add(f, 'llc.dsap', l.dsap);
      add(f, 'llc.ssap', l.ssap);
      add(f, 'llc.control', l.control);
      break;
    case 'vlan': {
      // Wireshark decodes an 802.1ad (0x88a8) S-tag with its ieee8021ad dissector; 0x8100 and 0x9100
      // tags go to the vlan dissector.
      const ad = l.tpid === 0x88a8;
      const pre = ad ? 'ieee8021ad' : 'vlan';
      add(f, `${pre}.id`, l.vid);
      add(f, `${pre}.priority`, l.pcp);
      add(f, `${pre}.dei`, l.dei);
      if (!ad) add(f, 'vlan.etype', l.etherType);
      break;
    }
    case 'sll':
      add(f, 'sll.pkttype', l.packetType);
      add(f, 'sll.hatype', l.arphrd);
      add(f, 'sll.halen', l.addressLength);
      if (l.addressLength === 6) add(f, 'sll.src.eth', l.address);
      if (l.protocol >= 0x0600) add(f, 'sll.etype', l.protocol);
      break;
    case 'sll2':
      if (l.protocol >= 0x0600) add(f, 'sll.etype', l.protocol);
      add(f, 'sll.ifindex', l.interfaceIndex);
      add(f, 'sll.hatype', l.arphrd);
      add(f, 'sll.pkttype', l.packetType);
      add(f, 'sll.halen', l.addressLength);
      if (l.addressLength === 6) add(f, 'sll.src.eth', l.address);
      break;
    case 'arp':
      add(f, 'arp.hw.type', l.hardwareType);
      add(f, 'arp.proto.type', l.protocolType);
      add(f, 'arp.opcode', l.opcode);
      add(f, 'arp.src.hw_mac', l.senderHardware);
      add(f, 'arp.src.proto_ipv4', l.senderProtocol);
      add(f, 'arp.dst.hw_mac', l.targetHardware);
      add(f, 'arp.dst.proto_ipv4', l.targetProtocol);
      break;
    case 'ipv4':
      add(f, 'ip.version', l.version);
      add(f, 'ip.hdr_len', l.ihl * 4);
      add(f, 'ip.dsfield.dscp', l.dscp);
      add(f, 'ip.dsfield.ecn', l.ecn);
      add(f, 'ip.len', l.totalLength);
      add(f, 'ip.id', l.id);
      add(f, 'ip.flags.rb', l.reservedFlag);
      add(f, 'ip.flags.df', l.dontFragment);
      add(f, 'ip.flags.mf', l.moreFragments);
      add(f, 'ip.frag_offset', l.fragmentOffset);
      add(f, 'ip.ttl', l.ttl);
      add(f, 'ip.proto', l.protocol);
      add(f, 'ip.checksum', l.checksum);
      add(f, 'ip.src', l.src);
      add(f, 'ip.dst', l.dst);
      for (const o of l.options) add(f, 'ip.opt.type', o.type);
      break;
    case 'ipv6':
      add(f, 'ip.version', l.version); // Wireshark's ip dissector reads the version nibble first
      add(f, 'ipv6.version', l.version);
      add(f, 'ipv6.tclass', l.trafficClass);
      add(f, 'ipv6.flow', l.flowLabel);
      add(f, 'ipv6.plen', l.payloadLength);
      add(f, 'ipv6.nxt', l.nextHeader);
      add(f, 'ipv6.hlim', l.hopLimit);
      add(f, 'ipv6.src', l.src);
      add(f, 'ipv6.dst', l.dst);
      for (const e of l.extensions) {
        if (e.type === 'hop-by-hop') add(f, 'ipv6.hopopts.nxt', e.nextHeader);
        else if (e.type === 'destination-options') add(f, 'ipv6.dstopts.nxt', e.nextHeader);
        else if (e.type === 'routing') {
          add(f, 'ipv6.routing.nxt', e.nextHeader);
          add(f, 'ipv6.routing.type', e.routingType);
          add(f, 'ipv6.routing.segleft', e.segmentsLeft);
        } else if (e.type === 'fragment') {
          add(f, 'ipv6.fraghdr.nxt', e.nextHeader);
          add(f, 'ipv6.fraghdr.offset', e.fragmentOffset);
          add(f, 'ipv6.fraghdr.more', e.moreFragments);
          add(f, 'ipv6.fraghdr.ident', e.id);
        } else if (e.type === 'ah') {
          add(f, 'ah.next_header', e.nextHeader);
          add(f, 'ah.spi', e.spi);
          add(f, 'ah.sequence', e.sequence);
        }
      }
      break;
    case 'ah':
      add(f, 'ah.next_header', l.nextHeader);
      add(f, 'ah.spi', l.spi);
      add(f, 'ah.sequence', l.sequence);
      break;
    case 'esp':
      add(f, 'esp.spi', l.spi);
      add(f, 'esp.sequence', l.sequence);
      break;
    case 'tcp':
      add(f, 'tcp.srcport', l.srcPort);
      add(f, 'tcp.dstport', l.dstPort);
      add(f, 'tcp.seq_raw', l.seq);
      add(f, 'tcp.hdr_len', l.dataOffset * 4);
      add(f, 'tcp.flags', l.flags);
      add(f, 'tcp.window_size_value', l.window);
      add(f, 'tcp.checksum', l.checksum);
      for (const o of l.options) {
        add(f, 'tcp.option_kind', o.kind);
        if (o.name === 'mss') add(f, 'tcp.options.mss_val', o.mss);
        else if (o.name === 'wscale') add(f, 'tcp.options.wscale.shift', o.shift);
        else if (o.name === 'sack') {
          for (const b of o.blocks) {
            add(f, 'tcp.options.sack_le', b.left);
            add(f, 'tcp.options.sack_re', b.right);
          }
        } else if (o.name === 'timestamp') {
          add(f, 'tcp.options.timestamp.tsval', o.tsval);
          add(f, 'tcp.options.timestamp.tsecr', o.tsecr);
        }
      }
      break;
    case 'udp':
      add(f, 'udp.srcport', l.srcPort);
      add(f, 'udp.dstport', l.dstPort);
      add(f, 'udp.length', l.length);
      add(f, 'udp.checksum', l.checksum);
      break;
    case 'icmp':
      add(f, 'icmp.type', l.icmpType);
      add(f, 'icmp.code', l.code);
      add(f, 'icmp.checksum', l.checksum);
      add(f, 'icmp.ident', l.id);
      add(f, 'icmp.seq', l.seq);
      add(f, 'icmp.redir_gw', l.gateway);
      break;
    case 'icmpv6':
      add(f, 'icmpv6.type', l.icmpType);
      add(f, 'icmpv6.code', l.code);
      add(f, 'icmpv6.checksum', l.checksum);
      add(f, 'icmpv6.echo.identifier', l.id);
      add(f, 'icmpv6.echo.sequence_number', l.seq);
      if (l.icmpType === 135) add(f, 'icmpv6.nd.ns.target_address', l.target);
      if (l.icmpType === 136) {
        if (l.naFlags !== undefined) {
          add(f, 'icmpv6.nd.na.flag.r', (l.naFlags & 0x80) !== 0);
          add(f, 'icmpv6.nd.na.flag.s', (l.naFlags & 0x40) !== 0);
          add(f, 'icmpv6.nd.na.flag.o', (l.naFlags & 0x20) !== 0);
        }
        add(f, 'icmpv6.nd.na.target_address', l.target);
      }
      break;
    case 'gre':
      add(f, 'gre.flags_and_version', l.flagsVersion);
      add(f, 'gre.proto', l.protocol);
      add(f, 'gre.checksum', l.checksum);
      add(f, 'gre.key', l.key);
      add(f, 'gre.sequence_number', l.sequence);
      break;
    case 'vxlan':
      add(f, 'vxlan.flags', l.flags << 8);
      add(f, 'vxlan.vni', l.vni);
      break;
    case 'payload':
      break;
  }
}

/** tshark's text value of a field, in the type Vigil uses for it. */
export function normalize(tshark: string, like: FieldValue): FieldValue {
  if (typeof like === 'boolean') return tshark === '1' || tshark === 'True' || tshark === 'true';
  if (typeof like === 'number') return tshark.startsWith('0x') ? parseInt(tshark, 16) : Number(tshark);
  return tshark.toLowerCase();
}

export interface FieldMismatch {
  field: string;
  vigil: FieldValue[];
  tshark: string[];
}

/**
 * Compares Vigil's fields with tshark's. Vigil's values of a field must equal tshark's first values; tshark
 * may have more only when `allowExtra` (it decodes partial headers of a truncated packet, and the packet
 * quoted inside an ICMP error, which Vigil leaves as payload). `lazy` names fields tshark omits for a header
 * the capture cut short although their bytes were captured (see lazyFields).
 */
export function compareFields(vigil: Fields, tshark: Record<string, string[]>, allowExtra: boolean, lazy: ReadonlySet<string> = new Set()): FieldMismatch[] {
  const out: FieldMismatch[] = [];
  for (const field of ORACLE_FIELDS) {
    let v = vigil[field] ?? [];
    const t = tshark[field] ?? [];
    // A field tshark adds only after reading the rest of a header that the capture cut short.
    if (lazy.has(field) && t.length < v.length) v = v.slice(0, t.length);
    const ok =
      v.length <= t.length &&
      (allowExtra || v.length === t.length) &&
      v.every((x, i) => normalize(t[i]!, x) === (typeof x === 'string' ? x.toLowerCase() : x));
    if (!ok) out.push({ field, vigil: v, tshark: t });
  }
  return out;
}

/**
 * Fields tshark leaves out of a header that the capture cut short, although their bytes are present:
 * when IPv4 options are cut, Wireshark 4.0 stops before adding the destination address (and the options);
 * Vigil decodes the complete 20-byte fixed header.
 */
export function lazyFields(p: Packet): Set<string> {
  const s = new Set<string>();
  if (p.truncated?.layer === 'ipv4') for (const f of ['ip.dst', 'ip.opt.type']) s.add(f);
  return s;
}
