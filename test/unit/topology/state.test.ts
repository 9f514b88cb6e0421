/** The topology reducer: what each event does, that earlier states never change, and the snapshot. */
import fc from 'fast-check';
import type { PortInfo, SwitchInfo, TopologyEvent } from '../../../src/topology/model.js';
import { emptyState, linksAt, portOf, reduce, reduceAll, snapshot } from '../../../src/topology/state.js';

const D1 = '0000000000000001';
const D2 = '0000000000000002';
const sw = (dpid: string, at: number): SwitchInfo => ({ dpid, name: `s${Number.parseInt(dpid, 16)}`, address: '127.0.0.1:1', nTables: 254, connected: true, firstSeen: at, lastSeen: at });
const port = (dpid: string, portNo: number, state: PortInfo['state'] = 'up'): PortInfo => ({ dpid, portNo, name: `p${portNo}`, mac: `02:00:00:00:0${dpid.slice(-1)}:0${portNo}`, state, speed: 10_000_000 });
const p = (dpid: string, portNo: number) => ({ dpid, portNo });

const base: TopologyEvent[] = [
  { type: 'switch.up', at: 10, switch: sw(D1, 10), ports: [port(D1, 1), port(D1, 2), port(D1, 3)] },
  { type: 'switch.up', at: 11, switch: sw(D2, 11), ports: [port(D2, 1), port(D2, 3)] },
  { type: 'link.up', at: 12, link: { src: p(D1, 1), dst: p(D2, 1), firstSeen: 12, lastSeen: 12, via: 'lldp' } },
  { type: 'link.up', at: 12, link: { src: p(D2, 1), dst: p(D1, 1), firstSeen: 12, lastSeen: 12, via: 'lldp' } },
  { type: 'host.seen', at: 20, host: { mac: '00:00:00:00:00:01', port: p(D1, 3), vlan: null, ips: [{ address: '10.0.0.1', version: 4, firstSeen: 20, lastSeen: 20 }], firstSeen: 19, lastSeen: 20, source: 'packet-in' } },
];

describe('reduce', () => {
  it('folds switches, ports, links and hosts; snapshot is sorted plain data', () => {
    const s = reduceAll(emptyState(), base);
    expect(s.version).toBe(base.length);
    expect(s.at).toBe(20);
    const snap = snapshot(s);
    expect(snap.switches.map((x) => [x.switch.dpid, x.ports.map((q) => q.portNo)])).toEqual([
      [D1, [1, 2, 3]],
      [D2, [1, 3]],
    ]);
    expect(snap.links.map((l) => `${l.src.dpid.slice(-1)}:${l.src.portNo}>${l.dst.dpid.slice(-1)}:${l.dst.portNo}`)).toEqual(['1:1>2:1', '2:1>1:1']);
    expect(snap.hosts).toEqual([base[4]!.type === 'host.seen' ? base[4]!.host : null]);
    expect(snap.at).toBe(20);
    expect(linksAt(s, p(D1, 1))).toHaveLength(2);
    expect(portOf(s, p(D2, 3))?.name).toBe('p3');
  });

  it('never changes an earlier state (and shares untouched parts)', () => {
    const s1 = reduceAll(emptyState(), base);
    const before = JSON.stringify(snapshot(s1));
    const s2 = reduce(s1, { type: 'link.down', at: 30, src: p(D1, 1), dst: p(D2, 1), reason: 'timeout' });
    const s3 = reduce(s2, { type: 'host.moved', at: 31, mac: '00:00:00:00:00:01', from: p(D1, 3), to: p(D2, 3), vlan: 10 });
    expect(JSON.stringify(snapshot(s1))).toBe(before);
    expect(s2.hosts).toBe(s1.hosts);
    expect(s3.links).toBe(s2.links);
    expect(s3.hosts.get('00:00:00:00:00:01')).toMatchObject({ port: p(D2, 3), vlan: 10, lastSeen: 31, firstSeen: 19 });
    expect(s2.links.size).toBe(1);
  });

  it('keeps first/last seen: switch and link firstSeen only move earlier, link.seen advances lastSeen and latency', () => {
    let s = reduceAll(emptyState(), base);
    s = reduce(s, { type: 'switch.down', at: 40, dpid: D2 });
    expect(s.switches.get(D2)!.info).toMatchObject({ connected: false, lastSeen: 40 });
    expect(s.switches.get(D2)!.ports.size).toBe(2); // ports stay with a disconnected switch
    s = reduce(s, { type: 'switch.up', at: 50, switch: sw(D2, 50), ports: [port(D2, 1)] });
    expect(s.switches.get(D2)!.info).toMatchObject({ connected: true, firstSeen: 11, lastSeen: 50 });
    expect([...s.switches.get(D2)!.ports.keys()]).toEqual([1]); // the switch's port set is replaced
    s = reduce(s, { type: 'link.seen', at: 60, src: p(D1, 1), dst: p(D2, 1), latencyMs: 0.4 });
    expect(s.links.get(`${D1}:1>${D2}:1`)).toMatchObject({ firstSeen: 12, lastSeen: 60, latencyMs: 0.4 });
    s = reduce(s, { type: 'link.up', at: 70, link: { src: p(D1, 1), dst: p(D2, 1), firstSeen: 70, lastSeen: 70, via: 'lldp' } });
    expect(s.links.get(`${D1}:1>${D2}:1`)!.firstSeen).toBe(12);
    // Events about unknown things change nothing but the version.
    const v = s.version;
    const t = reduce(s, { type: 'link.seen', at: 80, src: p(D1, 9), dst: p(D2, 9) });
    expect(t.links).toBe(s.links);
    expect(t.version).toBe(v + 1);
    expect(reduce(s, { type: 'port.up', at: 80, port: port('00000000000000ff', 1) }).switches).toBe(s.switches);
  });

  it('ports: up/down replace the port, deleted removes it with its segments', () => {
    let s = reduceAll(emptyState(), base);
    s = reduce(s, { type: 'port.down', at: 30, port: port(D1, 2, 'down') });
    expect(portOf(s, p(D1, 2))?.state).toBe('down');
    s = reduce(s, { type: 'port.segments', at: 31, port: p(D1, 2), segments: [{ kind: 'vlan', id: 10 }] });
    expect(s.portSegments.get(`${D1}:2`)?.segments).toEqual([{ kind: 'vlan', id: 10 }]);
    s = reduce(s, { type: 'port.deleted', at: 32, port: p(D1, 2) });
    expect(portOf(s, p(D1, 2))).toBeUndefined();
    expect(s.portSegments.size).toBe(0);
    s = reduce(s, { type: 'port.segments', at: 33, port: p(D1, 3), segments: [{ kind: 'vni', id: 5001 }] });
    s = reduce(s, { type: 'port.segments', at: 34, port: p(D1, 3), segments: [] });
    expect(s.portSegments.size).toBe(0);
  });

  it('hosts: addresses merge with first/last seen, host.gone forgets the host', () => {
    let s = reduceAll(emptyState(), base);
    s = reduce(s, { type: 'host.ip', at: 40, mac: '00:00:00:00:00:01', ip: { address: 'fe80::1', version: 6 } });
    s = reduce(s, { type: 'host.seen', at: 50, host: { mac: '00:00:00:00:00:01', port: p(D1, 3), vlan: null, ips: [{ address: '10.0.0.1', version: 4, firstSeen: 45, lastSeen: 50 }], firstSeen: 45, lastSeen: 50, source: 'sflow' } });
    const h = s.hosts.get('00:00:00:00:00:01')!;
    expect(h.ips).toEqual([
      { address: '10.0.0.1', version: 4, firstSeen: 20, lastSeen: 50 },
      { address: 'fe80::1', version: 6, firstSeen: 40, lastSeen: 40 },
    ]);
    expect(h).toMatchObject({ firstSeen: 19, lastSeen: 50, source: 'sflow' });
    s = reduce(s, { type: 'host.gone', at: 60, mac: '00:00:00:00:00:01', reason: 'evicted' });
    expect(s.hosts.size).toBe(0);
    expect(reduce(s, { type: 'host.ip', at: 61, mac: '00:00:00:00:00:01', ip: { address: '10.0.0.9', version: 4 } }).hosts.size).toBe(0);
  });

  it('VMs and segments', () => {
    let s = emptyState();
    const vm = { uuid: 'vm-a', name: 'web', ifaceId: 'port-1', mac: 'fa:16:3e:00:00:01', port: p(D1, 5), bridge: 'br-int', interfaceName: 'tap1' };
    s = reduce(s, { type: 'vm.seen', at: 1, vm });
    s = reduce(s, { type: 'segment.seen', at: 1, segment: { kind: 'vlan', id: 10, name: 'vlan-10' } });
    expect(snapshot(s).vms).toEqual([vm]);
    expect(snapshot(s).segments).toEqual([{ kind: 'vlan', id: 10, name: 'vlan-10' }]);
    s = reduce(s, { type: 'vm.gone', at: 2, uuid: 'vm-a' });
    expect(s.vms.size).toBe(0);
  });

  it('property: a snapshot never aliases the state (mutating it changes no state)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: base.length }), (n) => {
        const s = reduceAll(emptyState(), base.slice(0, n));
        const before = JSON.stringify(snapshot(s));
        const snap = snapshot(s);
        for (const x of snap.switches) {
          x.switch.name = 'changed';
          for (const q of x.ports) q.state = 'down';
        }
        for (const h of snap.hosts) h.ips.push({ address: '1.2.3.4', version: 4 });
        expect(JSON.stringify(snapshot(s))).toBe(before);
      }),
    );
  });
});
