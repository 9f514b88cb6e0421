import { Writer } from '../../../../src/codec/openflow/buffer.js';
import { encodeMatch, type Match } from '../../../../src/codec/openflow/oxm.js';
import { encodeInstructions, type Instruction } from '../../../../src/codec/openflow/instructions.js';
import { ofpPrint } from '../../../support/ofp-print.js';
function flowMod(m: Match, ins: Instruction[]): Uint8Array {
  const w = new Writer();
  w.u8(4); w.u8(14); w.u16(0); w.u32(1);
  w.u64(0x1234n); w.u64(0n); w.u8(0); w.u8(0); w.u16(0); w.u16(0); w.u16(100); w.u32(0xffffffff); w.u32(0xffffffff); w.u32(0xffffffff); w.u16(0); w.u16(0);
  encodeMatch(w, m); encodeInstructions(w, ins); w.patchU16(2, w.offset); return w.toBytes();
}
const ip4 = { field: 'eth_type', value: 0x0800 } as const;
const ip6 = { field: 'eth_type', value: 0x86dd } as const;
const cases: [Match, Instruction[]][] = [
  [[{ field: 'in_port', value: 1 }, { field: 'metadata', value: 0xabn, mask: 0xffn }, { field: 'eth_dst', value: '01:00:00:00:00:00', mask: '01:00:00:00:00:00' }, { field: 'eth_src', value: '00:11:22:33:44:55' }, { field: 'vlan_vid', value: 0x1064 }, { field: 'vlan_pcp', value: 5 }],
   [{ type: 'apply_actions', actions: [{ type: 'pop_vlan' }, { type: 'push_vlan', ethertype: 0x8100 }, { type: 'set_field', field: { field: 'vlan_vid', value: 0x1005 } }, { type: 'output', port: 0xfffffffd, maxLen: 0xffff }] }]],
  [[ip4, { field: 'ip_dscp', value: 46 }, { field: 'ip_ecn', value: 1 }, { field: 'ip_proto', value: 17 }, { field: 'ipv4_dst', value: '192.168.1.0', mask: '255.255.255.0' }, { field: 'udp_src', value: 0, mask: 3 }, { field: 'udp_dst', value: 53 }],
   [{ type: 'write_actions', actions: [{ type: 'set_queue', queueId: 3 }, { type: 'group', groupId: 7 }] }, { type: 'write_metadata', metadata: 0x10n, mask: 0xf0n }, { type: 'meter', meterId: 2 }, { type: 'goto_table', tableId: 2 }]],
  [[ip6, { field: 'ip_proto', value: 58 }, { field: 'ipv6_src', value: '2001:db8::', mask: 'ffff:ffff::' }, { field: 'ipv6_dst', value: 'fe80::1' }, { field: 'ipv6_flabel', value: 0x12345 }, { field: 'icmpv6_type', value: 135 }, { field: 'icmpv6_code', value: 0 }, { field: 'ipv6_nd_target', value: 'fe80::2' }, { field: 'ipv6_nd_sll', value: '00:00:00:00:00:02' }],
   [{ type: 'clear_actions' }, { type: 'apply_actions', actions: [{ type: 'dec_nw_ttl' }, { type: 'set_nw_ttl', ttl: 9 }, { type: 'set_field', field: { field: 'ipv6_dst', value: '2001:db8::9' } }, { type: 'output', port: 0xfffffffb, maxLen: 0 }] }]],
  [[{ field: 'eth_type', value: 0x0806 }, { field: 'arp_op', value: 2 }, { field: 'arp_spa', value: '10.0.0.1' }, { field: 'arp_tpa', value: '10.0.0.0', mask: '255.255.255.0' }, { field: 'arp_sha', value: '00:00:00:00:00:01' }, { field: 'arp_tha', value: '00:00:00:00:00:00', mask: 'ff:ff:ff:00:00:00' }],
   [{ type: 'apply_actions', actions: [{ type: 'set_field', field: { field: 'arp_op', value: 2 } }, { type: 'output', port: 0xfffffff8, maxLen: 0 }] }]],
  [[{ field: 'eth_type', value: 0x8847 }, { field: 'mpls_label', value: 100 }, { field: 'mpls_tc', value: 3 }, { field: 'mpls_bos', value: 1 }],
   [{ type: 'apply_actions', actions: [{ type: 'dec_mpls_ttl' }, { type: 'set_mpls_ttl', ttl: 10 }, { type: 'pop_mpls', ethertype: 0x0800 }, { type: 'output', port: 0xfffffffa, maxLen: 0 }] }]],
  [[ip4, { field: 'ip_proto', value: 1 }, { field: 'icmpv4_type', value: 8 }, { field: 'icmpv4_code', value: 0 }, { field: 'tunnel_id', value: 42n }],
   [{ type: 'apply_actions', actions: [{ type: 'push_mpls', ethertype: 0x8847 }, { type: 'set_field', field: { field: 'mpls_label', value: 77 } }, { type: 'set_field', field: { field: 'tunnel_id', value: 9n } }, { type: 'output', port: 0xfffffffe, maxLen: 0 }] }]],
  [[ip6, { field: 'ip_proto', value: 132 }, { field: 'sctp_src', value: 1 }, { field: 'sctp_dst', value: 2 }],
   [{ type: 'apply_actions', actions: [{ type: 'experimenter', experimenter: 0x2320, data: Uint8Array.from([0, 0x0a, 0, 0, 0, 0, 0, 0]) }] }]],
  [[{ field: 'opaque', oxmClass: 1, fieldCode: 0, hasMask: false, payload: Uint8Array.from([0, 0, 0, 5]) }],
   [{ type: 'apply_actions', actions: [{ type: 'set_field', field: { field: 'opaque', oxmClass: 1, fieldCode: 1, hasMask: false, payload: Uint8Array.from([0, 0, 0, 9]) } }, { type: 'output', port: 0xfffffff9, maxLen: 0 }] }]],
  [[ip4, { field: 'ip_proto', value: 6 }, { field: 'tcp_src', value: 0x8000, mask: 0x8000 }, { field: 'tcp_dst', value: 443 }], [{ type: 'apply_actions', actions: [{ type: 'set_field', field: { field: 'tcp_dst', value: 8443 } }, { type: 'set_field', field: { field: 'ipv4_src', value: '1.2.3.4' } }, { type: 'set_field', field: { field: 'ip_dscp', value: 10 } }, { type: 'output', port: 3, maxLen: 0 }] }]],
];
it('x', () => {
  for (const [m, i] of cases) console.log(ofpPrint(flowMod(m, i)));
});
