/**
 * What the writer sends (pure): one UNWIND statement per run of a type, the rows each event becomes, the
 * resync plan against what the graph holds, and parameter conversion (integers as Cypher INTEGERs).
 */
import neo4j, { Neo4jError } from 'neo4j-driver';
import type { TopologyEvent, TopologySnapshot } from '../../../../src/topology/model.js';
import { classifyFailure, describeError, toCypher } from '../../../../src/topology/store/connection.js';
import { chunkStatements, planBatch, planResync } from '../../../../src/topology/store/plan.js';
import { CYPHER } from '../../../../src/topology/store/statements.js';
import { dpidN, macN, portInfo } from '../../../support/topology-gen.js';

const D1 = dpidN(1);
const D2 = dpidN(2);
const sw = (dpid: string, at: number, connected = true) => ({ dpid, name: `s-${dpid.slice(-1)}`, address: '127.0.0.1:1', nTables: 3, connected, firstSeen: at, lastSeen: at });

describe('planBatch', () => {
  it('groups consecutive events of a type into one statement each, in order', () => {
    const events: TopologyEvent[] = [
      { type: 'switch.up', at: 1, switch: sw(D1, 1), ports: [portInfo(D1, 1)] },
      { type: 'switch.up', at: 2, switch: sw(D2, 2), ports: [portInfo(D2, 1), portInfo(D2, 2)] },
      { type: 'link.up', at: 3, link: { src: { dpid: D1, portNo: 1 }, dst: { dpid: D2, portNo: 1 }, firstSeen: 3, lastSeen: 3 } },
      { type: 'switch.up', at: 4, switch: sw(D1, 4), ports: [portInfo(D1, 1)] },
    ];
    const plan = planBatch(events);
    expect(plan.map((s) => [s.kind, s.rows.length])).toEqual([
      ['switch.up', 2],
      ['link.up', 1],
      ['switch.up', 1],
    ]);
    expect(plan[0]!.cypher).toBe(CYPHER['switch.up']);
    expect(plan[0]!.rows[1]).toEqual({
      dpid: D2,
      name: 's-2',
      address: '127.0.0.1:1',
      nTables: 3,
      connected: true,
      firstSeen: 2,
      lastSeen: 2,
      ports: [
        { key: `${D2}:1`, dpid: D2, portNo: 1, name: 's2-eth1', mac: portInfo(D2, 1).mac, state: 'up', speed: 10_000_000 },
        { key: `${D2}:2`, dpid: D2, portNo: 2, name: 's2-eth2', mac: portInfo(D2, 2).mac, state: 'up', speed: 10_000_000 },
      ],
    });
    expect(plan[1]!.rows[0]).toEqual({ src: `${D1}:1`, dst: `${D2}:1`, firstSeen: 3, lastSeen: 3, via: 'lldp', latencyMs: null });
    expect(planBatch([])).toEqual([]);
  });

  it('gives every event type a parameterized UNWIND statement', () => {
    const p = { dpid: D1, portNo: 5 };
    const events: TopologyEvent[] = [
      { type: 'switch.down', at: 1, dpid: D1 },
      { type: 'port.up', at: 1, port: portInfo(D1, 5) },
      { type: 'port.down', at: 1, port: portInfo(D1, 5, 'down') },
      { type: 'port.deleted', at: 1, port: p },
      { type: 'link.seen', at: 7, src: p, dst: { dpid: D2, portNo: 1 }, latencyMs: 0.5 },
      { type: 'link.down', at: 1, src: p, dst: { dpid: D2, portNo: 1 }, reason: 'timeout' },
      { type: 'host.seen', at: 9, host: { mac: macN(1), port: p, vlan: 10, ips: [{ address: '10.0.0.1', version: 4 }], firstSeen: 2, lastSeen: 9, source: 'sflow' } },
      { type: 'host.moved', at: 10, mac: macN(1), from: p, to: { dpid: D1, portNo: 6 }, vlan: null },
      { type: 'host.ip', at: 11, mac: macN(1), ip: { address: 'fd00::1', version: 6 } },
      { type: 'host.gone', at: 12, mac: macN(1), reason: 'evicted' },
      { type: 'vm.seen', at: 13, vm: { uuid: 'u1', name: 'g', ifaceId: 'i', mac: '02:AA:00:00:00:01', port: p, bridge: 'br0', interfaceName: 'vnet0' } },
      { type: 'vm.gone', at: 14, uuid: 'u1' },
      { type: 'segment.seen', at: 15, segment: { kind: 'vni', id: 5001, name: 'tenant' } },
      { type: 'port.segments', at: 16, port: p, segments: [{ kind: 'vlan', id: 10 }] },
    ];
    const plan = planBatch(events);
    expect(plan.map((s) => s.kind)).toEqual(events.map((e) => e.type));
    for (const s of plan) expect(s.cypher).toMatch(/^UNWIND \$rows AS r\n/);
    const rows = Object.fromEntries(plan.map((s) => [s.kind, s.rows[0]]));
    expect(rows['link.seen']).toEqual({ src: `${D1}:5`, dst: `${D2}:1`, at: 7, latencyMs: 0.5 });
    // addresses without their own times were seen at the event's time
    expect(rows['host.seen']).toMatchObject({ mac: macN(1), port: `${D1}:5`, vlan: 10, attachedAt: 9, ips: [{ address: '10.0.0.1', version: 4, firstSeen: 9, lastSeen: 9 }] });
    expect(rows['host.moved']).toEqual({ mac: macN(1), to: `${D1}:6`, vlan: null, at: 10 });
    expect(rows['host.ip']).toEqual({ mac: macN(1), address: 'fd00::1', version: 6, firstSeen: 11, lastSeen: 11 });
    expect(rows['vm.seen']).toEqual({ uuid: 'u1', name: 'g', ifaceId: 'i', mac: '02:aa:00:00:00:01', bridge: 'br0', interfaceName: 'vnet0', port: `${D1}:5`, at: 13 });
    expect(rows['segment.seen']).toEqual({ key: 'vni:5001', kind: 'vni', id: 5001, name: 'tenant' });
    expect(rows['port.segments']).toEqual({ port: `${D1}:5`, segments: [{ key: 'vlan:10', kind: 'vlan', id: 10 }] });
  });
});

describe('planResync', () => {
  const snap: TopologySnapshot = {
    at: 100,
    switches: [
      { switch: sw(D1, 1), ports: [portInfo(D1, 1), portInfo(D1, 5)] },
      { switch: sw(D2, 1, false), ports: [portInfo(D2, 1)] },
    ],
    links: [{ src: { dpid: D1, portNo: 1 }, dst: { dpid: D2, portNo: 1 }, firstSeen: 5, lastSeen: 50 }],
    hosts: [{ mac: macN(1), port: { dpid: D1, portNo: 5 }, vlan: null, ips: [], firstSeen: 3, lastSeen: 60, source: 'packet-in' }],
    vms: [{ uuid: 'keep', name: null, ifaceId: null, mac: null, port: null, bridge: 'br0', interfaceName: 'tap0' }],
    segments: [{ kind: 'vlan', id: 10, name: 'users' }],
    portSegments: [{ port: { dpid: D1, portNo: 5 }, segments: [{ kind: 'vlan', id: 10 }] }],
  };

  it('MERGEs everything listed and removes what the snapshot no longer has', () => {
    const plan = planResync(snap, {
      connectedSwitches: [D1, dpidN(3)],
      links: [
        [`${D1}:1`, `${D2}:1`],
        [`${D2}:1`, `${D1}:1`],
      ],
      attachedHosts: [macN(1), macN(2)],
      vmUuids: ['keep', 'gone'],
    });
    expect(plan.removed).toEqual({ switchesDisconnected: 1, links: 1, hostsDetached: 1, vms: 1 });
    const by = Object.fromEntries(plan.statements.map((s) => [s.kind, s.rows]));
    expect(plan.statements.map((s) => s.kind)).toEqual(['segment.seen', 'switch.up', 'switch.down', 'link.down', 'link.up', 'host.gone', 'host.seen', 'vm.gone', 'vm.seen', 'port.segments']);
    expect(by['switch.up']!.map((r) => [r.dpid, r.connected])).toEqual([
      [D1, true],
      [D2, false],
    ]);
    expect(by['switch.down']).toEqual([{ dpid: dpidN(3), at: null }]); // lastSeen left as it is
    expect(by['link.down']).toEqual([{ src: `${D2}:1`, dst: `${D1}:1` }]);
    expect(by['host.gone']).toEqual([{ mac: macN(2) }]);
    expect(by['vm.gone']).toEqual([{ uuid: 'gone' }]);
    expect(by['vm.seen']![0]).toMatchObject({ uuid: 'keep', at: 100 });
    // every port of a listed switch gets its complete segment set ([]: none)
    expect(by['port.segments']).toEqual([
      { port: `${D1}:1`, segments: [] },
      { port: `${D1}:5`, segments: [{ key: 'vlan:10', kind: 'vlan', id: 10 }] },
      { port: `${D2}:1`, segments: [] },
    ]);
  });

  it('leaves out empty statements', () => {
    const empty: TopologySnapshot = { at: 0, switches: [], links: [], hosts: [], vms: [], segments: [], portSegments: [] };
    expect(planResync(empty, { connectedSwitches: [], links: [], attachedHosts: [], vmUuids: [] }).statements).toEqual([]);
  });

  it('chunks big statements, keeping order', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ i }));
    const out = chunkStatements([{ kind: 'vm.gone', cypher: 'x', rows }, { kind: 'link.down', cypher: 'y', rows: [{ i: 99 }] }], 5);
    expect(out.map((s) => [s.kind, s.rows.map((r) => r.i)])).toEqual([
      ['vm.gone', [0, 1, 2, 3, 4]],
      ['vm.gone', [5, 6, 7, 8, 9]],
      ['vm.gone', [10, 11]],
      ['link.down', [99]],
    ]);
  });
});

describe('Neo4j parameters and failures', () => {
  it('sends integral numbers as Cypher integers, measurements as floats', () => {
    const p = toCypher({ rows: [{ at: 1_700_000_000_123, portNo: 3, ratio: 0.5, latencyMs: 2, name: 'x', vlan: null, ips: [{ version: 4 }] }] }) as { rows: Record<string, unknown>[] };
    const r = p.rows[0]!;
    expect(neo4j.isInt(r.at)).toBe(true);
    expect(String(r.at)).toBe('1700000000123');
    expect(neo4j.isInt(r.portNo)).toBe(true);
    expect(r.ratio).toBe(0.5);
    expect(r.latencyMs).toBe(2);
    expect(r.vlan).toBeNull();
    expect(neo4j.isInt((r.ips as { version: unknown }[])[0]!.version)).toBe(true);
  });

  it('classifies failures: unreachable, transient, permanent', () => {
    const err = (code: string) => new Neo4jError('boom', code as never, '50N42', 'x');
    expect(classifyFailure(err('ServiceUnavailable'))).toBe('unavailable');
    expect(classifyFailure(err('SessionExpired'))).toBe('unavailable');
    expect(classifyFailure(err('Neo.ClientError.Security.Unauthorized'))).toBe('unavailable');
    expect(classifyFailure(err('Neo.ClientError.Database.DatabaseNotFound'))).toBe('unavailable');
    expect(classifyFailure(err('Neo.TransientError.Transaction.DeadlockDetected'))).toBe('transient');
    expect(classifyFailure(err('Neo.ClientError.Statement.SyntaxError'))).toBe('permanent');
    expect(classifyFailure(err('Neo.ClientError.Schema.ConstraintValidationFailed'))).toBe('permanent');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('unavailable');
    expect(classifyFailure(new TypeError('bug'))).toBe('permanent');
    expect(describeError(err('ServiceUnavailable'))).toBe('ServiceUnavailable: boom');
  });
});
