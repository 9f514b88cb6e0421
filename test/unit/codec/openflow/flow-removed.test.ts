/** OFPT_FLOW_REMOVED (OpenFlow 1.3.5 §7.4.2). */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encode } from '../../../../src/codec/openflow/codec.js';
import { BadMatch, BadRequest, ErrType } from '../../../../src/codec/openflow/errors.js';
import { FlowRemovedReason, type FlowRemovedMessage } from '../../../../src/codec/openflow/flow-removed.js';
import { arbU16 as u16, arbU32 as u32, bytesRoundTrip, decodeOrDecodeError, expectDecodeError, expectEncodeError, itOvs, msgRoundTrip, ovs, toHex, withLength } from './msg-helpers.js';

const fr: FlowRemovedMessage = {
  type: 'FLOW_REMOVED',
  xid: 0,
  cookie: 0x1234n,
  priority: 100,
  reason: FlowRemovedReason.IDLE_TIMEOUT,
  tableId: 0,
  durationSec: 5,
  durationNsec: 500_000_000,
  idleTimeout: 10,
  hardTimeout: 0,
  packetCount: 3n,
  byteCount: 180n,
  match: [
    { field: 'in_port', value: 1 },
    { field: 'eth_dst', value: 'aa:bb:cc:dd:ee:ff' },
  ],
};

suite('FLOW_REMOVED', () => {
  it('has the spec layout and round-trips both ways', () => {
    const b = msgRoundTrip(fr);
    expect(toHex(b.subarray(0, 48))).toBe(
      '040b0048' + '00000000' + '0000000000001234' + '0064' + '00' + '00' + '00000005' + '1dcd6500' + '000a' + '0000' + '0000000000000003' + '00000000000000b4',
    );
    bytesRoundTrip(b);
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode(fr))).toBe(
      'OFPT_FLOW_REMOVED (OF1.3) (xid=0x0): priority=100,in_port=1,dl_dst=aa:bb:cc:dd:ee:ff reason=idle table_id=0 cookie:0x1234 duration5.500s idle10 pkts3 bytes180',
    );
    const del = ovs(
      encode({ ...fr, reason: FlowRemovedReason.DELETE, tableId: 3, hardTimeout: 60, packetCount: 0xffffffffffn, match: [{ field: 'eth_type', value: 0x0800 }, { field: 'ipv4_dst', value: '10.1.2.3' }] }),
    );
    expect(del).toBe('OFPT_FLOW_REMOVED (OF1.3) (xid=0x0): priority=100,ip,nw_dst=10.1.2.3 reason=delete table_id=3 cookie:0x1234 duration5.500s idle10 hard60 pkts1099511627775 bytes180');
    expect(ovs(encode({ ...fr, reason: FlowRemovedReason.GROUP_DELETE }))).toContain('reason=group_delete');
    expect(ovs(encode({ ...fr, reason: FlowRemovedReason.HARD_TIMEOUT }))).toContain('reason=hard');
  });
  it('rejects malformed messages', () => {
    const b = encode(fr);
    expectDecodeError(withLength(b.slice(0, 47)), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectDecodeError(withLength(b.slice(0, 48)), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
    expectDecodeError(withLength(b.slice(0, b.length - 2)), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
    const extra = new Uint8Array(b.length + 8);
    extra.set(b);
    expectDecodeError(withLength(extra), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates on encode', () => {
    expectEncodeError({ ...fr, packetCount: -1n }, 'packetCount');
    expectEncodeError({ ...fr, byteCount: 5 }, 'byteCount');
    expectEncodeError({ ...fr, durationNsec: -5 }, 'durationNsec');
    expectEncodeError({ ...fr, reason: 300 }, 'reason');
  });
  it('property: round-trips', () => {
    fc.assert(
      fc.property(fc.bigUintN(64), u16, fc.integer({ min: 0, max: 255 }), u32, u32, u16, fc.bigUintN(64), fc.bigUintN(64), (cookie, priority, reason, ds, dn, idle, pc, bc) => {
        msgRoundTrip({ ...fr, cookie, priority, reason, durationSec: ds, durationNsec: dn, idleTimeout: idle, packetCount: pc, byteCount: bc });
      }),
    );
  });
  it('corrupted bytes fail only with OfpDecodeError', () => {
    const seed = encode(fr);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (at, v, cut) => {
        const b = seed.slice(0, 8 + (cut % (seed.length - 7)));
        if (b.length > 8) b[8 + (at % (b.length - 8))] = v;
        decodeOrDecodeError(withLength(b));
      }),
      { numRuns: 2000 },
    );
  });
});
