/**
 * Structures Open vSwitch does not send, built by the test encoder and read back by tshark: expanded
 * samples, every flow record (sampled Ethernet/IPv4/IPv6, extended switch/router/gateway, raw headers of
 * Ethernet/IPv4/IPv6), VLAN and processor counters, an IPv6 agent. tshark 4.0 does not decode the host
 * and virtual-machine records (2000-2104); for those it must at least read the same format and length,
 * each sent as the last record of its sample (tshark does not skip a record it does not know).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDatagram, type CounterRecord, type SflowDatagram } from '../../src/codec/sflow/index.js';
import { encodeDatagram, udpPcap } from '../support/sflow-encode.js';
import { Comparison, tsharkAvailable, tsharkSflow } from '../support/tshark-sflow.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const TCP_FRAME = hex('00005e005302 00005e005301 8100 2064 0800 45000028abcd40004006 0000 c6336407cb007109 9c4001bb0000000100000000 5002ffff00000000');
const IPV4_PACKET = hex('4500001c0001000040110000 0a000001 0a000002 14e914e9 0008 0000');
const IPV6_PACKET = hex('6000000000083a40 20010db8000000000000000000000001 20010db8000000000000000000000002 8000 0000 1234 0001');

const flowDatagram: SflowDatagram = {
  version: 5,
  agent: '2001:db8::1',
  subAgentId: 7,
  sequence: 99,
  uptime: 123456,
  samples: [
    {
      kind: 'flow', expanded: true, sequence: 5, sourceIdType: 0, sourceIdIndex: 70000, samplingRate: 512, samplePool: 9999, drops: 3,
      input: { format: 0, value: 70001 }, output: { format: 2, value: 5 },
      records: [
        { type: 'raw_header', headerProtocol: 1, frameLength: 1522, stripped: 4, header: TCP_FRAME, packet: null },
        { type: 'sampled_ethernet', length: 1518, srcMac: '00:11:22:33:44:55', dstMac: '66:77:88:99:aa:bb', ethType: 0x86dd },
        { type: 'sampled_ipv4', length: 1500, protocol: 6, srcIp: '10.1.2.3', dstIp: '10.4.5.6', srcPort: 12345, dstPort: 443, tcpFlags: 0x12, tos: 0xb8 },
        { type: 'sampled_ipv6', length: 1280, protocol: 17, srcIp: '2001:db8::a', dstIp: 'fe80::1', srcPort: 53, dstPort: 5353, tcpFlags: 0, priority: 3 },
        { type: 'extended_router', nextHop: '192.0.2.1', srcMaskLen: 24, dstMaskLen: 16 },
        { type: 'extended_gateway', nextHop: '2001:db8::fe', as: 65000, srcAs: 65001, srcPeerAs: 65002, dstAsPath: [{ type: 2, asns: [65003, 65004] }, { type: 1, asns: [65005] }], communities: [0xfde80001, 7], localPref: 100 },
        { type: 'extended_switch', srcVlan: 100, srcPriority: 1, dstVlan: 200, dstPriority: 2 },
      ],
    },
    {
      kind: 'flow', expanded: false, sequence: 6, sourceIdType: 0, sourceIdIndex: 3, samplingRate: 64, samplePool: 640, drops: 0,
      input: { format: 0, value: 3 }, output: { format: 0, value: 0x3fffffff },
      records: [
        { type: 'raw_header', headerProtocol: 11, frameLength: 46, stripped: 0, header: IPV4_PACKET, packet: null },
        { type: 'extended_router', nextHop: '2001:db8::2', srcMaskLen: 64, dstMaskLen: 48 },
      ],
    },
    {
      kind: 'flow', expanded: false, sequence: 7, sourceIdType: 0, sourceIdIndex: 3, samplingRate: 64, samplePool: 704, drops: 1,
      input: { format: 0, value: 4 }, output: { format: 0, value: 3 },
      records: [{ type: 'raw_header', headerProtocol: 12, frameLength: 62, stripped: 0, header: IPV6_PACKET, packet: null }],
    },
  ],
};

const A = (i: number): number => 1000 + i;
const B = (i: number): bigint => (BigInt(i + 1) << 32n) | BigInt(2000 + i);
const counterDatagram: SflowDatagram = {
  version: 5,
  agent: '192.0.2.10',
  subAgentId: 0,
  sequence: 100,
  uptime: 5000,
  samples: [
    {
      kind: 'counters', expanded: false, sequence: 8, sourceIdType: 0, sourceIdIndex: 3,
      records: [
        {
          type: 'generic_interface', ifIndex: 3, ifType: 6, ifSpeed: 10_000_000_000n, ifDirection: 1, ifStatus: 3, ifInOctets: B(5), ifInUcastPkts: A(6),
          ifInMulticastPkts: A(7), ifInBroadcastPkts: A(8), ifInDiscards: A(9), ifInErrors: A(10), ifInUnknownProtos: A(11), ifOutOctets: B(12),
          ifOutUcastPkts: A(13), ifOutMulticastPkts: A(14), ifOutBroadcastPkts: A(15), ifOutDiscards: A(16), ifOutErrors: A(17), ifPromiscuousMode: 1,
        },
        {
          type: 'ethernet', dot3StatsAlignmentErrors: A(0), dot3StatsFCSErrors: A(1), dot3StatsSingleCollisionFrames: A(2), dot3StatsMultipleCollisionFrames: A(3),
          dot3StatsSQETestErrors: A(4), dot3StatsDeferredTransmissions: A(5), dot3StatsLateCollisions: A(6), dot3StatsExcessiveCollisions: A(7),
          dot3StatsInternalMacTransmitErrors: A(8), dot3StatsCarrierSenseErrors: A(9), dot3StatsFrameTooLongs: A(10), dot3StatsInternalMacReceiveErrors: A(11),
          dot3StatsSymbolErrors: A(12),
        },
        { type: 'vlan', vlanId: 42, octets: B(1), ucastPkts: A(2), multicastPkts: A(3), broadcastPkts: A(4), discards: A(5) },
        { type: 'processor', cpu5s: 1234, cpu1m: 2345, cpu5m: 3456, totalMemory: B(3), freeMemory: B(4) },
      ],
    },
  ],
};

const HOST_RECORDS: CounterRecord[] = [
  { type: 'host_description', hostname: 'vm-7', uuid: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', machineType: 3, osName: 2, osRelease: '6.1.0' },
  { type: 'host_adapters', adapters: [{ ifIndex: 7, macs: ['52:54:00:00:00:01'] }] },
  { type: 'host_parent', containerType: 2, containerIndex: 1 },
  {
    type: 'host_cpu', loadOne: 0.5, loadFive: 0.25, loadFifteen: 0.125, procRun: 1, procTotal: 200, cpuNum: 2, cpuSpeed: 2400, uptime: 3600, cpuUser: 1, cpuNice: 2,
    cpuSystem: 3, cpuIdle: 4, cpuWio: 5, cpuIntr: 6, cpuSintr: 7, interrupts: 8, contexts: 9, cpuSteal: 10, cpuGuest: 11, cpuGuestNice: 12,
  },
  { type: 'host_memory', memTotal: B(0), memFree: B(1), memShared: B(2), memBuffers: B(3), memCached: B(4), swapTotal: B(5), swapFree: B(6), pageIn: 1, pageOut: 2, swapIn: 3, swapOut: 4 },
  { type: 'host_disk_io', diskTotal: B(0), diskFree: B(1), partMaxUsed: 5000, reads: 1, bytesRead: B(2), readTime: 2, writes: 3, bytesWritten: B(3), writeTime: 4 },
  { type: 'host_net_io', bytesIn: B(0), pktsIn: 1, errsIn: 2, dropsIn: 3, bytesOut: B(1), pktsOut: 4, errsOut: 5, dropsOut: 6 },
  { type: 'virt_node', mhz: 2400, cpus: 8, memory: B(0), memoryFree: B(1), numDomains: 3 },
  { type: 'virt_cpu', state: 1, cpuTime: 5000, nrVirtCpu: 2 },
  { type: 'virt_memory', memory: B(0), maxMemory: B(1) },
  { type: 'virt_disk_io', capacity: B(0), allocation: B(1), available: B(2), rdReq: 1, rdBytes: B(3), wrReq: 2, wrBytes: B(4), errs: 0 },
  { type: 'virt_net_io', bytesIn: B(0), pktsIn: 1, errsIn: 2, dropsIn: 3, bytesOut: B(1), pktsOut: 4, errsOut: 5, dropsOut: 6 },
];
const hostDatagrams: SflowDatagram[] = HOST_RECORDS.map((r, i) => ({
  version: 5,
  agent: '192.0.2.10',
  subAgentId: 1,
  sequence: 200 + i,
  uptime: 6000,
  samples: [{ kind: 'counters', expanded: true, sequence: i, sourceIdType: 3, sourceIdIndex: 0x10000 + i, records: [r] }],
}));

describe('hand-built sFlow read back by tshark', () => {
  let dir: string;
  beforeAll(() => {
    if (!tsharkAvailable()) throw new Error('tshark is not installed (lab/install installs it)');
    dir = mkdtempSync(join(tmpdir(), 'vigil-sflow-tshark-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees with Vigil on every field tshark decodes', () => {
    const datagrams = [flowDatagram, counterDatagram, ...hostDatagrams];
    const payloads = datagrams.map((d) => encodeDatagram(d));
    const pcap = join(dir, 'hand-built.pcap');
    writeFileSync(pcap, udpPcap(payloads));
    const reading = tsharkSflow(pcap);
    expect(reading).toHaveLength(payloads.length);
    const cmp = new Comparison();
    payloads.forEach((p, i) => cmp.datagram(`datagram[${i}]`, reading[i]!, decodeDatagram(p)));
    expect(cmp.mismatches).toEqual([]);
    // Every sample, every record (the host/virtual ones by format and length), and the three raw headers.
    expect(cmp.samplesCompared).toBe(3 + 1 + HOST_RECORDS.length);
    expect(cmp.recordsCompared).toBe(7 + 2 + 1 + 4 + HOST_RECORDS.length);
    expect(cmp.headersCompared).toBe(3);
    expect(cmp.compared).toBeGreaterThan(250);
    // tshark saw the IPv6 agent, the VLAN tag and the 32-bit expanded index as Vigil did.
    expect(reading[0]!.fields.get('sflow_245.agent.v6')).toEqual(['2001:db8::1']);
    expect(reading[0]!.samples[0]!.fields.get('sflow.flow_sample.source_id_index')).toEqual(['70000']);
  });
});
