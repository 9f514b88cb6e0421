/**
 * What discovery reads from the OVSDB inventory: ports by ifindex, access VLANs, VMs, segments (VLAN tags,
 * VXLAN keys) and RSTP peers (the links a spanning tree blocks), and the events between two inventories.
 * The RSTP ids are the ones OVS 3.1 reported for the lab fabric (s3-eth1 Alternate/Discarding toward s2).
 */
import type { Inventory, InventoryBridge, InventoryInterface, InventoryPort, InventoryRstpPort } from '../../../../src/southbound/ovsdb/inventory.js';
import { emptyFacts, factEvents, inventoryFacts } from '../../../../src/topology/discovery/inventory-facts.js';

function iface(name: string, ofport: number | null, ifindex: number | null, extra: Partial<InventoryInterface> = {}): InventoryInterface {
  return { uuid: `u-${name}`, name, type: '', ofport, ifindex, options: {}, mac: null, vm: null, ingressPolicing: { rateKbps: 0, burstKb: 0 }, error: null, externalIds: {}, ...extra };
}

function port(name: string, ifaces: InventoryInterface[], extra: Partial<InventoryPort> = {}): InventoryPort {
  return { uuid: `p-${name}`, name, tag: null, trunks: [], vlanMode: null, rstp: null, interfaces: ifaces, externalIds: {}, ...extra };
}

function bridge(name: string, datapathId: string | null, ports: InventoryPort[], rstpBridgeId: string | null = null): InventoryBridge {
  return { uuid: `b-${name}`, name, datapathId, datapathType: 'netdev', failMode: 'secure', protocols: ['OpenFlow13'], controllers: [], sflow: null, mirrors: [], ports, rstpBridgeId, attached: true, externalIds: {} };
}

const rstp = (portId: string, role: string, state: string, designatedBridgeId: string, designatedPortId: string): InventoryRstpPort => ({ portId, role, state, designatedBridgeId, designatedPortId });
const inv = (bridges: InventoryBridge[]): Inventory => ({ systemId: 's', hostname: 'h', ovsVersion: '3.1.0', bridges });

const B1 = '7.000.6e049b7c354c';
const B2 = '8.000.9a660bfc3040';
const B3 = '9.000.1ee93c297247';
const D1 = '0000000000000001';
const D2 = '0000000000000002';
const D3 = '0000000000000003';

function fabric(s3eth1: InventoryRstpPort): Inventory {
  return inv([
    bridge('s1', D1, [port('s1-eth1', [iface('s1-eth1', 1, 101)], { rstp: rstp('8001', 'Designated', 'Forwarding', B1, '8001') }), port('s1-eth3', [iface('s1-eth3', 3, 103)], { rstp: rstp('8003', 'Designated', 'Forwarding', B1, '8003') })], B1),
    bridge('s2', D2, [port('s2-eth1', [iface('s2-eth1', 1, 201)], { rstp: rstp('8005', 'Root', 'Forwarding', B1, '8001') }), port('s2-eth2', [iface('s2-eth2', 2, 202)], { rstp: rstp('8003', 'Designated', 'Forwarding', B2, '8003') })], B2),
    bridge('s3', D3, [port('s3-eth1', [iface('s3-eth1', 1, 301)], { rstp: s3eth1 })], B3),
  ]);
}

describe('inventoryFacts', () => {
  it('maps ifindexes to OpenFlow ports, and knows bridge names and access VLANs', () => {
    const f = inventoryFacts(
      inv([
        bridge('br-int', '00000000000000aa', [port('tap1', [iface('tap1', 5, 77)], { tag: 10 }), port('noport', [iface('noport', null, 78)])]),
        bridge('fresh', null, [port('x', [iface('x', 1, 79)])]),
      ]),
    );
    expect([...f.byIfindex]).toEqual([[77, { dpid: '00000000000000aa', portNo: 5 }]]);
    expect([...f.accessVlan]).toEqual([['00000000000000aa:5', 10]]);
    expect([...f.bridgeNames]).toEqual([['00000000000000aa', 'br-int']]);
  });

  it('derives VMs and segments (VLAN tags, VXLAN keys) and each port segment set', () => {
    const f = inventoryFacts(
      inv([
        bridge('br-int', '00000000000000aa', [
          port('tap1', [iface('tap1', 5, 77, { vm: { vmUuid: 'vm-a', ifaceId: 'port-1', attachedMac: 'fa:16:3e:00:00:01' }, externalIds: { 'vm-name': 'web' } })], { tag: 10 }),
          port('tap2', [iface('tap2', 6, 78, { vm: { vmId: 'vm-b' } })]),
          port('vx', [iface('vx', 9, null, { type: 'vxlan', options: { key: '5001', remote_ip: '192.0.2.1' } })]),
          port('vxflow', [iface('vxflow', 10, null, { type: 'vxlan', options: { key: 'flow' } })]),
        ]),
      ]),
    );
    expect([...f.vms.values()]).toEqual([
      { uuid: 'vm-a', name: 'web', ifaceId: 'port-1', mac: 'fa:16:3e:00:00:01', port: { dpid: '00000000000000aa', portNo: 5 }, bridge: 'br-int', interfaceName: 'tap1' },
      { uuid: 'vm-b', name: null, ifaceId: null, mac: null, port: { dpid: '00000000000000aa', portNo: 6 }, bridge: 'br-int', interfaceName: 'tap2' },
    ]);
    expect([...f.segments.keys()].sort()).toEqual(['vlan:10', 'vni:5001']);
    expect([...f.portSegments.values()].map((p) => [p.port.portNo, p.segments])).toEqual([
      [5, [{ kind: 'vlan', id: 10 }]],
      [9, [{ kind: 'vni', id: 5001 }]],
    ]);
  });

  it('finds switch-to-switch ports from RSTP, and the link RSTP blocks (both directions)', () => {
    const blocked = inventoryFacts(fabric(rstp('8001', 'Alternate', 'Discarding', B2, '8003')));
    expect([...blocked.rstpBlockedLinks.keys()].sort()).toEqual([`${D2}:2>${D3}:1`, `${D3}:1>${D2}:2`]);
    expect([...blocked.rstpInterSwitch.keys()].sort()).toEqual([`${D1}:1`, `${D2}:1`, `${D2}:2`, `${D3}:1`]);
    // Unblocked (e.g. after s1-s2 went down): no pinned link; the ports are still switch-to-switch.
    const open = inventoryFacts(fabric(rstp('8001', 'Designated', 'Forwarding', B3, '8001')));
    expect(open.rstpBlockedLinks.size).toBe(0);
    // A port that is its segment's designated port says nothing about its peer by itself.
    expect(open.rstpInterSwitch.has(`${D3}:1`)).toBe(false);
  });
});

describe('factEvents', () => {
  it('emits segment.seen, vm.seen (new or changed), vm.gone and port.segments changes', () => {
    const one = inventoryFacts(inv([bridge('br', '00000000000000aa', [port('tap1', [iface('tap1', 5, 77, { vm: { vmUuid: 'vm-a' } })], { tag: 10 })])]));
    const e1 = factEvents(emptyFacts, one, 1);
    expect(e1.map((e) => e.type)).toEqual(['segment.seen', 'vm.seen', 'port.segments']);
    expect(factEvents(one, one, 2)).toEqual([]);
    const two = inventoryFacts(inv([bridge('br', '00000000000000aa', [port('tap1', [iface('tap1', 5, 77)], { tag: 20 })])]));
    expect(factEvents(one, two, 3)).toEqual([
      { type: 'segment.seen', at: 3, segment: { kind: 'vlan', id: 20, name: 'vlan-20' } },
      { type: 'vm.gone', at: 3, uuid: 'vm-a' },
      { type: 'port.segments', at: 3, port: { dpid: '00000000000000aa', portNo: 5 }, segments: [{ kind: 'vlan', id: 20 }] },
    ]);
    const none = inventoryFacts(inv([bridge('br', '00000000000000aa', [port('tap1', [iface('tap1', 5, 77)])])]));
    expect(factEvents(two, none, 4)).toEqual([{ type: 'port.segments', at: 4, port: { dpid: '00000000000000aa', portNo: 5 }, segments: [] }]);
  });
});
