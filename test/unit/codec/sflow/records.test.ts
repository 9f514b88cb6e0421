/**
 * Every structure decoded from bytes laid out by hand, field by field, in the order of the specs
 * (sflow_version_5.txt; sflow_host.txt for the host and virtual-machine records). Each field gets a
 * distinct value, so a field read from the wrong place cannot go unnoticed. The walker must fill its
 * reused views with the same values.
 */
import {
  decodeDatagram,
  SflowWalker,
  WalkStatus,
  CounterBit,
  RecordView,
  type CounterSample,
  type CounterSampleView,
  type FlowSample,
  type FlowSampleView,
  type SflowDatagram,
} from '../../../../src/codec/sflow/index.js';
import { counterViewDiffs, flowViewDiffs } from './view-match.js';

// ---- a tiny hand layout kit (big-endian XDR) --------------------------------------------------------
type Part = Uint8Array | number[];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const u64 = (v: bigint): number[] => [...u32(Number(v >> 32n)), ...u32(Number(v & 0xffffffffn))];
const f32 = (v: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeFloatBE(v);
  return [...b];
};
const hex = (h: string): number[] => [...Buffer.from(h.replace(/[^0-9a-f]/gi, ''), 'hex')];
const pad = (b: number[]): number[] => [...b, ...new Array<number>((4 - (b.length % 4)) % 4).fill(0)];
const str = (s: string): number[] => [...u32(Buffer.byteLength(s)), ...pad([...Buffer.from(s)])];
const cat = (...parts: Part[]): number[] => parts.flatMap((p) => [...p]);
/** data format (enterprise:format), length, body */
const tlv = (enterprise: number, format: number, ...body: Part[]): number[] => {
  const b = cat(...body);
  return cat(u32((enterprise << 12) | format), u32(b.length), b);
};
const datagram = (agent: number[], samples: number[][]): Uint8Array =>
  Uint8Array.from(cat(u32(5), agent, u32(0x11) /* sub agent */, u32(0x22) /* sequence */, u32(0x33) /* uptime */, u32(samples.length), ...samples));
const V4_AGENT = cat(u32(1), hex('c0000201')); // 192.0.2.1

/** Every field of every view the walker fills for `bytes`, against decodeDatagram's objects. */
function viewDiffs(bytes: Uint8Array): string[] {
  const samples = decodeDatagram(bytes).samples;
  const flows = samples.filter((s): s is FlowSample => s.kind === 'flow');
  const counters = samples.filter((s): s is CounterSample => s.kind === 'counters');
  const diffs: string[] = [];
  let f = 0;
  let c = 0;
  new SflowWalker().walk(bytes, {
    onFlowSample: (v) => diffs.push(...flowViewDiffs(v, flows[f++]!, bytes)),
    onCounterSample: (v) => diffs.push(...counterViewDiffs(v, counters[c++]!, bytes)),
  });
  if (f !== flows.length || c !== counters.length) diffs.push(`visited ${f}/${flows.length} flow and ${c}/${counters.length} counter samples`);
  return diffs;
}

function walkOne(bytes: Uint8Array): { flows: FlowSampleView[]; counters: CounterSampleView[]; walker: SflowWalker; status: number } {
  const walker = new SflowWalker();
  const flows: FlowSampleView[] = [];
  const counters: CounterSampleView[] = [];
  // The views are reused: snapshot what the test reads.
  const status = walker.walk(bytes, {
    onFlowSample: (f) => flows.push(structuredClone({ ...f, summary: { ...f.summary } }) as unknown as FlowSampleView),
    onCounterSample: (c) => counters.push(snapshot(c)),
  });
  return { flows, counters, walker, status };
}

function snapshot(c: CounterSampleView): CounterSampleView {
  // Record views read the walker's buffer lazily: materialize them (toJSON) before the next walk reuses it.
  const plain = Object.fromEntries(Object.entries(c).map(([k, x]) => [k, x instanceof RecordView ? x.toJSON() : x]));
  const copy = structuredClone(plain) as unknown as CounterSampleView;
  copy.has = (bit: number) => (copy.present & bit) !== 0;
  return copy;
}

// ---- flow records --------------------------------------------------------------------------------------

// An Ethernet/IPv4/TCP frame: 00:00:5e:00:53:01 -> 00:00:5e:00:53:02, 198.51.100.7:40000 -> 203.0.113.9:443, SYN.
const FRAME = hex(
  '00005e005302 00005e005301 0800' +
    '45000028 abcd4000 4006 0000 c6336407 cb007109' +
    '9c4001bb 00000001 00000000 5002ffff 00000000',
);

describe('flow samples and flow records', () => {
  const sample = tlv(0, 1,
    u32(7), // sequence_number
    u32((0 << 24) | 42), // source_id: ifIndex 42
    u32(256), // sampling_rate
    u32(25600), // sample_pool
    u32(3), // drops
    u32(42), // input: ifIndex 42
    u32(((2 << 30) | 5) >>> 0), // output: multiple, 5 interfaces
    u32(9), // number of records
    tlv(0, 1, u32(1), u32(1518), u32(4), u32(FRAME.length), pad(FRAME)), // raw header: ethernet, frame 1518, stripped 4
    tlv(0, 2, u32(1500), pad(hex('00005e005301')), pad(hex('00005e005302')), u32(0x0800)), // sampled_ethernet
    tlv(0, 3, u32(1400), u32(6), hex('c6336407'), hex('cb007109'), u32(40000), u32(443), u32(0x12), u32(0xb8)), // sampled_ipv4
    tlv(0, 4, u32(1280), u32(17), hex('20010db8000000000000000000000001'), hex('fe800000000000000000000000000002'), u32(53), u32(5353), u32(0), u32(6)), // sampled_ipv6
    tlv(0, 1001, u32(10), u32(1), u32(20), u32(2)), // extended_switch
    tlv(0, 1002, u32(1), hex('c0000202'), u32(24), u32(16)), // extended_router, IPv4 next hop
    tlv(0, 1003, // extended_gateway
      u32(2), hex('20010db80000000000000000000000fe'), // next hop IPv6
      u32(65000), u32(65001), u32(65002), // as, src_as, src_peer_as
      u32(2), u32(2), u32(2), u32(65003), u32(65004), u32(1), u32(1), u32(65005), // dst_as_path: SEQUENCE [65003 65004], SET [65005]
      u32(2), u32(0xfde80001), u32(7), // communities
      u32(100)), // localpref
    cat(u32((4413 << 12) | 17), u32(5), pad(hex('0102030405'))), // enterprise 4413 format 17, odd length 5 (padded)
    tlv(0, 1002, u32(0), u32(8), u32(32)), // extended_router with an unknown (type 0) next hop
  );
  const bytes = datagram(V4_AGENT, [sample]);

  it('decodes the datagram header and the compact flow sample', () => {
    const d = decodeDatagram(bytes);
    expect({ ...d, samples: undefined }).toEqual({ version: 5, agent: '192.0.2.1', subAgentId: 0x11, sequence: 0x22, uptime: 0x33, samples: undefined });
    expect(d.samples).toHaveLength(1);
    const s = d.samples[0]!;
    expect(s).toMatchObject({
      kind: 'flow', expanded: false, sequence: 7, sourceIdType: 0, sourceIdIndex: 42, samplingRate: 256, samplePool: 25600, drops: 3,
      input: { format: 0, value: 42 }, output: { format: 2, value: 5 },
    });
  });

  it('decodes every flow record', () => {
    const s = decodeDatagram(bytes).samples[0]!;
    if (s.kind !== 'flow') throw new Error('not a flow sample');
    const [raw, eth, v4, v6, sw, router, gateway, unknown, router0] = s.records;
    expect(raw).toMatchObject({ type: 'raw_header', headerProtocol: 1, frameLength: 1518, stripped: 4 });
    if (raw?.type !== 'raw_header' || raw.packet === null) throw new Error('raw header not decoded');
    expect([...raw.header]).toEqual(FRAME);
    expect(raw.packet.layers.map((l) => l.type)).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(raw.packet.layers[1]).toMatchObject({ src: '198.51.100.7', dst: '203.0.113.9', protocol: 6 });
    expect(raw.packet.layers[2]).toMatchObject({ srcPort: 40000, dstPort: 443, flags: 0x02 });
    expect(eth).toEqual({ type: 'sampled_ethernet', length: 1500, srcMac: '00:00:5e:00:53:01', dstMac: '00:00:5e:00:53:02', ethType: 0x0800 });
    expect(v4).toEqual({ type: 'sampled_ipv4', length: 1400, protocol: 6, srcIp: '198.51.100.7', dstIp: '203.0.113.9', srcPort: 40000, dstPort: 443, tcpFlags: 0x12, tos: 0xb8 });
    expect(v6).toEqual({ type: 'sampled_ipv6', length: 1280, protocol: 17, srcIp: '2001:db8::1', dstIp: 'fe80::2', srcPort: 53, dstPort: 5353, tcpFlags: 0, priority: 6 });
    expect(sw).toEqual({ type: 'extended_switch', srcVlan: 10, srcPriority: 1, dstVlan: 20, dstPriority: 2 });
    expect(router).toEqual({ type: 'extended_router', nextHop: '192.0.2.2', srcMaskLen: 24, dstMaskLen: 16 });
    expect(gateway).toEqual({
      type: 'extended_gateway', nextHop: '2001:db8::fe', as: 65000, srcAs: 65001, srcPeerAs: 65002,
      dstAsPath: [{ type: 2, asns: [65003, 65004] }, { type: 1, asns: [65005] }], communities: [0xfde80001, 7], localPref: 100,
    });
    expect(unknown).toEqual({ type: 'unknown', enterprise: 4413, format: 17, data: Uint8Array.from([1, 2, 3, 4, 5]) });
    expect(router0).toEqual({ type: 'extended_router', nextHop: '', srcMaskLen: 8, dstMaskLen: 32 });
  });

  it('leaves raw headers undecoded when asked', () => {
    const s = decodeDatagram(bytes, { decodeHeaders: false }).samples[0]!;
    expect(s.kind === 'flow' && s.records[0]?.type === 'raw_header' && s.records[0].packet).toBe(null);
  });

  it('walks the same sample into the flow view, with the header summarized', () => {
    const { flows, walker, status } = walkOne(bytes);
    expect(status).toBe(WalkStatus.OK);
    expect(flows).toHaveLength(1);
    const f = flows[0]!;
    expect(f).toMatchObject({
      expanded: false, sequence: 7, sourceIdType: 0, sourceIdIndex: 42, samplingRate: 256, samplePool: 25600, drops: 3,
      inputFormat: 0, input: 42, outputFormat: 2, output: 5, recordCount: 9, unknownRecords: 1,
      hasHeader: true, headerProtocol: 1, frameLength: 1518, stripped: 4, headerLength: FRAME.length, summarized: true,
      hasSwitch: true, srcVlan: 10, srcPriority: 1, dstVlan: 20, dstPriority: 2,
      sampledIpVersion: 4, sampledLength: 1400, sampledProtocol: 6, sampledSrcPort: 40000, sampledDstPort: 443, sampledTcpFlags: 0x12, sampledTos: 0xb8,
    });
    expect([...bytes.subarray(f.headerOffset, f.headerOffset + f.headerLength)]).toEqual(FRAME);
    expect([...f.sampledSrc.subarray(0, 4)]).toEqual([198, 51, 100, 7]);
    expect(f.summary).toMatchObject({ ipVersion: 4, srcV4: 0xc6336407, dstV4: 0xcb007109, ipProto: 6, srcPort: 40000, dstPort: 443, tcpFlags: 0x02 });
    expect(viewDiffs(bytes)).toEqual([]);
    expect(f.sampledEthernetOffset).toBeGreaterThan(0);
    expect(f.extendedRouterOffset).toBeGreaterThan(0);
    expect(f.extendedGatewayOffset).toBeGreaterThan(0);
    expect(walker.stats).toMatchObject({ datagrams: 1, ok: 1, samples: 1, flowSamples: 1, unknownFlowRecords: 1 });
  });

  it('decodes an expanded flow sample (32-bit source index and interface formats) with an IPv6 agent', () => {
    const expanded = tlv(0, 3,
      u32(8), // sequence
      u32(3), u32(0x01234567), // source_id_type, source_id_index
      u32(1000), u32(2000), u32(0), // rate, pool, drops
      u32(0), u32(0x40000001), // input: format 0, ifIndex beyond 30 bits
      u32(1), u32(258), // output: discarded, reason 258
      u32(1), tlv(0, 1, u32(11), u32(40), u32(0), u32(20), hex('45000014000040004006000001020304050607 08')), // raw IPv4 header
    );
    const v6 = datagram(cat(u32(2), hex('20010db8000000000000000000000099')), [expanded]);
    const d = decodeDatagram(v6);
    expect(d.agent).toBe('2001:db8::99');
    expect(d.samples[0]).toMatchObject({
      kind: 'flow', expanded: true, sequence: 8, sourceIdType: 3, sourceIdIndex: 0x01234567, samplingRate: 1000, samplePool: 2000, drops: 0,
      input: { format: 0, value: 0x40000001 }, output: { format: 1, value: 258 },
    });
    const raw = d.samples[0]!.kind === 'flow' ? d.samples[0]!.records[0] : undefined;
    expect(raw?.type === 'raw_header' && raw.packet?.layers[0]).toMatchObject({ type: 'ipv4', src: '1.2.3.4', dst: '5.6.7.8' });
    const { flows, status } = walkOne(v6);
    expect(status).toBe(WalkStatus.OK);
    expect(flows[0]).toMatchObject({ expanded: true, sourceIdType: 3, sourceIdIndex: 0x01234567, inputFormat: 0, input: 0x40000001, outputFormat: 1, output: 258, summarized: true });
    expect(flows[0]!.summary).toMatchObject({ ipVersion: 4, srcV4: 0x01020304, dstV4: 0x05060708, ipProto: 6 });
  });
});

// ---- counter records -----------------------------------------------------------------------------------

/** Field i of a record gets 1000 + i (u32) or i << 32 | 2000 + i (u64): every field distinct, high words used. */
const A = (i: number): number => 1000 + i;
const B = (i: number): bigint => (BigInt(i + 1) << 32n) | BigInt(2000 + i);

const GENERIC = tlv(0, 1,
  u32(A(0)), u32(A(1)), u64(B(2)), u32(A(3)), u32(A(4)), // ifIndex, ifType, ifSpeed, ifDirection, ifStatus
  u64(B(5)), u32(A(6)), u32(A(7)), u32(A(8)), u32(A(9)), u32(A(10)), u32(A(11)), // ifInOctets, Ucast, Multicast, Broadcast, Discards, Errors, UnknownProtos
  u64(B(12)), u32(A(13)), u32(A(14)), u32(A(15)), u32(A(16)), u32(A(17)), u32(A(18)), // ifOutOctets, Ucast, Multicast, Broadcast, Discards, Errors, PromiscuousMode
);
const ETHERNET = tlv(0, 2, ...Array.from({ length: 13 }, (_, i) => u32(A(i))));
const VLAN = tlv(0, 5, u32(A(0)), u64(B(1)), u32(A(2)), u32(A(3)), u32(A(4)), u32(A(5)));
const PROCESSOR = tlv(0, 1001, u32(A(0)), u32(A(1)), u32(A(2)), u64(B(3)), u64(B(4)));
const OF_PORT = tlv(0, 1004, u64(0x0000c2e604b3404cn), u32(65534));
const PORT_NAME = tlv(0, 1005, str('br-int'));
const HOST_DESCR = tlv(0, 2000, str('hv-01.lab'), hex('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), u32(3), u32(2), str('6.1.0-amd64'));
const HOST_ADAPTERS = tlv(0, 2001, u32(2), u32(7), u32(2), pad(hex('525400000001')), pad(hex('525400000002')), u32(0), u32(1), pad(hex('02000000000a')));
const HOST_PARENT = tlv(0, 2002, u32(2), u32(1));
const HOST_CPU_68 = tlv(0, 2003, f32(0.5), f32(1.25), f32(2), ...Array.from({ length: 14 }, (_, i) => u32(A(3 + i))));
const HOST_CPU_80 = tlv(0, 2003, f32(0.5), f32(1.25), f32(2), ...Array.from({ length: 17 }, (_, i) => u32(A(3 + i))));
const HOST_MEMORY = tlv(0, 2004, ...Array.from({ length: 7 }, (_, i) => u64(B(i))), u32(A(7)), u32(A(8)), u32(A(9)), u32(A(10)));
const HOST_DISK = tlv(0, 2005, u64(B(0)), u64(B(1)), u32(A(2)), u32(A(3)), u64(B(4)), u32(A(5)), u32(A(6)), u64(B(7)), u32(A(8)));
const NET_IO = (format: number): number[] => tlv(0, format, u64(B(0)), u32(A(1)), u32(A(2)), u32(A(3)), u64(B(4)), u32(A(5)), u32(A(6)), u32(A(7)));
const VIRT_NODE = tlv(0, 2100, u32(A(0)), u32(A(1)), u64(B(2)), u64(B(3)), u32(A(4)));
const VIRT_CPU = tlv(0, 2101, u32(1), u32(A(1)), u32(A(2)));
const VIRT_MEMORY = tlv(0, 2102, u64(B(0)), u64(B(1)));
const VIRT_DISK = tlv(0, 2103, u64(B(0)), u64(B(1)), u64(B(2)), u32(A(3)), u64(B(4)), u32(A(5)), u64(B(6)), u32(A(7)));
const UNKNOWN_COUNTER = tlv(8800, 3, u32(1), u32(2));

const counters = (expanded: boolean, records: number[][], sourceType = 0, sourceIndex = 42): number[] =>
  expanded
    ? tlv(0, 4, u32(5), u32(sourceType), u32(sourceIndex), u32(records.length), ...records)
    : tlv(0, 2, u32(5), u32(((sourceType << 24) | sourceIndex) >>> 0), u32(records.length), ...records);

describe('counter samples and counter records', () => {
  const ifSample = counters(false, [GENERIC, ETHERNET, VLAN, PROCESSOR, OF_PORT, PORT_NAME, UNKNOWN_COUNTER]);
  const hostSample = counters(true, [HOST_DESCR, HOST_ADAPTERS, HOST_CPU_80, HOST_MEMORY, HOST_DISK, NET_IO(2006), VIRT_NODE], 2, 1);
  const vmSample = counters(true, [HOST_DESCR, HOST_PARENT, HOST_CPU_68, VIRT_CPU, VIRT_MEMORY, VIRT_DISK, NET_IO(2104)], 3, 0x10000);
  const bytes = datagram(V4_AGENT, [ifSample, hostSample, vmSample]);
  let d: SflowDatagram;
  beforeAll(() => {
    d = decodeDatagram(bytes);
  });
  const rec = (sample: number, type: string): Record<string, unknown> => {
    const s = d.samples[sample]!;
    if (s.kind !== 'counters') throw new Error('not counters');
    const r = s.records.find((x) => x.type === type);
    if (!r) throw new Error(`no ${type}`);
    return r as unknown as Record<string, unknown>;
  };

  it('decodes compact and expanded sample headers', () => {
    expect(d.samples.map((s) => (s.kind === 'counters' ? [s.expanded, s.sequence, s.sourceIdType, s.sourceIdIndex, s.records.length] : null))).toEqual([
      [false, 5, 0, 42, 7],
      [true, 5, 2, 1, 7],
      [true, 5, 3, 0x10000, 7],
    ]);
  });

  it('decodes generic interface, Ethernet, VLAN and processor counters', () => {
    expect(rec(0, 'generic_interface')).toEqual({
      type: 'generic_interface', ifIndex: A(0), ifType: A(1), ifSpeed: B(2), ifDirection: A(3), ifStatus: A(4),
      ifInOctets: B(5), ifInUcastPkts: A(6), ifInMulticastPkts: A(7), ifInBroadcastPkts: A(8), ifInDiscards: A(9), ifInErrors: A(10), ifInUnknownProtos: A(11),
      ifOutOctets: B(12), ifOutUcastPkts: A(13), ifOutMulticastPkts: A(14), ifOutBroadcastPkts: A(15), ifOutDiscards: A(16), ifOutErrors: A(17), ifPromiscuousMode: A(18),
    });
    const names = ['AlignmentErrors', 'FCSErrors', 'SingleCollisionFrames', 'MultipleCollisionFrames', 'SQETestErrors', 'DeferredTransmissions', 'LateCollisions',
      'ExcessiveCollisions', 'InternalMacTransmitErrors', 'CarrierSenseErrors', 'FrameTooLongs', 'InternalMacReceiveErrors', 'SymbolErrors'];
    expect(rec(0, 'ethernet')).toEqual({ type: 'ethernet', ...Object.fromEntries(names.map((n, i) => [`dot3Stats${n}`, A(i)])) });
    expect(rec(0, 'vlan')).toEqual({ type: 'vlan', vlanId: A(0), octets: B(1), ucastPkts: A(2), multicastPkts: A(3), broadcastPkts: A(4), discards: A(5) });
    expect(rec(0, 'processor')).toEqual({ type: 'processor', cpu5s: A(0), cpu1m: A(1), cpu5m: A(2), totalMemory: B(3), freeMemory: B(4) });
  });

  it("decodes Open vSwitch's OpenFlow port and port name, and keeps an unknown record", () => {
    expect(rec(0, 'openflow_port')).toEqual({ type: 'openflow_port', datapathId: 0x0000c2e604b3404cn, portNo: 65534 });
    expect(rec(0, 'port_name')).toEqual({ type: 'port_name', name: 'br-int' });
    expect(rec(0, 'unknown')).toEqual({ type: 'unknown', enterprise: 8800, format: 3, data: Uint8Array.from(cat(u32(1), u32(2))) });
  });

  it('decodes the host records (a hypervisor)', () => {
    expect(rec(1, 'host_description')).toEqual({
      type: 'host_description', hostname: 'hv-01.lab', uuid: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', machineType: 3, osName: 2, osRelease: '6.1.0-amd64',
    });
    expect(rec(1, 'host_adapters')).toEqual({
      type: 'host_adapters',
      adapters: [{ ifIndex: 7, macs: ['52:54:00:00:00:01', '52:54:00:00:00:02'] }, { ifIndex: 0, macs: ['02:00:00:00:00:0a'] }],
    });
    const cpuFields = ['procRun', 'procTotal', 'cpuNum', 'cpuSpeed', 'uptime', 'cpuUser', 'cpuNice', 'cpuSystem', 'cpuIdle', 'cpuWio', 'cpuIntr', 'cpuSintr', 'interrupts', 'contexts'];
    const cpu68 = { type: 'host_cpu', loadOne: 0.5, loadFive: 1.25, loadFifteen: 2, ...Object.fromEntries(cpuFields.map((n, i) => [n, A(3 + i)])) };
    expect(rec(1, 'host_cpu')).toEqual({ ...cpu68, cpuSteal: A(17), cpuGuest: A(18), cpuGuestNice: A(19) });
    expect(rec(2, 'host_cpu')).toEqual(cpu68);
    expect(rec(1, 'host_memory')).toEqual({
      type: 'host_memory', memTotal: B(0), memFree: B(1), memShared: B(2), memBuffers: B(3), memCached: B(4), swapTotal: B(5), swapFree: B(6),
      pageIn: A(7), pageOut: A(8), swapIn: A(9), swapOut: A(10),
    });
    expect(rec(1, 'host_disk_io')).toEqual({
      type: 'host_disk_io', diskTotal: B(0), diskFree: B(1), partMaxUsed: A(2), reads: A(3), bytesRead: B(4), readTime: A(5), writes: A(6), bytesWritten: B(7), writeTime: A(8),
    });
    const netio = { bytesIn: B(0), pktsIn: A(1), errsIn: A(2), dropsIn: A(3), bytesOut: B(4), pktsOut: A(5), errsOut: A(6), dropsOut: A(7) };
    expect(rec(1, 'host_net_io')).toEqual({ type: 'host_net_io', ...netio });
    expect(rec(1, 'virt_node')).toEqual({ type: 'virt_node', mhz: A(0), cpus: A(1), memory: B(2), memoryFree: B(3), numDomains: A(4) });
    expect(rec(2, 'virt_net_io')).toEqual({ type: 'virt_net_io', ...netio });
  });

  it('decodes the virtual-machine records (a VM with its hypervisor as parent)', () => {
    expect(rec(2, 'host_parent')).toEqual({ type: 'host_parent', containerType: 2, containerIndex: 1 });
    expect(rec(2, 'virt_cpu')).toEqual({ type: 'virt_cpu', state: 1, cpuTime: A(1), nrVirtCpu: A(2) });
    expect(rec(2, 'virt_memory')).toEqual({ type: 'virt_memory', memory: B(0), maxMemory: B(1) });
    expect(rec(2, 'virt_disk_io')).toEqual({
      type: 'virt_disk_io', capacity: B(0), allocation: B(1), available: B(2), rdReq: A(3), rdBytes: B(4), wrReq: A(5), wrBytes: B(6), errs: A(7),
    });
  });

  it('walks the same values into the counter views', () => {
    const { counters: views, walker, status } = walkOne(bytes);
    expect(status).toBe(WalkStatus.OK);
    expect(views).toHaveLength(3);
    const [ifv, hv, vm] = views as [CounterSampleView, CounterSampleView, CounterSampleView];
    const n = (x: bigint): number => Number(x);
    expect(ifv.has(CounterBit.GENERIC_INTERFACE) && ifv.has(CounterBit.ETHERNET) && ifv.has(CounterBit.VLAN) && ifv.has(CounterBit.PROCESSOR)).toBe(true);
    expect(ifv.iface).toMatchObject({ ifIndex: A(0), ifSpeed: n(B(2)), ifInOctets: n(B(5)), ifInUnknownProtos: A(11), ifOutOctets: n(B(12)), ifPromiscuousMode: A(18) });
    expect(ifv.ethernet).toMatchObject({ dot3StatsAlignmentErrors: A(0), dot3StatsSymbolErrors: A(12) });
    expect(ifv.vlan).toEqual({ vlanId: A(0), octets: n(B(1)), ucastPkts: A(2), multicastPkts: A(3), broadcastPkts: A(4), discards: A(5) });
    expect(ifv.processor).toEqual({ cpu5s: A(0), cpu1m: A(1), cpu5m: A(2), totalMemory: n(B(3)), freeMemory: n(B(4)) });
    expect(ifv.openflowPort).toEqual({ datapathIdHi: 0x0000c2e6, datapathIdLo: 0x04b3404c, portNo: 65534 });
    expect(Buffer.from(bytes.subarray(ifv.portNameOffset, ifv.portNameOffset + ifv.portNameLength)).toString()).toBe('br-int');
    expect(ifv.unknownRecords).toBe(1);

    const hd = hv.hostDescription;
    expect(Buffer.from(bytes.subarray(hd.hostnameOffset, hd.hostnameOffset + hd.hostnameLength)).toString()).toBe('hv-01.lab');
    expect(Buffer.from(bytes.subarray(hd.uuidOffset, hd.uuidOffset + 16)).toString('hex')).toBe('6ba7b8109dad11d180b400c04fd430c8');
    expect(Buffer.from(bytes.subarray(hd.osReleaseOffset, hd.osReleaseOffset + hd.osReleaseLength)).toString()).toBe('6.1.0-amd64');
    expect([hd.machineType, hd.osName]).toEqual([3, 2]);
    expect(hv.hostAdapterCount).toBe(2);
    expect(hv.hostCpu).toMatchObject({ loadOne: 0.5, loadFive: 1.25, loadFifteen: 2, procRun: A(3), contexts: A(16), hasExtension: true, cpuSteal: A(17), cpuGuestNice: A(19) });
    expect(hv.hostMemory).toMatchObject({ memTotal: n(B(0)), swapFree: n(B(6)), pageIn: A(7), swapOut: A(10) });
    expect(hv.hostDiskIo).toEqual({ diskTotal: n(B(0)), diskFree: n(B(1)), partMaxUsed: A(2), reads: A(3), bytesRead: n(B(4)), readTime: A(5), writes: A(6), bytesWritten: n(B(7)), writeTime: A(8) });
    const netio = { bytesIn: n(B(0)), pktsIn: A(1), errsIn: A(2), dropsIn: A(3), bytesOut: n(B(4)), pktsOut: A(5), errsOut: A(6), dropsOut: A(7) };
    expect(hv.hostNetIo).toEqual(netio);
    expect(hv.virtNode).toEqual({ mhz: A(0), cpus: A(1), memory: n(B(2)), memoryFree: n(B(3)), numDomains: A(4) });

    expect(vm.hostParent).toEqual({ containerType: 2, containerIndex: 1 });
    expect(vm.hostCpu).toMatchObject({ hasExtension: false, cpuSteal: 0, contexts: A(16) });
    expect(vm.virtCpu).toEqual({ state: 1, cpuTime: A(1), nrVirtCpu: A(2) });
    expect(vm.virtMemory).toEqual({ memory: n(B(0)), maxMemory: n(B(1)) });
    expect(vm.virtDiskIo).toEqual({ capacity: n(B(0)), allocation: n(B(1)), available: n(B(2)), rdReq: A(3), rdBytes: n(B(4)), wrReq: A(5), wrBytes: n(B(6)), errs: A(7) });
    expect(vm.virtNetIo).toEqual(netio);
    for (const bit of [CounterBit.HOST_PARENT, CounterBit.HOST_CPU, CounterBit.VIRT_CPU, CounterBit.VIRT_MEMORY, CounterBit.VIRT_DISK_IO, CounterBit.VIRT_NET_IO, CounterBit.HOST_DESCRIPTION]) {
      expect(vm.has(bit)).toBe(true);
    }
    expect(vm.has(CounterBit.GENERIC_INTERFACE)).toBe(false);
    expect(walker.stats).toMatchObject({ samples: 3, counterSamples: 3, unknownCounterRecords: 1 });
    expect(viewDiffs(bytes)).toEqual([]);
  });
});

describe('unknown samples', () => {
  it('are kept by the decoder and skipped by the walker, counted', () => {
    const vendor = cat(u32((4300 << 12) | 9), u32(6), pad(hex('aabbccddeeff')));
    const flow = tlv(0, 1, u32(1), u32(1), u32(1), u32(1), u32(0), u32(1), u32(2), u32(0));
    const bytes = datagram(V4_AGENT, [vendor, flow, tlv(0, 7, u32(9))]);
    const d = decodeDatagram(bytes);
    expect(d.samples.map((s) => s.kind)).toEqual(['unknown', 'flow', 'unknown']);
    expect(d.samples[0]).toEqual({ kind: 'unknown', enterprise: 4300, format: 9, data: Uint8Array.from(hex('aabbccddeeff')) });
    expect(d.samples[2]).toEqual({ kind: 'unknown', enterprise: 0, format: 7, data: Uint8Array.from(u32(9)) });
    const { flows, walker, status } = walkOne(bytes);
    expect(status).toBe(WalkStatus.OK);
    expect(flows).toHaveLength(1);
    expect(walker.stats).toMatchObject({ samples: 1, unknownSamples: 2 });
  });
});
