/** Real Open vSwitch helpers for integration tests: bridges this test run creates, and the oracles. */
import { execFileSync } from 'node:child_process';

export function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function vsctl(...args: string[]): string {
  return sh('ovs-vsctl', ['--timeout=10', ...args]);
}

export function ofctl(...args: string[]): string {
  return sh('ovs-ofctl', ['-O', 'OpenFlow13', ...args]);
}

export function ovsRunning(): boolean {
  try {
    vsctl('show');
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a userspace bridge owned by this test (marked in external_ids) after removing a leftover of
 * the same name that an earlier run of ours left behind. Refuses to touch a bridge we did not create.
 */
export function createTestBridge(name: string, dpid: bigint, controller?: string): void {
  const existing = vsctl('list-br').split('\n');
  if (existing.includes(name)) {
    const mark = vsctl('get', 'bridge', name, 'external_ids:vigil-test').trim();
    if (mark !== '"1"' && mark !== '1') throw new Error(`bridge ${name} exists and was not created by Vigil's tests`);
    vsctl('del-br', name);
  }
  vsctl(
    'add-br', name,
    '--', 'set', 'bridge', name, 'datapath_type=netdev', 'protocols=OpenFlow13,OpenFlow15', 'fail_mode=secure',
    `other_config:datapath-id=${dpid.toString(16).padStart(16, '0')}`, 'external_ids:vigil-test=1',
  );
  if (controller) vsctl('set-controller', name, controller);
}

export function deleteTestBridge(name: string): void {
  try {
    if (vsctl('list-br').split('\n').includes(name)) vsctl('del-br', name);
  } catch {
    /* already gone */
  }
}

export interface DumpedFlow {
  cookie: bigint;
  table: number;
  priority: number;
  match: string;
  actions: string;
  nPackets: number;
}

/** `ovs-ofctl dump-flows` parsed: what the switch really holds. */
export function dumpFlows(bridge: string): DumpedFlow[] {
  const out = ofctl('dump-flows', bridge);
  const flows: DumpedFlow[] = [];
  for (const line of out.split('\n')) {
    const m = /cookie=(0x[0-9a-f]+).*?table=(\d+).*?n_packets=(\d+).*?(?:priority=(\d+))?,?([^ ]*) actions=(.*)$/.exec(line.trim());
    if (!m) continue;
    const prio = /priority=(\d+)/.exec(line);
    const matchPart = line.trim().split(' actions=')[0]!.split(' ').pop() ?? '';
    flows.push({
      cookie: BigInt(m[1]!),
      table: Number(m[2]),
      priority: prio ? Number(prio[1]) : 32768,
      match: matchPart.replace(/^priority=\d+,?/, ''),
      actions: m[6]!,
      nPackets: Number(m[3]),
    });
  }
  return flows;
}

/**
 * Removes a test's network: its bridge (only if marked external_ids:vigil-test=1, i.e. ours), then the
 * network namespaces and veth links it created. Anything already gone is fine.
 */
export function removeTestNetwork(net: { bridge: string; namespaces: readonly string[]; links: readonly string[] }): void {
  try {
    if (vsctl('list-br').split('\n').includes(net.bridge)) {
      const mark = vsctl('get', 'bridge', net.bridge, 'external_ids:vigil-test').trim();
      if (mark === '"1"' || mark === '1') vsctl('del-br', net.bridge);
    }
  } catch {
    /* gone */
  }
  for (const n of net.namespaces) {
    try {
      sh('ip', ['netns', 'del', n]);
    } catch {
      /* gone */
    }
  }
  for (const l of net.links) {
    try {
      sh('ip', ['link', 'del', l]);
    } catch {
      /* gone with its namespace peer */
    }
  }
}
