/**
 * Discovery's OpenFlow/sFlow/OVSDB shell against scripted switches (no sockets): a "wire" delivers each
 * LLDP PACKET_OUT of one switch as a PACKET_IN at its peer, time and timers are driven by hand. Checks the
 * events (and that the exposed state is exactly their fold), the probes, the rules it installs, and the
 * failure paths: aging, PORT_STATUS, switch loss, foreign/replayed probes, punted packets, moves, sFlow.
 */
import { Subject } from 'rxjs';
import type { PacketInMessage } from '../../../../src/codec/openflow/packet-in.js';
import type { PortStatusMessage } from '../../../../src/codec/openflow/port-status.js';
import { PortState as OfpPortState, type Port } from '../../../../src/codec/openflow/port.js';
import { decodeLldp, dpidChassisId, encodeLldp, portNumberId } from '../../../../src/codec/packet/lldp.js';
import { Registry } from '../../../../src/observability/metrics.js';
import { cookieFor, OwnerKind, parseCookie } from '../../../../src/southbound/openflow/cookies.js';
import { ruleKey, type FlowRule } from '../../../../src/southbound/openflow/flow-rule.js';
import type { Outgoing, SwitchSession } from '../../../../src/southbound/openflow/session.js';
import { FLOW_STRIDE, FlowField, FlowFlag, type SflowBatch } from '../../../../src/southbound/sflow/batch.js';
import { TopologyDiscovery, type DiscoveryTimers } from '../../../../src/topology/discovery/openflow-discovery.js';
import type { TopologyEvent } from '../../../../src/topology/model.js';
import { emptyState, reduceAll, snapshot } from '../../../../src/topology/state.js';
import type { Inventory } from '../../../../src/southbound/ovsdb/inventory.js';

const LOCAL = 0xfffffffe;
const PUNT_COOKIE = cookieFor(OwnerKind.PIPELINE, 4);
const D1 = '0000000000000001';
const D2 = '0000000000000002';

function ofPort(portNo: number, mac: string, name: string, state = 0): Port {
  return { portNo, hwAddr: mac, name, config: 0, state, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 10_000_000, maxSpeed: 0 };
}

class FakeSwitch {
  readonly ports = new Map<number, Port>();
  readonly packetIn$ = new Subject<PacketInMessage>();
  readonly portStatus$ = new Subject<PortStatusMessage>();
  readonly features = { nTables: 254 };
  readonly remote = '127.0.0.1:40000';
  readonly sent: Outgoing[] = [];
  readonly batches: Outgoing[][] = [];
  isClosed = false;
  onPacketOut: (port: number, data: Uint8Array) => void = () => undefined;
  constructor(readonly dpid: bigint, portNos: number[]) {
    const n = Number(dpid);
    for (const p of portNos) this.ports.set(p, ofPort(p, `02:00:00:00:0${n}:${p.toString(16).padStart(2, '0')}`, `s${n}-eth${p}`));
    this.ports.set(LOCAL, ofPort(LOCAL, `02:00:00:00:0${n}:ff`, `s${n}`));
  }
  send(m: Outgoing): number {
    this.sent.push(m);
    if (m.type === 'PACKET_OUT') {
      const out = m.actions.find((a) => a.type === 'output');
      if (out && out.type === 'output') this.onPacketOut(out.port, m.data);
    }
    return 1;
  }
  /** The switch's flow table (what FLOW_MODs left), for the dumps reconciliation reads. */
  readonly flows = new Map<string, FlowRule>();
  async sendBatch(ms: readonly Outgoing[]): Promise<void> {
    this.batches.push([...ms]);
    for (const m of ms) {
      if (m.type !== 'FLOW_MOD') continue;
      const r: FlowRule = { tableId: m.tableId, priority: m.priority, match: m.match, instructions: m.instructions, cookie: m.cookie, idleTimeout: m.idleTimeout, hardTimeout: m.hardTimeout, flags: m.flags };
      if (m.command === 0) this.flows.set(ruleKey(r), r);
      else if (m.command === 4) this.flows.delete(ruleKey(r));
    }
  }
  async multipart(): Promise<unknown> {
    return { type: 'MULTIPART_REPLY', xid: 1, flags: 0, body: { kind: 'FLOW', stats: [...this.flows.values()] } };
  }
  packetIn(inPort: number, data: Uint8Array, cookie = PUNT_COOKIE): void {
    this.packetIn$.next({ type: 'PACKET_IN', xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId: 3, cookie, match: [{ field: 'in_port', value: inPort }], data });
  }
  portStatus(reason: number, p: Port): void {
    if (reason === 1) this.ports.delete(p.portNo);
    else this.ports.set(p.portNo, p);
    this.portStatus$.next({ type: 'PORT_STATUS', xid: 0, reason, port: p });
  }
  get session(): SwitchSession {
    return this as unknown as SwitchSession;
  }
  /** FLOW_MODs sent in batches, as [command, owner kind, match text]. */
  flowMods(): [number, string, string][] {
    return this.batches.flat().flatMap((m) => (m.type === 'FLOW_MOD' ? [[m.command, parseCookie(m.cookie)?.kindName ?? '?', JSON.stringify(m.match)] as [number, string, string]] : []));
  }
}

class Harness {
  now = 1_000_000;
  mono = 5_000_000n;
  timeouts: { at: number; fn: () => void }[] = [];
  readonly events: TopologyEvent[] = [];
  readonly d: TopologyDiscovery;
  /** (dpid:port) -> [switch, port]: where a frame sent out of a port arrives. */
  readonly wires = new Map<string, [FakeSwitch, number]>();
  cut = new Set<string>();
  readonly metrics = new Registry();
  constructor(opts: ConstructorParameters<typeof TopologyDiscovery>[0] = {}) {
    const timers: DiscoveryTimers = {
      setInterval: () => 0,
      clearInterval: () => undefined,
      setTimeout: (fn, ms) => {
        const t = { at: this.now + ms, fn };
        this.timeouts.push(t);
        return t;
      },
      clearTimeout: (h) => {
        this.timeouts = this.timeouts.filter((t) => t !== h);
      },
    };
    this.d = new TopologyDiscovery(
      { lldpIntervalMs: 500, lldpMissedIntervals: 4, hostSettleMs: 1000, seenIntervalMs: 10_000, ...opts },
      { clock: { now: () => this.now, monotonicUs: () => this.mono }, timers, metrics: this.metrics, keys: { nonce: new Uint8Array(8).fill(1), key: new Uint8Array(32).fill(2) } },
    );
    this.d.events$.subscribe((e) => this.events.push(e));
  }
  connect(sw: FakeSwitch): void {
    sw.onPacketOut = (port, data) => {
      const k = `${sw.dpid}:${port}`;
      const peer = this.wires.get(k);
      if (peer && !this.cut.has(k)) peer[0].packetIn(peer[1], data, cookieFor(OwnerKind.DISCOVERY, 1));
    };
    this.d.addSession(sw.session);
  }
  wire(a: FakeSwitch, pa: number, b: FakeSwitch, pb: number): void {
    this.wires.set(`${a.dpid}:${pa}`, [b, pb]);
    this.wires.set(`${b.dpid}:${pb}`, [a, pa]);
  }
  /** Advances time in steps, running due timeouts and the discovery tick. */
  advance(ms: number, step = 125): void {
    const end = this.now + ms;
    while (this.now < end) {
      this.now = Math.min(end, this.now + step);
      this.mono += BigInt(step) * 1000n;
      this.runTimers();
      this.d.tick();
    }
  }
  runTimers(): void {
    for (;;) {
      const due = this.timeouts.filter((t) => t.at <= this.now);
      if (due.length === 0) return;
      this.timeouts = this.timeouts.filter((t) => t.at > this.now);
      for (const t of due) t.fn();
    }
  }
  async flush(): Promise<void> {
    this.runTimers();
    await new Promise((r) => setImmediate(r));
  }
  types(from = 0): string[] {
    return this.events.slice(from).map((e) => (e.type === 'link.down' ? `link.down:${e.reason}` : e.type === 'host.gone' ? `host.gone:${e.reason}` : e.type));
  }
  /** The exposed state must be exactly the fold of the events emitted. */
  expectStateIsFold(): void {
    expect(snapshot(this.d.state, 0)).toEqual(snapshot(reduceAll(emptyState(), this.events), 0));
  }
}

function arp(mac: string, ip: string, target: string): Uint8Array {
  const b = Buffer.alloc(60);
  Buffer.from('ffffffffffff', 'hex').copy(b, 0);
  Buffer.from(mac.replace(/:/g, ''), 'hex').copy(b, 6);
  b.writeUInt16BE(0x0806, 12);
  b.writeUInt16BE(1, 14);
  b.writeUInt16BE(0x0800, 16);
  b[18] = 6;
  b[19] = 4;
  b.writeUInt16BE(1, 20);
  Buffer.from(mac.replace(/:/g, ''), 'hex').copy(b, 22);
  Buffer.from(ip.split('.').map(Number)).copy(b, 28);
  Buffer.from(target.split('.').map(Number)).copy(b, 38);
  return new Uint8Array(b);
}

function ipv4(mac: string, src: string, dst: string, ttl = 64): Uint8Array {
  const b = Buffer.alloc(60);
  Buffer.from('020000000099', 'hex').copy(b, 0);
  Buffer.from(mac.replace(/:/g, ''), 'hex').copy(b, 6);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(28, 16);
  b[22] = ttl;
  b[23] = 1;
  Buffer.from(src.split('.').map(Number)).copy(b, 26);
  Buffer.from(dst.split('.').map(Number)).copy(b, 30);
  b[34] = 8;
  return new Uint8Array(b);
}

function twoSwitches(h: Harness): [FakeSwitch, FakeSwitch] {
  const s1 = new FakeSwitch(1n, [1, 3, 4]);
  const s2 = new FakeSwitch(2n, [1, 3]);
  h.wire(s1, 1, s2, 1);
  h.connect(s1);
  h.connect(s2);
  return [s1, s2];
}

describe('TopologyDiscovery', () => {
  it('switch.up with PORT_DESC ports, LLDP on every up port except LOCAL, links in both directions, TRANSIT rules', async () => {
    const h = new Harness();
    const [s1, s2] = twoSwitches(h);
    // s1's first probes went out before s2 was connected (lost); s2's probes reached s1 at once.
    expect(h.types()).toEqual(['switch.up', 'switch.up', 'link.up']);
    const up = h.events[0]!;
    expect(up.type === 'switch.up' && up.ports.map((p) => p.portNo)).toEqual([1, 3, 4, LOCAL]);
    expect(up.type === 'switch.up' && up.switch).toMatchObject({ dpid: D1, name: 's1', nTables: 254, connected: true });
    const probes = s1.sent.filter((m) => m.type === 'PACKET_OUT');
    expect(probes.map((m) => (m.type === 'PACKET_OUT' ? (m.actions[0] as { port: number }).port : -1))).toEqual([1, 3, 4]);
    const f = decodeLldp(probes[0]!.type === 'PACKET_OUT' ? probes[0]!.data : new Uint8Array());
    expect(f.src).toBe('02:00:00:00:01:01');
    h.advance(500);
    expect(h.types()).toEqual(['switch.up', 'switch.up', 'link.up', 'link.up']);
    expect(h.d.state.links.size).toBe(2);
    expect(h.d.links.get({ dpid: D1, portNo: 1 }, { dpid: D2, portNo: 1 })).toMatchObject({ via: 'lldp', latencyMs: 0 });
    await h.flush();
    expect(s1.flowMods()).toEqual([[0, 'transit', JSON.stringify([{ field: 'in_port', value: 1 }])]]);
    expect(s2.flowMods()).toEqual([[0, 'transit', JSON.stringify([{ field: 'in_port', value: 1 }])]]);
    h.expectStateIsFold();
  });

  it('ages a silent link out within missedIntervals x interval (+ one tick), and PORT_STATUS link-down ends it at once', () => {
    const h = new Harness();
    const [s1] = twoSwitches(h);
    h.advance(1000);
    const n = h.events.length;
    h.cut.add('1:1');
    h.cut.add('2:1');
    const cutAt = h.now;
    let downAt = -1;
    for (let i = 0; i < 40 && downAt < 0; i++) {
      h.advance(125);
      if (h.types(n).some((t) => t.startsWith('link.down'))) downAt = h.now;
    }
    expect(downAt - cutAt).toBeLessThanOrEqual(2000 + 125);
    expect(h.types(n)).toEqual(['link.down:timeout', 'link.down:timeout']);
    // Back up, then the port goes down: link.down at once, before port.down.
    h.cut.clear();
    h.advance(500);
    const m = h.events.length;
    s1.portStatus(2, ofPort(1, '02:00:00:00:01:01', 's1-eth1', OfpPortState.LINK_DOWN));
    expect(h.types(m)).toEqual(['link.down:port-down', 'link.down:port-down', 'port.down']);
    // Probes skip the down port; it comes back up: port.up and a probe on it at once.
    const sent = s1.sent.length;
    s1.portStatus(2, ofPort(1, '02:00:00:00:01:01', 's1-eth1'));
    expect(h.types(m + 3)).toEqual(['port.up', 'link.up']);
    expect(s1.sent.length).toBe(sent + 1);
    h.expectStateIsFold();
  });

  it('switch loss: its links go down (switch-down) before switch.down; a deleted port ends its links', () => {
    const h = new Harness();
    const [s1, s2] = twoSwitches(h);
    h.advance(500);
    const n = h.events.length;
    s2.portStatus(1, ofPort(1, '02:00:00:00:02:01', 's2-eth1'));
    expect(h.types(n)).toEqual(['link.down:port-deleted', 'link.down:port-deleted', 'port.deleted']);
    s2.portStatus(0, ofPort(1, '02:00:00:00:02:01', 's2-eth1'));
    h.advance(500);
    const m = h.events.length;
    h.d.removeSession(s1.session, 'test');
    expect(h.types(m)).toEqual(['link.down:switch-down', 'link.down:switch-down', 'switch.down']);
    h.expectStateIsFold();
  });

  it('ignores LLDP that is not a fresh probe of its own: other controllers, forged ids, replays', () => {
    const h = new Harness();
    const s1 = new FakeSwitch(1n, [1]);
    h.connect(s1);
    const foreign = encodeLldp({ src: '02:00:00:00:00:09', chassisId: dpidChassisId(D2), portId: portNumberId(1), ttl: 3, vigil: { nonce: new Uint8Array(8), sentAtUs: h.mono, auth: new Uint8Array(16) } });
    s1.packetIn(1, foreign, cookieFor(OwnerKind.DISCOVERY, 1));
    s1.packetIn(1, encodeLldp({ src: '02:00:00:00:00:09', chassisId: dpidChassisId(D2), portId: portNumberId(1), ttl: 120 }), cookieFor(OwnerKind.DISCOVERY, 1));
    // A real probe of s1 port 1, captured and replayed 3 s later at s1 port 1 (e.g. by a host): stale.
    const probe = s1.sent.find((m) => m.type === 'PACKET_OUT')!;
    h.advance(3000);
    s1.packetIn(1, probe.type === 'PACKET_OUT' ? probe.data : new Uint8Array(), cookieFor(OwnerKind.DISCOVERY, 1));
    // Tampered: the port id changed, the authenticator no longer matches.
    const fresh = s1.sent.filter((m) => m.type === 'PACKET_OUT').at(-1)!;
    const data = fresh.type === 'PACKET_OUT' ? new Uint8Array(fresh.data) : new Uint8Array();
    expect(data[41]).toBe('1'.charCodeAt(0)); // the Port ID's value
    data[41] = '7'.charCodeAt(0);
    s1.packetIn(1, data, cookieFor(OwnerKind.DISCOVERY, 1));
    expect(h.types().filter((t) => t.startsWith('link'))).toEqual([]);
    const verdicts = h.metrics.counter('vigil_topology_lldp_received_total', '');
    expect(['other-controller', 'not-vigil', 'stale', 'bad-auth', 'ok'].map((result) => verdicts.get({ result }))).toEqual([1, 1, 1, 1, 0]);
  });

  it('learns hosts from punted packets at access ports, installs a HOST rule, ignores copies at switch-to-switch ports', async () => {
    const h = new Harness();
    const [s1, s2] = twoSwitches(h);
    h.advance(600);
    const mac = '00:00:00:00:00:01';
    s1.packetIn(3, arp(mac, '10.0.0.1', '10.0.0.11'));
    s2.packetIn(1, arp(mac, '10.0.0.1', '10.0.0.11')); // the broadcast, flooded to s2
    h.advance(1000);
    const seen = h.events.filter((e) => e.type === 'host.seen');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.type === 'host.seen' && seen[0]!.host).toMatchObject({ mac, port: { dpid: D1, portNo: 3 }, vlan: null, ips: [{ address: '10.0.0.1', version: 4 }], source: 'packet-in' });
    await h.flush();
    expect(s1.flowMods().filter(([, k]) => k === 'host')).toEqual([[0, 'host', JSON.stringify([{ field: 'in_port', value: 3 }, { field: 'eth_src', value: mac }])]]);
    const hostRule = s1.batches.flat().find((m) => m.type === 'FLOW_MOD' && parseCookie(m.cookie)?.kindName === 'host');
    expect(hostRule?.type === 'FLOW_MOD' && hostRule.idleTimeout).toBe(300);
    // An IPv4 first packet with a new source address: host.ip; and its copy means the HOST rule is missing
    // (idled out): reinstalled, but not more than once per second.
    const before = s1.flowMods().length;
    h.advance(2000);
    s1.packetIn(3, ipv4(mac, '10.0.0.5', '10.0.0.11'));
    s1.packetIn(3, ipv4(mac, '10.0.0.5', '10.0.0.11'));
    await h.flush();
    expect(h.types().filter((t) => t === 'host.ip')).toEqual(['host.ip']);
    expect(s1.flowMods().length).toBe(before + 1);
    // A routed packet (TTL decremented) carries someone else's address: not attributed to this MAC.
    s1.packetIn(3, ipv4(mac, '192.0.2.7', '10.0.0.11', 63));
    expect(h.d.state.hosts.get(mac)!.ips.map((i) => i.address)).toEqual(['10.0.0.1', '10.0.0.5']);
    h.expectStateIsFold();
  });

  it('a host moved to another access port: host.moved, old HOST rule deleted, new one added', async () => {
    const h = new Harness();
    const [s1, s2] = twoSwitches(h);
    h.advance(600);
    const mac = '00:00:00:00:00:02';
    s1.packetIn(4, ipv4(mac, '10.0.0.2', '10.0.0.1'));
    h.advance(1000);
    await h.flush();
    h.advance(3000);
    s2.packetIn(3, arp(mac, '10.0.0.2', '10.0.0.1'));
    h.advance(1000);
    const moved = h.events.filter((e) => e.type === 'host.moved');
    expect(moved).toEqual([{ type: 'host.moved', at: expect.any(Number), mac, from: { dpid: D1, portNo: 4 }, to: { dpid: D2, portNo: 3 }, vlan: null }]);
    await h.flush();
    expect(s1.flowMods().filter(([, k]) => k === 'host').map(([c]) => c)).toEqual([0, 4]); // ADD, then DELETE_STRICT
    expect(s2.flowMods().filter(([, k]) => k === 'host').map(([c]) => c)).toEqual([0]);
    expect(h.d.state.hosts.get(mac)?.port).toEqual({ dpid: D2, portNo: 3 });
    h.expectStateIsFold();
  });

  it('learns hosts from sFlow samples (input ifIndex mapped by the resolver, or by the OVSDB inventory)', () => {
    const h = new Harness({ hostPunt: false });
    const s1 = new FakeSwitch(1n, [3]);
    h.connect(s1);
    h.advance(1000);
    const fields = new Int32Array(FLOW_STRIDE * 4);
    const row = (i: number, ifIndex: number, macLo: number, v4: number, macHi = 0) => {
      const o = i * FLOW_STRIDE;
      fields[o + FlowField.FLAGS] = FlowFlag.SUMMARIZED | FlowFlag.HAS_HEADER;
      fields[o + FlowField.HEADER_PROTOCOL] = 1;
      fields[o + FlowField.INPUT_FORMAT] = 0;
      fields[o + FlowField.INPUT] = ifIndex;
      fields[o + FlowField.SRC_MAC_HI] = macHi;
      fields[o + FlowField.SRC_MAC_LO] = macLo;
      fields[o + FlowField.OUTER_VLAN] = -1;
      fields[o + FlowField.IP_VERSION] = 4;
      fields[o + FlowField.TTL] = 64;
      fields[o + FlowField.SRC_V4] = v4 | 0;
      fields[o + FlowField.ADDR_ROW] = -1;
    };
    row(0, 77, 0x0b, 0x0a00000b);
    row(1, 78, 0x0c, 0x0a00000c);
    row(2, 77, 0x0b, 0x0a00000b); // the same host again: one sighting per batch
    row(3, 77, 0x01, 0x0a00000d, 0x0100); // a group (multicast) source MAC: never a host
    const batch = { flows: { count: 4, fields, addrs: new Uint8Array(0) }, agents: [{ address: '127.0.0.1' }] } as unknown as SflowBatch;
    h.d.setIfindexResolver((agent, ifIndex) => (agent === '127.0.0.1' && ifIndex === 77 ? { dpid: D1, portNo: 3 } : undefined));
    h.d.onSflowBatch(batch);
    expect(h.metrics.counter('vigil_topology_host_sightings_total', '').get({ source: 'sflow' })).toBe(1);
    expect(h.metrics.counter('vigil_topology_sflow_unmapped_total', '').get()).toBe(1);
    h.advance(1000);
    const seen = h.events.filter((e) => e.type === 'host.seen');
    expect(seen.map((e) => e.type === 'host.seen' && [e.host.mac, e.host.port.portNo, e.host.ips[0]?.address, e.host.source])).toEqual([['00:00:00:00:00:0b', 3, '10.0.0.11', 'sflow']]);
    // The other sample's ifIndex is known to OVSDB (with the port's access VLAN).
    h.d.setIfindexResolver(undefined);
    const inv = {
      systemId: null,
      hostname: null,
      ovsVersion: null,
      bridges: [
        {
          uuid: 'b', name: 's1', datapathId: D1, datapathType: 'netdev', failMode: 'secure', protocols: [], controllers: [], sflow: null, mirrors: [], rstpBridgeId: null, attached: true, externalIds: {},
          ports: [{ uuid: 'p', name: 's1-eth4', tag: 30, trunks: [], vlanMode: null, rstp: null, externalIds: {}, interfaces: [{ uuid: 'i', name: 's1-eth4', type: '', ofport: 4, ifindex: 78, options: {}, mac: null, vm: null, ingressPolicing: { rateKbps: 0, burstKb: 0 }, error: null, externalIds: {} }] }],
        },
      ],
    } as unknown as Inventory;
    h.d.onInventory(inv);
    expect(h.types().slice(-2)).toEqual(['segment.seen', 'port.segments']);
    h.d.onSflowBatch(batch);
    h.advance(1000);
    expect(h.d.state.hosts.get('00:00:00:00:00:0c')).toMatchObject({ port: { dpid: D1, portNo: 4 }, vlan: 30, source: 'sflow' });
    h.expectStateIsFold();
  });

  it('pins a link RSTP blocks (from OVSDB), marks its ports switch-to-switch', async () => {
    const h = new Harness();
    const [s1, s2] = twoSwitches(h);
    const port = (name: string, ofport: number, rstp: object) => ({ uuid: name, name, tag: null, trunks: [], vlanMode: null, rstp, externalIds: {}, interfaces: [{ uuid: `i${name}`, name, type: '', ofport, ifindex: null, options: {}, mac: null, vm: null, ingressPolicing: { rateKbps: 0, burstKb: 0 }, error: null, externalIds: {} }] });
    const br = (name: string, dpid: string, id: string, ports: object[]) => ({ uuid: name, name, datapathId: dpid, datapathType: 'netdev', failMode: 'secure', protocols: [], controllers: [], sflow: null, mirrors: [], rstpBridgeId: id, attached: true, externalIds: {}, ports });
    const inv = {
      systemId: null,
      hostname: null,
      ovsVersion: null,
      bridges: [
        br('s1', D1, '7.000.aa', [port('s1-eth4', 4, { portId: '8004', role: 'Designated', state: 'Forwarding', designatedBridgeId: '7.000.aa', designatedPortId: '8004' })]),
        br('s2', D2, '8.000.bb', [port('s2-eth3', 3, { portId: '8003', role: 'Alternate', state: 'Discarding', designatedBridgeId: '7.000.aa', designatedPortId: '8004' })]),
      ],
    } as unknown as Inventory;
    const n = h.events.length;
    h.d.onInventory(inv);
    expect(h.types(n)).toEqual(['link.up', 'link.up']);
    expect(h.d.links.get({ dpid: D2, portNo: 3 }, { dpid: D1, portNo: 4 })?.via).toBe('rstp');
    h.advance(10_000);
    expect(h.d.state.links.size).toBe(4); // the LLDP pair s1:1<->s2:1 and the pinned pair
    await h.flush();
    expect(s2.flowMods().filter(([, k]) => k === 'transit').length).toBe(2);
    expect(s1.flowMods().filter(([, k]) => k === 'transit').length).toBe(2);
    h.expectStateIsFold();
  });
});
