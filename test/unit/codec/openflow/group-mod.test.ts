import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadAction, ErrType } from '../../../../src/codec/openflow/errors.js';
import type { Action } from '../../../../src/codec/openflow/actions.js';
import { GroupModCommand, GroupModFailed, GroupType, OFPG, type Bucket, type GroupModMessage } from '../../../../src/codec/openflow/group-mod.js';
import { ofpPrint } from '../../../support/ofp-print.js';
import { arbU32 as u32a, decodeError, decodeOrDecodeError, encodeError, itOvs, msg, msgRoundTrip as roundTrip, u16, u32, zeros } from './msg-helpers.js';

const GROUP_MOD = 15;
const ANY = 0xffffffff;

const output = (port: number): Action => ({ type: 'output', port, maxLen: 0xffff });
const outputBytes = (port: number): number[] => [...u16(0), ...u16(16), ...u32(port), ...u16(0xffff), ...zeros(6)];

const selectGroup: GroupModMessage = {
  type: 'GROUP_MOD',
  xid: 0x12345678,
  command: GroupModCommand.ADD,
  groupType: GroupType.SELECT,
  groupId: 7,
  buckets: [
    { weight: 10, watchPort: ANY, watchGroup: OFPG.ANY, actions: [output(2)] },
    { weight: 20, watchPort: ANY, watchGroup: OFPG.ANY, actions: [output(3)] },
  ],
};
const selectGroupBytes = msg(GROUP_MOD, [
  ...u16(0), 1, 0, ...u32(7),
  ...u16(32), ...u16(10), ...u32(ANY), ...u32(ANY), ...zeros(4), ...outputBytes(2),
  ...u16(32), ...u16(20), ...u32(ANY), ...u32(ANY), ...zeros(4), ...outputBytes(3),
]);

describe('GROUP_MOD', () => {
  it('encodes the spec layout and round-trips byte-exactly', () => {
    roundTrip(selectGroup, selectGroupBytes);
    expect(decode(selectGroupBytes)).toEqual(selectGroup);
  });

  it('round-trips fast-failover, indirect with an empty bucket, and a bucketless DELETE', () => {
    roundTrip({
      type: 'GROUP_MOD',
      xid: 1,
      command: GroupModCommand.ADD,
      groupType: GroupType.FF,
      groupId: 8,
      buckets: [
        { weight: 0, watchPort: 1, watchGroup: OFPG.ANY, actions: [output(1)] },
        { weight: 0, watchPort: 2, watchGroup: OFPG.ANY, actions: [output(2)] },
      ],
    });
    roundTrip({ type: 'GROUP_MOD', xid: 2, command: GroupModCommand.ADD, groupType: GroupType.INDIRECT, groupId: 1, buckets: [{ weight: 0, watchPort: ANY, watchGroup: ANY, actions: [] }] });
    roundTrip({ type: 'GROUP_MOD', xid: 3, command: GroupModCommand.DELETE, groupType: GroupType.ALL, groupId: OFPG.ALL, buckets: [] });
  });

  itOvs('is read by ovs-ofctl as intended', () => {
    expect(ofpPrint(encode(selectGroup))).toContain(
      'ADD group_id=7,type=select,bucket=weight:10,actions=output:2,bucket=weight:20,actions=output:3',
    );
    const ff = ofpPrint(
      encode({
        type: 'GROUP_MOD',
        xid: 1,
        command: GroupModCommand.MODIFY,
        groupType: GroupType.FF,
        groupId: 8,
        buckets: [
          { weight: 0, watchPort: 1, watchGroup: OFPG.ANY, actions: [output(1)] },
          { weight: 0, watchPort: ANY, watchGroup: 9, actions: [{ type: 'group', groupId: 9 }] },
        ],
      }),
    );
    expect(ff).toContain('MOD group_id=8,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_group:9,actions=group:9');
    const all = ofpPrint(
      encode({
        type: 'GROUP_MOD',
        xid: 1,
        command: GroupModCommand.ADD,
        groupType: GroupType.ALL,
        groupId: 3,
        buckets: [{ weight: 0, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'push_vlan', ethertype: 0x8100 }, output(4)] }],
      }),
    );
    expect(all).toContain('ADD group_id=3,type=all,bucket=actions=push_vlan:0x8100,output:4');
    const del = ofpPrint(encode({ type: 'GROUP_MOD', xid: 3, command: GroupModCommand.DELETE, groupType: GroupType.ALL, groupId: OFPG.ALL, buckets: [] }));
    expect(del).toMatch(/DEL group_id=(all|4294967292),type=all/);
  });

  describe('malformed input', () => {
    const header = [...u16(0), 0, 0, ...u32(1)];
    it('rejects a body shorter than ofp_group_mod with BAD_REQUEST/BAD_LEN', () => {
      const e = decodeError(msg(GROUP_MOD, [0, 0, 0, 0]));
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, 6]);
    });
    it('rejects bucket lengths below 16 (including 0), past the end, or a truncated bucket with BAD_BUCKET', () => {
      for (const bucket of [
        [...u16(0), ...u16(0), ...u32(ANY), ...u32(ANY), ...zeros(4)],
        [...u16(8), ...u16(0), ...u32(ANY), ...u32(ANY), ...zeros(4)],
        [...u16(48), ...u16(0), ...u32(ANY), ...u32(ANY), ...zeros(4), ...outputBytes(1)],
        [...u16(16), ...u16(0), ...u32(ANY)],
      ]) {
        const e = decodeError(msg(GROUP_MOD, [...header, ...bucket]));
        expect([e.errType, e.errCode]).toEqual([ErrType.GROUP_MOD_FAILED, GroupModFailed.BAD_BUCKET]);
      }
    });
    it('reports an action overrunning its bucket as BAD_ACTION/BAD_LEN', () => {
      const bucket = [...u16(24), ...u16(0), ...u32(ANY), ...u32(ANY), ...zeros(4), ...u16(0), ...u16(16), ...u32(1)];
      const e = decodeError(msg(GROUP_MOD, [...header, ...bucket]));
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_ACTION, BadAction.BAD_LEN]);
    });
    it('reports an unknown action type as BAD_ACTION/BAD_TYPE', () => {
      const bucket = [...u16(24), ...u16(0), ...u32(ANY), ...u32(ANY), ...zeros(4), ...u16(99), ...u16(8), ...zeros(4)];
      const e = decodeError(msg(GROUP_MOD, [...header, ...bucket]));
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_ACTION, BadAction.BAD_TYPE]);
    });
  });

  it('validates values on encode, naming the path', () => {
    expect(encodeError({ ...selectGroup, command: 0x10000 }).path).toBe('command');
    expect(encodeError({ ...selectGroup, groupType: 256 }).path).toBe('groupType');
    expect(encodeError({ ...selectGroup, groupId: -1 }).path).toBe('groupId');
    expect(encodeError({ ...selectGroup, buckets: [{ weight: 70000, watchPort: ANY, watchGroup: ANY, actions: [] }] }).path).toBe('buckets[0].weight');
    expect(encodeError({ ...selectGroup, buckets: [{ weight: 0, watchPort: ANY, watchGroup: ANY }] }).path).toBe('buckets[0].actions');
    expect(encodeError({ ...selectGroup, buckets: [{ weight: 0, watchPort: ANY, watchGroup: ANY, actions: [output(-5)] }] }).path).toMatch(/^buckets\[0\]\.actions\[0\]/);
  });

  describe('properties', () => {
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ type: fc.constant('output' as const), port: u32a, maxLen: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ type: fc.constant('group' as const), groupId: u32a }),
      fc.record({ type: fc.constant('push_vlan' as const), ethertype: fc.constantFrom(0x8100, 0x88a8) }),
      fc.constant({ type: 'pop_vlan' as const }),
      fc.record({ type: fc.constant('set_queue' as const), queueId: u32a }),
    );
    const bucket: fc.Arbitrary<Bucket> = fc.record({
      weight: fc.integer({ min: 0, max: 0xffff }),
      watchPort: u32a,
      watchGroup: u32a,
      actions: fc.array(action, { maxLength: 4 }),
    });
    const groupMod: fc.Arbitrary<GroupModMessage> = fc.record({
      type: fc.constant('GROUP_MOD' as const),
      xid: u32a,
      command: fc.integer({ min: 0, max: 0xffff }),
      groupType: fc.integer({ min: 0, max: 0xff }),
      groupId: u32a,
      buckets: fc.array(bucket, { maxLength: 4 }),
    });
    it('round-trips generated messages', () => {
      fc.assert(fc.property(groupMod, (m) => void roundTrip(m)));
    });
    it('throws only OfpDecodeError on arbitrary bodies', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 96 }), (body) => {
          decodeOrDecodeError(msg(GROUP_MOD, Array.from(body)));
        }),
      );
    });
    it('throws only OfpDecodeError on mutated valid messages', () => {
      fc.assert(
        fc.property(fc.integer({ min: 8, max: selectGroupBytes.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, v) => {
          const b = selectGroupBytes.slice();
          b[i] = v;
          decodeOrDecodeError(b);
        }),
      );
    });
  });
});
