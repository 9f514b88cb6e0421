/**
 * The pipeline as data: tables chain forward, the base rules with and without host punting, the meter they
 * use, the learned-rule builders — and OVS's own reading of the flow-mods (ofp-print oracle).
 */
import { encode } from '../../../../src/codec/openflow/codec.js';
import { parseCookie } from '../../../../src/southbound/openflow/cookies.js';
import { addFlowMod, ruleKey } from '../../../../src/southbound/openflow/flow-rule.js';
import { basePipelineMeters, basePipelineRules, isHostPuntCookie, PIPELINE, PipelineMeter, pipelineProblems, Priority, Table } from '../../../../src/southbound/openflow/tables.js';
import { hostRule, transitRule } from '../../../../src/topology/discovery/host-rules.js';
import { haveOvsOfctl, ofpPrint } from '../../../support/ofp-print.js';

const print = (r: Parameters<typeof addFlowMod>[0]): string => ofpPrint(encode({ ...addFlowMod(r), xid: 1 } as never)).replace(/\s+/g, ' ').replace(/ cookie:0x[0-9a-f]+/, '');
const itOvs = haveOvsOfctl() ? it : it.skip;

describe('pipeline tables', () => {
  it('chain forward: each table names the next, the last ends the pipeline; four tables are needed', () => {
    PIPELINE.forEach((t, i) => {
      expect(t.id).toBe(i);
      expect(t.next).toBe(i + 1 < PIPELINE.length ? i + 1 : null);
    });
    expect(pipelineProblems({ nTables: 3 })).toHaveLength(1);
    expect(pipelineProblems({ nTables: 254 })).toEqual([]);
  });

  it('base rules with host punting: table 2 forwards with NORMAL then continues to the metered copy table', () => {
    const rules = basePipelineRules();
    expect(new Set(rules.map(ruleKey)).size).toBe(rules.length);
    const t2 = rules.filter((r) => r.tableId === Table.FORWARD);
    expect(t2.map((r) => [r.priority, r.match.map((m) => `${m.field}=${String((m as { value: unknown }).value)}`).join(',')])).toEqual([
      [Priority.MISS, ''],
      [Priority.PUNT_ALWAYS, 'eth_type=2054'],
      [Priority.PUNT_ALWAYS, 'eth_type=34525,ip_proto=58,icmpv6_type=135'],
      [Priority.PUNT_ALWAYS, 'eth_type=34525,ip_proto=58,icmpv6_type=136'],
      [Priority.PUNT_FIRST, 'eth_type=2048'],
      [Priority.PUNT_FIRST, 'eth_type=34525'],
    ]);
    for (const r of t2.slice(1)) {
      expect(r.instructions).toEqual([{ type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffa, maxLen: 0 }] }, { type: 'goto_table', tableId: Table.PUNT }]);
      expect(parseCookie(r.cookie)?.kindName).toBe('discovery');
    }
    const miss3 = rules.find((r) => r.tableId === Table.PUNT && r.priority === 0)!;
    expect(miss3.instructions).toEqual([{ type: 'meter', meterId: PipelineMeter.HOST_PUNT }, { type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffd, maxLen: 128 }] }]);
    expect(isHostPuntCookie(miss3.cookie)).toBe(true);
    expect(basePipelineMeters()).toEqual([{ meterId: PipelineMeter.HOST_PUNT, unit: 'pktps', burst: true, stats: true, bands: [{ type: 'drop', rate: 200, burstSize: 200 }] }]);
    // Learned rules sit between the punt rules: transit above everything that copies, hosts above first-packet copies.
    expect(Priority.TRANSIT).toBeGreaterThan(Priority.PUNT_ALWAYS);
    expect(Priority.PUNT_ALWAYS).toBeGreaterThan(Priority.HOST);
    expect(Priority.HOST).toBeGreaterThan(Priority.PUNT_FIRST);
  });

  it('without host punting: no copy rules, no meter, table 3 drops', () => {
    const rules = basePipelineRules({ hostPunt: false });
    expect(rules.filter((r) => r.tableId === Table.FORWARD)).toHaveLength(1);
    expect(rules.find((r) => r.tableId === Table.PUNT)!.instructions).toEqual([]);
    expect(basePipelineMeters({ hostPunt: false })).toEqual([]);
    expect(basePipelineRules({ lldpToController: false, hostPunt: false }).some((r) => r.match.some((m) => m.field === 'eth_type' && (m as { value: unknown }).value === 0x88cc))).toBe(false);
  });

  it('learned rules: HOST (in_port + eth_src, idle timeout) and TRANSIT (in_port) in the forwarding table, own owner kinds', () => {
    const h = hostRule(3, '00:00:00:00:00:0b', 300);
    expect(h).toMatchObject({ tableId: 2, priority: Priority.HOST, idleTimeout: 300, match: [{ field: 'in_port', value: 3 }, { field: 'eth_src', value: '00:00:00:00:00:0b' }] });
    expect(parseCookie(h.cookie)).toMatchObject({ kindName: 'host', id: 0x0bn });
    const t = transitRule(1);
    expect(t).toMatchObject({ tableId: 2, priority: Priority.TRANSIT, match: [{ field: 'in_port', value: 1 }] });
    expect(parseCookie(t.cookie)).toMatchObject({ kindName: 'transit', id: 1n });
  });

  itOvs('OVS reads the punt, copy, host and transit flow-mods as intended', () => {
    const rules = basePipelineRules();
    expect(print(rules.find((r) => r.tableId === 2 && r.priority === Priority.PUNT_FIRST && (r.match[0] as { value?: unknown } | undefined)?.value === 0x0800)!)).toMatch(/table:2 priority=16,ip actions=NORMAL,goto_table:3/);
    expect(print(rules.find((r) => r.tableId === 2 && r.match.some((m) => m.field === 'icmpv6_type' && (m as { value: unknown }).value === 135))!)).toMatch(/priority=512,icmp6,icmp_type=135 actions=NORMAL,goto_table:3/);
    expect(print(rules.find((r) => r.tableId === 3)!)).toMatch(/table:3 priority=0 actions=meter:61441,CONTROLLER:128/);
    expect(print(hostRule(3, '00:00:00:00:00:0b', 300))).toMatch(/table:2 priority=256,in_port=3,dl_src=00:00:00:00:00:0b idle:300 actions=NORMAL/);
    expect(print(transitRule(1))).toMatch(/table:2 priority=768,in_port=1 actions=NORMAL/);
  });
});
