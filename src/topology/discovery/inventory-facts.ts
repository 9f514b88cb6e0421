/**
 * What topology discovery takes from the OVSDB inventory (pure: an Inventory in, facts and events out):
 *  - ports by ifindex (sFlow samples name their input port by the kernel ifindex, not the OpenFlow port);
 *  - each port's access VLAN (host sightings on a tagged access port carry it);
 *  - VMs (Interface external_ids vm-uuid / vm-id, iface-id, attached-mac) -> vm.seen / vm.gone;
 *  - segments: access VLANs (Port.tag) and VXLAN VNIs (Interface options:key) -> segment.seen, and each
 *    port's segment set -> port.segments;
 *  - RSTP (Port/Bridge rstp_status): a port whose designated bridge is another bridge has a switch behind
 *    it; a port RSTP holds Discarding (Alternate/Backup) is a link LLDP cannot cross (OVS drops every frame
 *    to and from it), so its link to the designated bridge's designated port is given here (both
 *    directions), for the link tracker to pin.
 * Interfaces of bridges without a datapath id yet, and without an ofport, are left out.
 */
import type { Inventory, InventoryBridge, InventoryInterface, InventoryPort } from '../../southbound/ovsdb/inventory.js';
import type { Dpid, PortRef, PortSegments, SegmentInfo, SegmentRef, TopologyEvent, VmInfo } from '../model.js';
import { portKey, segmentKey } from '../model.js';

export interface RstpLink {
  src: PortRef;
  dst: PortRef;
}

export interface InventoryFacts {
  byIfindex: ReadonlyMap<number, PortRef>;
  /** portKey -> access VLAN (Port.tag). */
  accessVlan: ReadonlyMap<string, number>;
  /** dpid -> bridge name. */
  bridgeNames: ReadonlyMap<Dpid, string>;
  /** uuid -> VM. */
  vms: ReadonlyMap<string, VmInfo>;
  /** segmentKey -> segment. */
  segments: ReadonlyMap<string, SegmentInfo>;
  /** portKey -> the port's segments (only ports in at least one). */
  portSegments: ReadonlyMap<string, PortSegments>;
  /** portKey -> port: ports with another bridge behind them according to RSTP. */
  rstpInterSwitch: ReadonlyMap<string, PortRef>;
  /** linkKey -> directed link across a port RSTP holds blocked. */
  rstpBlockedLinks: ReadonlyMap<string, RstpLink>;
}

export const emptyFacts: InventoryFacts = {
  byIfindex: new Map(),
  accessVlan: new Map(),
  bridgeNames: new Map(),
  vms: new Map(),
  segments: new Map(),
  portSegments: new Map(),
  rstpInterSwitch: new Map(),
  rstpBlockedLinks: new Map(),
};

function dpidOfBridge(b: InventoryBridge): Dpid | null {
  const d = b.datapathId;
  if (d === null || !/^(0x)?[0-9a-fA-F]{1,16}$/.test(d)) return null;
  return d.replace(/^0x/i, '').toLowerCase().padStart(16, '0');
}

function portOfIface(dpid: Dpid, iface: InventoryInterface): PortRef | null {
  return iface.ofport === null ? null : { dpid, portNo: iface.ofport };
}

/** The OpenFlow port of an OVSDB port (its first interface with an ofport; bonds have several). */
function portRefOf(dpid: Dpid, port: InventoryPort): PortRef | null {
  for (const i of port.interfaces) {
    const r = portOfIface(dpid, i);
    if (r) return r;
  }
  return null;
}

const lk = (l: RstpLink): string => `${portKey(l.src)}>${portKey(l.dst)}`;

export function inventoryFacts(inv: Inventory): InventoryFacts {
  const byIfindex = new Map<number, PortRef>();
  const accessVlan = new Map<string, number>();
  const bridgeNames = new Map<Dpid, string>();
  const vms = new Map<string, VmInfo>();
  const segments = new Map<string, SegmentInfo>();
  const portSegments = new Map<string, PortSegments>();
  const rstpInterSwitch = new Map<string, PortRef>();
  const rstpBlockedLinks = new Map<string, RstpLink>();
  // RSTP port ids are per bridge: (bridge id, port id) -> port.
  const rstpPorts = new Map<string, PortRef>();

  for (const b of inv.bridges) {
    const dpid = dpidOfBridge(b);
    if (dpid === null) continue;
    bridgeNames.set(dpid, b.name);
    for (const p of b.ports) {
      const ref = portRefOf(dpid, p);
      for (const i of p.interfaces) {
        const r = portOfIface(dpid, i);
        if (r && i.ifindex !== null) byIfindex.set(i.ifindex, r);
        const vmId = i.vm?.vmUuid ?? i.vm?.vmId;
        if (vmId !== undefined && !vms.has(vmId)) {
          vms.set(vmId, {
            uuid: vmId,
            name: i.externalIds['vm-name'] ?? null,
            ifaceId: i.vm?.ifaceId ?? null,
            mac: i.vm?.attachedMac ?? null,
            port: r,
            bridge: b.name,
            interfaceName: i.name,
          });
        }
      }
      if (!ref) continue;
      const segs: SegmentRef[] = [];
      if (p.tag !== null && p.tag > 0) {
        accessVlan.set(portKey(ref), p.tag);
        segs.push({ kind: 'vlan', id: p.tag });
      }
      for (const i of p.interfaces) {
        const key = i.options.key;
        if (i.type === 'vxlan' && key !== undefined && /^\d+$/.test(key)) segs.push({ kind: 'vni', id: Number(key) });
      }
      for (const s of segs) segments.set(segmentKey(s), { kind: s.kind, id: s.id, name: `${s.kind}-${s.id}` });
      if (segs.length > 0) portSegments.set(portKey(ref), { port: ref, segments: segs });
      if (p.rstp && b.rstpBridgeId !== null) rstpPorts.set(`${b.rstpBridgeId}/${p.rstp.portId}`, ref);
    }
  }

  for (const b of inv.bridges) {
    const dpid = dpidOfBridge(b);
    if (dpid === null || b.rstpBridgeId === null) continue;
    for (const p of b.ports) {
      const r = p.rstp;
      const ref = portRefOf(dpid, p);
      if (!r || !ref || r.role === 'Disabled' || r.designatedBridgeId === '' || r.designatedBridgeId === b.rstpBridgeId) continue;
      const peer = rstpPorts.get(`${r.designatedBridgeId}/${r.designatedPortId}`);
      rstpInterSwitch.set(portKey(ref), ref);
      if (!peer) continue; // the designated bridge is not in this inventory
      rstpInterSwitch.set(portKey(peer), peer);
      if ((r.role === 'Alternate' || r.role === 'Backup') && r.state === 'Discarding') {
        for (const l of [{ src: ref, dst: peer }, { src: peer, dst: ref }]) rstpBlockedLinks.set(lk(l), l);
      }
    }
  }
  return { byIfindex, accessVlan, bridgeNames, vms, segments, portSegments, rstpInterSwitch, rstpBlockedLinks };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** vm.seen / vm.gone / segment.seen / port.segments that take the topology from `prev`'s facts to `next`'s. */
export function factEvents(prev: InventoryFacts, next: InventoryFacts, at: number): TopologyEvent[] {
  const out: TopologyEvent[] = [];
  for (const [k, s] of next.segments) if (!prev.segments.has(k)) out.push({ type: 'segment.seen', at, segment: { ...s } });
  for (const [uuid, vm] of next.vms) {
    const old = prev.vms.get(uuid);
    if (!old || !sameJson(old, vm)) out.push({ type: 'vm.seen', at, vm: { ...vm, port: vm.port ? { ...vm.port } : null } });
  }
  for (const uuid of prev.vms.keys()) if (!next.vms.has(uuid)) out.push({ type: 'vm.gone', at, uuid });
  for (const [k, ps] of next.portSegments) {
    const old = prev.portSegments.get(k);
    if (!old || !sameJson(old.segments, ps.segments)) out.push({ type: 'port.segments', at, port: { ...ps.port }, segments: ps.segments.map((s) => ({ ...s })) });
  }
  for (const [k, ps] of prev.portSegments) if (!next.portSegments.has(k)) out.push({ type: 'port.segments', at, port: { ...ps.port }, segments: [] });
  return out;
}
