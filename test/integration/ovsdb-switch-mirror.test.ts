/**
 * Vigil's port mirrors on the real Open vSwitch: the Mirror row exactly as ovs-vsctl shows it, and OVS
 * really mirroring. Bridge vgtest-sw5 (standalone, so it switches by itself) has three veth ports into
 * network namespaces this test creates: vgsw-a (10.213.0.1) pings vgsw-b (10.213.0.2), vgsw-m is the mirror
 * output where tcpdump (bounded by -c and a timeout) counts the copies. Everything stays inside the
 * namespaces and the bridge, which has no uplink; all is removed in finally.
 */
import { OvsdbClient } from '../../src/southbound/ovsdb/client.js';
import { bridgeByName } from '../../src/southbound/ovsdb/inventory.js';
import { SwitchConflictError } from '../../src/southbound/ovsdb/switch-errors.js';
import { SwitchManager } from '../../src/southbound/ovsdb/switch-manager.js';
import { ofctl, ovsRunning, vsctl } from '../support/ovs.js';
import { within } from './ovsdb-support.js';
import { createOurBridge, inventoryWhere, NetnsPort, REMOTE, removeOurBridge, vsget } from './ovsdb-switch-support.js';

const BR = 'vgtest-sw5';
const MIRROR = 'vgsw5-mirror';

const available = ovsRunning();
const d = available ? describe : describe.skip;

d('Vigil mirrors on Open vSwitch', () => {
  let client: OvsdbClient;
  let manager: SwitchManager;
  const a = new NetnsPort('a', '10.213.0.1/24');
  const b = new NetnsPort('b', '10.213.0.2/24');
  const m = new NetnsPort('m', '10.213.0.3/24');
  const portUuid = (name: string): string => vsget('port', name, '_uuid');
  const mirrorOf = (): string => vsget('bridge', BR, 'mirrors').replace(/[[\]]/g, '');
  let revalidations = 0;

  beforeAll(async () => {
    removeOurBridge(BR);
    createOurBridge(BR, 'fail_mode=standalone');
    for (const p of [a, b, m]) p.create(BR);
    client = new OvsdbClient({ remote: REMOTE });
    await client.connect();
    manager = await SwitchManager.open(client);
    await inventoryWhere(manager.inventory$, (inv) => bridgeByName(inv, BR)?.ports.length === 4, 3000, 'the ports');
    await within(5000, () => [a, b, m].every((p) => vsget('interface', p.hostIf, 'ofport') !== '[]'), 'ofports');
    // The bridge forwards: a reaches b (learning switch) before any mirror exists.
    expect(a.ping('10.213.0.2', 2)).toBe(2);
  });

  afterAll(async () => {
    await manager?.close();
    await client?.close();
    for (const p of [a, b, m]) p.dispose();
    removeOurBridge(BR);
  });

  /**
   * Echo requests from a to b seen on the mirror output while a pings b `n` times, after a change that
   * ovs-vswitchd reported applied (cur_cfg).
   *
   * OVS 3.1 applies a Mirror change to new datapath flows only: a flow already cached in the userspace
   * datapath (a->b is, from the pings before) keeps its old actions until it idles out or the flows are
   * revalidated, which a change to OpenFlow tables triggers (the same was reported against kube-ovn, issue
   * 2801). So before the traffic we add a no-op flow to an unused table of our own bridge and give the
   * revalidators a moment: what is measured is then the mirror configuration, not the flow cache.
   */
  async function mirroredRequests(n: number): Promise<number> {
    revalidations++;
    ofctl('add-flow', BR, `table=200,priority=${revalidations},actions=drop`);
    await new Promise((r) => setTimeout(r, 300));
    const done = await m.capture('icmp[icmptype] == icmp-echo and src host 10.213.0.1', n, 4);
    expect(a.ping('10.213.0.2', n)).toBe(n); // mirroring never disturbs the traffic itself
    return (await done()).length;
  }

  it('creates the mirror row exactly as requested (ovs-vsctl), and OVS copies a\'s packets to the output port', async () => {
    const r = await manager.setMirror(BR, { name: MIRROR, selectSrcPorts: [a.hostIf], outputPort: m.hostIf });
    expect(r.plan.changes).toEqual([`create mirror ${MIRROR}: from [${a.hostIf}] -> port ${m.hostIf}`]);
    expect(r.applied).toBe(true); // ovs-vswitchd runs the new configuration
    const id = mirrorOf();
    expect(vsget('mirror', id, 'name')).toBe(MIRROR);
    expect(vsget('mirror', id, 'select_all')).toBe('false');
    expect(vsget('mirror', id, 'select_src_port')).toBe(`[${portUuid(a.hostIf)}]`);
    expect(vsget('mirror', id, 'select_dst_port')).toBe('[]');
    expect(vsget('mirror', id, 'select_vlan')).toBe('[]');
    expect(vsget('mirror', id, 'output_port')).toBe(portUuid(m.hostIf));
    expect(vsget('mirror', id, 'output_vlan')).toBe('[]');
    expect(vsget('mirror', id, 'external_ids')).toBe('{vigil-owner=vigil}');
    expect(await mirroredRequests(3)).toBe(3);
    // The mirror's own counters (ovs-vswitchd refreshes them every few seconds) count the copies too.
    const txPackets = (): number => Number(/tx_packets=(\d+)/.exec(vsget('mirror', id, 'statistics'))?.[1] ?? 0);
    await within(12_000, () => txPackets() >= 3, 'mirror tx_packets');
    expect((await manager.setMirror(BR, { name: MIRROR, selectSrcPorts: [a.hostIf], outputPort: m.hostIf })).changed).toBe(false);
    expect(mirrorOf()).toBe(id); // still one row
  });

  it('updates the selection in place: selecting b\'s packets only, a\'s requests are no longer copied', async () => {
    const id = mirrorOf();
    const r = await manager.setMirror(BR, { name: MIRROR, selectSrcPorts: [b.hostIf], selectDstPorts: [b.hostIf], selectVlans: [0], outputPort: m.hostIf });
    expect(r.plan.changes).toEqual([`update mirror ${MIRROR}: select_src_port, select_dst_port, select_vlan (from [${b.hostIf}] to [${b.hostIf}] on VLAN [0] -> port ${m.hostIf})`]);
    expect(r.applied).toBe(true);
    expect(mirrorOf()).toBe(id);
    expect([vsget('mirror', id, 'select_src_port'), vsget('mirror', id, 'select_dst_port'), vsget('mirror', id, 'select_vlan')]).toEqual([
      `[${portUuid(b.hostIf)}]`,
      `[${portUuid(b.hostIf)}]`,
      '[0]',
    ]);
    // Requests from a now reach the mirror only as packets sent to b (select_dst_port; untagged is VLAN 0).
    expect(await mirroredRequests(2)).toBe(2);
    await manager.setMirror(BR, { name: MIRROR, selectSrcPorts: [b.hostIf], outputPort: m.hostIf });
    expect(vsget('mirror', id, 'select_dst_port')).toBe('[]');
    expect(await mirroredRequests(2)).toBe(0);
  });

  it('refuses to touch a mirror of the same name it did not create', async () => {
    vsctl('--', '--id=@p', 'get', 'port', m.hostIf, '--', '--id=@x', 'create', 'mirror', 'name=vgsw5-ops', 'select_all=true', 'output_port=@p', '--', 'add', 'bridge', BR, 'mirrors', '@x');
    await inventoryWhere(manager.inventory$, (inv) => bridgeByName(inv, BR)!.mirrors.length === 2, 1000, 'the foreign mirror');
    await expect(manager.setMirror(BR, { name: 'vgsw5-ops', selectAll: true, outputPort: m.hostIf })).rejects.toThrow(SwitchConflictError);
    await expect(manager.deleteMirror(BR, 'vgsw5-ops')).rejects.toThrow(/that Vigil did not create/);
    vsctl('--', '--id=@x', 'get', 'mirror', 'vgsw5-ops', '--', 'remove', 'bridge', BR, 'mirrors', '@x');
  });

  it('deletes the mirror: the row is gone and nothing is copied any more', async () => {
    await manager.setMirror(BR, { name: MIRROR, selectAll: true, outputPort: m.hostIf });
    expect(await mirroredRequests(2)).toBe(2);
    const id = mirrorOf();
    const r = await manager.deleteMirror(BR, MIRROR);
    expect(r.plan.changes).toEqual([`delete mirror ${MIRROR}`]);
    expect(r.applied).toBe(true);
    expect(vsget('bridge', BR, 'mirrors')).toBe('[]');
    expect(() => vsctl('get', 'mirror', id, 'name')).toThrow(/no row/);
    expect(await mirroredRequests(2)).toBe(0);
    expect((await manager.deleteMirror(BR, MIRROR)).changed).toBe(false);
  });
});
