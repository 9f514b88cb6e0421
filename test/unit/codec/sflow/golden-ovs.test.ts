/**
 * Golden datagrams from a real peer: sFlow that Open vSwitch 3.1 sent (test/fixtures/sflow, made by
 * test/integration/sflow-ovs.test.ts), replayed against what tshark and OVS said about them when they were
 * captured. The walker must agree with decodeDatagram on every sample; datagrams survive a round trip
 * through the test encoder.
 */
import { readFileSync } from 'node:fs';
import { udpPayload } from '../../../../src/cli/sflow.js';
import { readCapture } from '../../../../src/codec/pcap/index.js';
import { AddressOf } from '../../../../src/codec/packet/index.js';
import { ipv4ToString } from '../../../../src/codec/addr.js';
import {
  decodeDatagram,
  SflowWalker,
  WalkStatus,
  type CounterSample,
  type CounterSampleView,
  type FlowSample,
  type FlowSampleView,
} from '../../../../src/codec/sflow/index.js';
import { encodeDatagram } from '../../../support/sflow-encode.js';
import { Comparison, loadTshark, reframeSamples, type StoredDatagram } from '../../../support/tshark-sflow.js';
import { counterViewDiffs, flowViewDiffs } from './view-match.js';

const FIX = new URL('../../../fixtures/sflow/', import.meta.url).pathname;
const ovs = JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as {
  ports: { v4: number; v6: number };
  bridge: { datapathId: string };
  interfaces: { name: string; ifindex: number; ofport: number }[];
  counterChecks: { port: string; datagram: number; sample: number; dumpPorts: Record<string, number> }[];
};
const stored = JSON.parse(readFileSync(FIX + 'ovs-capture.tshark.json', 'utf8')) as { datagrams: StoredDatagram[]; reframed: StoredDatagram[] };

const payloads: Uint8Array[] = [];
for (const pkt of readCapture(new Uint8Array(readFileSync(FIX + 'ovs-capture.pcapng')))) {
  for (const port of [ovs.ports.v4, ovs.ports.v6]) {
    const u = udpPayload(pkt, port);
    if (u instanceof Uint8Array) payloads.push(u);
  }
}
const decoded = payloads.map((p) => decodeDatagram(p));
const samples = decoded.flatMap((d) => d.samples);

describe('sFlow captured from Open vSwitch 3.1', () => {
  it('holds flow and counter samples over IPv4 and IPv6 agents', () => {
    expect(payloads.length).toBe(stored.datagrams.length);
    expect(samples.filter((s) => s.kind === 'flow').length).toBeGreaterThanOrEqual(10);
    expect(samples.filter((s) => s.kind === 'counters').length).toBeGreaterThanOrEqual(6);
    expect(new Set(decoded.map((d) => d.agent))).toEqual(new Set(['127.0.0.1', '::1']));
  });

  it('decodes every field as tshark read it at capture time (whole datagrams and each sample re-framed)', () => {
    const cmp = new Comparison();
    const tOriginal = loadTshark(stored.datagrams);
    decoded.forEach((d, i) => cmp.datagram(`datagram[${i}]`, tOriginal[i]!, d));
    const reframed = payloads.flatMap((p) => reframeSamples(p));
    const tReframed = loadTshark(stored.reframed);
    expect(tReframed).toHaveLength(reframed.length);
    reframed.forEach((p, i) => cmp.datagram(`reframed[${i}]`, tReframed[i]!, decodeDatagram(p)));
    expect(cmp.mismatches).toEqual([]);
    expect(cmp.samplesCompared).toBeGreaterThanOrEqual(samples.length + payloads.length);
    expect(cmp.headersCompared).toBe(samples.filter((s) => s.kind === 'flow').length);
    expect(cmp.compared).toBeGreaterThan(1000);
  });

  it('carries OVS port facts and, when the port was still, exactly the counters ovs-ofctl dump-ports showed', () => {
    const dpid = BigInt('0x' + ovs.bridge.datapathId);
    for (const port of ovs.interfaces) {
      const mine = samples.filter((s): s is CounterSample => s.kind === 'counters' && s.sourceIdIndex === port.ifindex);
      expect(mine.length).toBeGreaterThan(0);
      for (const c of mine) {
        expect(c.records).toContainEqual({ type: 'port_name', name: port.name });
        expect(c.records).toContainEqual({ type: 'openflow_port', datapathId: dpid, portNo: port.ofport });
      }
    }
    expect(ovs.counterChecks).toHaveLength(2);
    for (const check of ovs.counterChecks) {
      const c = decoded[check.datagram]!.samples[check.sample] as CounterSample;
      expect(c.records.find((r) => r.type === 'generic_interface')).toMatchObject({
        ifInUcastPkts: check.dumpPorts.rxPackets,
        ifInOctets: BigInt(check.dumpPorts.rxBytes!),
        ifInDiscards: check.dumpPorts.rxDropped,
        ifInErrors: check.dumpPorts.rxErrors,
        ifOutUcastPkts: check.dumpPorts.txPackets,
        ifOutOctets: BigInt(check.dumpPorts.txBytes!),
        ifOutDiscards: check.dumpPorts.txDropped,
        ifOutErrors: check.dumpPorts.txErrors,
      });
    }
  });

  it('survives a round trip through the test encoder', () => {
    for (const d of decoded) expect(decodeDatagram(encodeDatagram(d))).toEqual(d);
  });

  it('is walked without error into views equal to the decoded objects', () => {
    const walker = new SflowWalker();
    decoded.forEach((d, i) => {
      const flows: FlowSample[] = d.samples.filter((s): s is FlowSample => s.kind === 'flow');
      const counters: CounterSample[] = d.samples.filter((s): s is CounterSample => s.kind === 'counters');
      let f = 0;
      let c = 0;
      const status = walker.walk(payloads[i]!, {
        onDatagram: (v) => {
          expect(v.agentString()).toBe(d.agent);
          expect([v.subAgentId, v.sequence, v.uptime, v.sampleCount]).toEqual([d.subAgentId, d.sequence, d.uptime, d.samples.length]);
        },
        // The payloads share the capture's buffer, so from the second one on the walker reads in place:
        // view offsets index the DatagramView's bytes.
        onFlowSample: (v, dv) => expectFlowView(v, flows[f++]!, dv.bytes),
        onCounterSample: (v, dv) => expectCounterView(v, counters[c++]!, dv.bytes),
      });
      expect(status).toBe(WalkStatus.OK);
      expect([f, c]).toEqual([flows.length, counters.length]);
    });
    expect(walker.stats).toMatchObject({
      datagrams: payloads.length,
      ok: payloads.length,
      malformed: 0,
      flowSamples: samples.filter((s) => s.kind === 'flow').length,
      counterSamples: samples.filter((s) => s.kind === 'counters').length,
    });
    // OVS's 1004/1005 are decoded; its agent-level 2203 record is not: counted and skipped.
    expect(walker.stats.unknownCounterRecords).toBe(samples.reduce((n, s) => n + (s.kind === 'counters' ? s.records.filter((r) => r.type === 'unknown').length : 0), 0));
    expect(walker.stats.unknownCounterRecords).toBeGreaterThan(0);
  });
});

function expectFlowView(v: FlowSampleView, s: FlowSample, bytes: Uint8Array): void {
  expect(flowViewDiffs(v, s, bytes)).toEqual([]);
  const h = s.records.find((r) => r.type === 'raw_header');
  if (!h || h.packet === null) throw new Error('OVS flow samples carry a raw Ethernet header');
  expect(v.summarized).toBe(true);
  // The zero-allocation summary names the same 5-tuple the full decode found (and tshark agreed with).
  const sum = v.summary;
  const eth = h.packet.layers.find((l) => l.type === 'ethernet');
  if (eth?.type === 'ethernet') expect([sum.srcMacString(), sum.dstMacString()]).toEqual([eth.src, eth.dst]);
  const ip = h.packet.layers.find((l) => l.type === 'ipv4' || l.type === 'ipv6');
  if (ip?.type === 'ipv4') {
    expect([sum.ipVersion, ipv4ToString(sum.srcV4), ipv4ToString(sum.dstV4), sum.ipProto]).toEqual([4, ip.src, ip.dst, ip.protocol]);
  } else if (ip?.type === 'ipv6') {
    expect([sum.ipVersion, sum.addressString(AddressOf.SRC), sum.addressString(AddressOf.DST), sum.ipProto]).toEqual([6, ip.src, ip.dst, ip.upperProtocol]);
  } else {
    expect(sum.ipVersion).toBe(0);
  }
  const l4 = h.packet.layers.find((l) => l.type === 'tcp' || l.type === 'udp');
  if (l4?.type === 'tcp' || l4?.type === 'udp') expect([sum.srcPort, sum.dstPort]).toEqual([l4.srcPort, l4.dstPort]);
  else expect([sum.srcPort, sum.dstPort]).toEqual([-1, -1]);
}

function expectCounterView(v: CounterSampleView, s: CounterSample, bytes: Uint8Array): void {
  expect(counterViewDiffs(v, s, bytes)).toEqual([]);
}
