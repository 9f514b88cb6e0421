import fc from 'fast-check';
import { Reader, Writer } from '../../../../src/codec/openflow/buffer.js';
import { BadAction, ErrType, OfpDecodeError, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import {
  decodeAction,
  decodeActionIds,
  decodeActions,
  encodeAction,
  encodeActionIds,
  encodeActions,
  OFPCML_MAX,
  OFPCML_NO_BUFFER,
  OFPP,
  type Action,
  type ActionId,
} from '../../../../src/codec/openflow/actions.js';
import type { OxmField } from '../../../../src/codec/openflow/oxm.js';
import { ipv4ToString, ipv6ToString, macToString } from '../../../../src/codec/addr.js';
import { arbU16 as u16, arbU32 as u32, arbU8 as u8, decodeErr, encodeErr, fromHex, readWhole, toHex, written } from './msg-helpers.js';

const encList = (list: readonly Action[]): Uint8Array => written((w) => encodeActions(w, list));
const decList = (b: Uint8Array): Action[] => readWhole(b, decodeActions);

// Hand-made wire vectors for every action type (OpenFlow 1.3.5 §7.2.5).
const VECTORS: [string, Action][] = [
  ['0000 0010 00000001 ffff 000000000000', { type: 'output', port: 1, maxLen: OFPCML_NO_BUFFER }],
  ['0000 0010 fffffffd ffe5 000000000000', { type: 'output', port: OFPP.CONTROLLER, maxLen: OFPCML_MAX }],
  ['000b 0008 00000000', { type: 'copy_ttl_out' }],
  ['000c 0008 00000000', { type: 'copy_ttl_in' }],
  ['000f 0008 40 000000', { type: 'set_mpls_ttl', ttl: 64 }],
  ['0010 0008 00000000', { type: 'dec_mpls_ttl' }],
  ['0011 0008 8100 0000', { type: 'push_vlan', ethertype: 0x8100 }],
  ['0012 0008 00000000', { type: 'pop_vlan' }],
  ['0013 0008 8847 0000', { type: 'push_mpls', ethertype: 0x8847 }],
  ['0014 0008 0800 0000', { type: 'pop_mpls', ethertype: 0x0800 }],
  ['0015 0008 00000007', { type: 'set_queue', queueId: 7 }],
  ['0016 0008 0000000a', { type: 'group', groupId: 10 }],
  ['0017 0008 3f 000000', { type: 'set_nw_ttl', ttl: 63 }],
  ['0018 0008 00000000', { type: 'dec_nw_ttl' }],
  ['0019 0010 80000606 aabbccddeeff 0000', { type: 'set_field', field: { field: 'eth_dst', value: 'aa:bb:cc:dd:ee:ff' } }],
  ['0019 0010 80000c02 1005 000000000000', { type: 'set_field', field: { field: 'vlan_vid', value: 0x1005 } }],
  ['0019 0010 80001604 0a000001 00000000', { type: 'set_field', field: { field: 'ipv4_src', value: '10.0.0.1' } }],
  ['0019 0018 80003610 fe800000000000000000000000000001', { type: 'set_field', field: { field: 'ipv6_dst', value: 'fe80::1' } }],
  ['0019 0010 80004c08 0000000000000064', { type: 'set_field', field: { field: 'tunnel_id', value: 100n } }],
  ['0019 0010 00010004 0000002a 00000000', { type: 'set_field', field: { field: 'opaque', oxmClass: 1, fieldCode: 0, hasMask: false, payload: fromHex('0000002a') } }],
  ['001a 0008 88e7 0000', { type: 'push_pbb', ethertype: 0x88e7 }],
  ['001b 0008 00000000', { type: 'pop_pbb' }],
  ['ffff 0010 00002320 0026 000100000000', { type: 'experimenter', experimenter: 0x2320, data: fromHex('0026 000100000000') }],
  ['ffff 0008 00002320', { type: 'experimenter', experimenter: 0x2320, data: new Uint8Array(0) }],
];

describe('actions: wire vectors', () => {
  it.each(VECTORS.map(([h, a]) => [a.type, h, a] as const))('%s %s', (_t, h, a) => {
    const b = fromHex(h);
    expect(decList(b)).toStrictEqual([a]);
    expect(toHex(encList([a]))).toBe(toHex(b));
    const w = new Writer();
    encodeAction(w, a);
    expect(decodeAction(new Reader(w.toBytes()))).toStrictEqual(a);
  });

  it('covers every action type', () => {
    const types = new Set(VECTORS.map(([, a]) => a.type));
    expect(types.size).toBe(17);
  });

  it('decodes a list in order and round-trips it', () => {
    const list = VECTORS.map(([, a]) => a);
    const b = encList(list);
    expect(decList(b)).toStrictEqual(list);
    expect(toHex(encList(decList(b)))).toBe(toHex(b));
  });

  it('decodes an empty list', () => {
    expect(decList(new Uint8Array(0))).toEqual([]);
  });
});

describe('actions: malformed input', () => {
  const cases: [string, string, number, number][] = [
    ['zero length', '0000 0000 00000000', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['length 4 < 8', '0012 0004 00000000', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['length not a multiple of 8', '0000 000c 00000001 ffff0000', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['length past the list', '0000 0010 00000001 ffff', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['truncated header', '0000 00', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['output with length 8', '0000 0008 00000001', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['pop_vlan with length 16', '0012 0010 00000000 00000000', ErrType.BAD_ACTION, BadAction.BAD_LEN],
    ['unknown type 1 (OF1.0 set_vlan_vid)', '0001 0008 00000000', ErrType.BAD_ACTION, BadAction.BAD_TYPE],
    ['unknown type 28', '001c 0008 00000000', ErrType.BAD_ACTION, BadAction.BAD_TYPE],
    ['set_field with a masked OXM', '0019 0010 80000d04 10001000 00000000', ErrType.BAD_ACTION, BadAction.BAD_SET_ARGUMENT],
    ['set_field with an unknown basic field', '0019 0010 80005002 0000 000000000000', ErrType.BAD_ACTION, BadAction.BAD_SET_TYPE],
    ['set_field OXM length wrong for its field', '0019 0010 80001805 0a00000100 000000', ErrType.BAD_ACTION, BadAction.BAD_SET_LEN],
    ['set_field OXM past the action', '0019 0008 80001804', ErrType.BAD_ACTION, BadAction.BAD_SET_LEN],
    ['set_field with extra padding', '0019 0018 80000c02 1005 000000000000 0000000000000000', ErrType.BAD_ACTION, BadAction.BAD_SET_LEN],
  ];
  it.each(cases)('%s', (_n, h, type, code) => {
    const e = decodeErr(() => decList(fromHex(h)));
    expect([e.errType, e.errCode]).toEqual([type, code]);
  });

  it('arbitrary bytes never throw anything but OfpDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        try {
          decodeActions(new Reader(b));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpDecodeError);
        }
        try {
          decodeActionIds(new Reader(b));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('structured garbage (plausible headers) never throws anything but OfpDecodeError', () => {
    const hdr = fc.tuple(fc.constantFrom(0, 11, 15, 17, 19, 22, 25, 27, 0xffff, 3), fc.constantFrom(0, 4, 8, 12, 16, 24, 255), fc.uint8Array({ maxLength: 24 }));
    fc.assert(
      fc.property(fc.array(hdr, { maxLength: 4 }), (parts) => {
        const bytes: number[] = [];
        for (const [t, l, body] of parts) bytes.push(t >> 8, t & 0xff, l >> 8, l & 0xff, ...body);
        try {
          decodeActions(new Reader(Uint8Array.from(bytes)));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpDecodeError);
        }
      }),
    );
  });
});

describe('actions: encoder validation', () => {
  const bad: [Action, string, RegExp][] = [
    [{ type: 'output', port: 0x1_0000_0000, maxLen: 0 }, 'actions[0].port', /out of range/],
    [{ type: 'output', port: 1, maxLen: 0x10000 }, 'actions[0].maxLen', /out of range/],
    [{ type: 'set_nw_ttl', ttl: 256 }, 'actions[0].ttl', /out of range/],
    [{ type: 'push_vlan', ethertype: -1 }, 'actions[0].ethertype', /out of range/],
    [{ type: 'group', groupId: 1.5 }, 'actions[0].groupId', /out of range/],
    [{ type: 'set_field', field: { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.0.0.0' } }, 'actions[0].field.mask', /must not have a mask/],
    [{ type: 'set_field', field: { field: 'in_port', value: 1 } }, 'actions[0].field', /in_port cannot be set by set_field/],
    [{ type: 'set_field', field: { field: 'metadata', value: 1n } }, 'actions[0].field', /metadata cannot be set/],
    [{ type: 'set_field', field: { field: 'vlan_vid', value: 0x2000 } }, 'actions[0].field.value', /out of range/],
    [{ type: 'set_field', field: { field: 'eth_src', value: 'nope' } }, 'actions[0].field.value', /MAC address/],
    [{ type: 'experimenter', experimenter: 1, data: new Uint8Array(3) }, 'actions[0].data', /multiple of 8/],
    [{ type: 'bogus' } as unknown as Action, 'actions[0].type', /unknown action type/],
  ];
  it.each(bad.map(([a, p, re]) => [p, a, re] as const))('%s', (path, a, re) => {
    const e = encodeErr(() => encList([a]));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(re);
  });

  it('paths index into the list', () => {
    const e = encodeErr(() => encList([{ type: 'pop_vlan' }, { type: 'output', port: -1, maxLen: 0 }]));
    expect(e.path).toBe('actions[1].port');
  });
});

describe('actions: encoder robustness', () => {
  it('throws only OfpEncodeError for malformed action objects, and never writes garbage silently', () => {
    const types = VECTORS.map(([, a]) => a.type);
    const junk = fc.record(
      {
        type: fc.constantFrom(...types, 'nope'),
        port: fc.anything(),
        maxLen: fc.anything(),
        ttl: fc.anything(),
        ethertype: fc.anything(),
        queueId: fc.anything(),
        groupId: fc.anything(),
        experimenter: fc.anything(),
        data: fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 17 })),
        field: fc.oneof(fc.anything(), fc.record({ field: fc.constantFrom('eth_dst', 'in_port', 'tcp_dst', 'opaque'), value: fc.anything(), mask: fc.anything() }, { requiredKeys: ['field'] })),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(junk, fc.anything()), { maxLength: 4 }), (list) => {
        try {
          const b = encList(list as Action[]);
          expect(toHex(encList(decList(b)))).toBe(toHex(b));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpEncodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('action ids (table features)', () => {
  it('round-trips every type as 4-byte ids and experimenter ids', () => {
    const ids: ActionId[] = [
      ...VECTORS.filter(([, a]) => a.type !== 'experimenter').map(([, a]) => ({ type: a.type }) as ActionId),
      { type: 'experimenter', experimenter: 0x2320, data: new Uint8Array(0) },
      { type: 'experimenter', experimenter: 0x2320, data: fromHex('0026') },
    ];
    const uniq = ids.filter((id, i) => id.type === 'experimenter' || ids.findIndex((x) => x.type === id.type) === i);
    const w = new Writer();
    encodeActionIds(w, uniq);
    const b = w.toBytes();
    expect(toHex(b.subarray(0, 8))).toBe('0000000400' + '0b0004');
    expect(decodeActionIds(new Reader(b))).toStrictEqual(uniq);
  });

  it('rejects ids with a bad length using the reader error type', () => {
    const e = decodeErr(() => decodeActionIds(new Reader(fromHex('00000008 00000000'), 0, 8, 13, 3)));
    expect([e.errType, e.errCode]).toEqual([13, 3]);
    const e2 = decodeErr(() => decodeActionIds(new Reader(fromHex('ffff0004'), 0, 4, 13, 3)));
    expect([e2.errType, e2.errCode]).toEqual([13, 3]);
    const e3 = decodeErr(() => decodeActionIds(new Reader(fromHex('00630004'), 0, 4, 13, 3)));
    expect([e3.errType, e3.errCode]).toEqual([ErrType.BAD_ACTION, BadAction.BAD_TYPE]);
  });
});

// ---------------------------------------------------------------------------------------------------

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

const setFieldArb: fc.Arbitrary<OxmField> = fc.oneof(
  bytes(6).map((b) => ({ field: 'eth_src', value: macToString(b) }) as OxmField),
  bytes(6).map((b) => ({ field: 'arp_tha', value: macToString(b) }) as OxmField),
  u32.map((v) => ({ field: 'ipv4_dst', value: ipv4ToString(v) }) as OxmField),
  bytes(16).map((b) => ({ field: 'ipv6_src', value: ipv6ToString(b) }) as OxmField),
  fc.nat({ max: 0x1fff }).map((v) => ({ field: 'vlan_vid', value: v }) as OxmField),
  fc.nat({ max: 63 }).map((v) => ({ field: 'ip_dscp', value: v }) as OxmField),
  u16.map((v) => ({ field: 'udp_dst', value: v }) as OxmField),
  fc.nat({ max: 0xfffff }).map((v) => ({ field: 'mpls_label', value: v }) as OxmField),
  fc.nat({ max: 0xffffff }).map((v) => ({ field: 'pbb_isid', value: v }) as OxmField),
  fc.bigUintN(64).map((v) => ({ field: 'tunnel_id', value: v }) as OxmField),
  fc.record({ field: fc.constant('opaque' as const), oxmClass: fc.constantFrom(0, 1), fieldCode: fc.nat({ max: 127 }), hasMask: fc.constant(false), payload: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ field: fc.constant('experimenter' as const), experimenter: u32, fieldCode: fc.nat({ max: 127 }), hasMask: fc.constant(false), payload: fc.uint8Array({ maxLength: 16 }) }),
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('output' as const), port: u32, maxLen: u16 }),
  fc.constantFrom<Action>({ type: 'copy_ttl_out' }, { type: 'copy_ttl_in' }, { type: 'dec_mpls_ttl' }, { type: 'pop_vlan' }, { type: 'dec_nw_ttl' }, { type: 'pop_pbb' }),
  fc.record({ type: fc.constantFrom('set_mpls_ttl' as const, 'set_nw_ttl' as const), ttl: u8 }),
  fc.record({ type: fc.constantFrom('push_vlan' as const, 'push_mpls' as const, 'pop_mpls' as const, 'push_pbb' as const), ethertype: u16 }),
  fc.record({ type: fc.constant('set_queue' as const), queueId: u32 }),
  fc.record({ type: fc.constant('group' as const), groupId: u32 }),
  fc.record({ type: fc.constant('set_field' as const), field: setFieldArb }),
  fc.record({ type: fc.constant('experimenter' as const), experimenter: u32, data: fc.nat({ max: 4 }).chain((n) => bytes(n * 8)) }),
);

describe('actions: property tests', () => {
  it('arbitrary valid action lists round-trip deep-equal and re-encode byte-exactly', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 8 }), (list) => {
        const b = encList(list);
        expect(b.length % 8).toBe(0);
        const back = decList(b);
        expect(back).toStrictEqual(list);
        expect(toHex(encList(back))).toBe(toHex(b));
      }),
      { numRuns: 2000 },
    );
  });
});
