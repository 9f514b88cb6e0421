import fc from 'fast-check';
import { Reader, Writer } from '../../../../src/codec/openflow/buffer.js';
import { BadAction, ErrType, OfpDecodeError, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import {
  decodeTableFeatures,
  decodeTableFeaturesList,
  encodeTableFeatures,
  encodeTableFeaturesList,
  TableFeaturesFailed,
  type TableFeatureProp,
  type TableFeatures,
} from '../../../../src/codec/openflow/table-features.js';
import { OXM_FIELD_NAMES, oxmIdOf, type OxmId } from '../../../../src/codec/openflow/oxm.js';
import type { ActionId } from '../../../../src/codec/openflow/actions.js';
import type { InstructionId } from '../../../../src/codec/openflow/instructions.js';
import { ofpPrint } from '../../../support/ofp-print.js';
import { arbU32 as u32, decodeErr, fromHex, readWhole, toHex, written } from './msg-helpers.js';

const enc = (t: TableFeatures): Uint8Array => written((w) => encodeTableFeatures(w, t));
const dec = (b: Uint8Array): TableFeatures => readWhole(b, decodeTableFeatures);

const base = (properties: TableFeatureProp[]): TableFeatures => ({
  tableId: 0,
  name: 'classifier',
  metadataMatch: 0xffffffffffffffffn,
  metadataWrite: 0xffffffffffffffffn,
  config: 0,
  maxEntries: 1000000,
  properties,
});

// 64-byte fixed part for table 0 "classifier" with all-ones metadata, config 0, 1e6 entries.
const FIXED_AFTER_LEN = '00 0000000000' + toHex(Uint8Array.from([...Buffer.from('classifier'), ...new Uint8Array(22)])) + 'ffffffffffffffff ffffffffffffffff 00000000 000f4240';

function vector(props: string): string {
  const body = FIXED_AFTER_LEN.replace(/ /g, '') + props.replace(/ /g, '');
  const len = 2 + body.length / 2;
  return len.toString(16).padStart(4, '0') + body;
}

const ALL_PROPS: [string, TableFeatureProp][] = [
  ['0000 000c 00010004 00040004 00000000', { type: 'instructions', instructionIds: [{ type: 'goto_table' }, { type: 'apply_actions' }] }],
  ['0001 0010 00050004 ffff0008 00002320', { type: 'instructions_miss', instructionIds: [{ type: 'clear_actions' }, { type: 'experimenter', experimenter: 0x2320, data: new Uint8Array(0) }] }],
  ['0002 0007 010203 00', { type: 'next_tables', tableIds: [1, 2, 3] }],
  ['0003 0004 00000000', { type: 'next_tables_miss', tableIds: [] }],
  ['0004 000c 00000004 00160004 00000000', { type: 'write_actions', actionIds: [{ type: 'output' }, { type: 'group' }] }],
  ['0005 0008 00190004', { type: 'write_actions_miss', actionIds: [{ type: 'set_field' }] }],
  ['0006 0012 00110004 ffff000a 00002320 0026 000000000000', { type: 'apply_actions', actionIds: [{ type: 'push_vlan' }, { type: 'experimenter', experimenter: 0x2320, data: fromHex('0026') }] }],
  ['0007 0004 00000000', { type: 'apply_actions_miss', actionIds: [] }],
  ['0008 0018 80000004 8000070c 80001708 ffff5406 4f4e4600', {
    type: 'match',
    oxmIds: [oxmIdOf('in_port'), oxmIdOf('eth_dst', true), oxmIdOf('ipv4_src', true), { field: 'experimenter', fieldCode: 42, hasMask: false, length: 6, experimenter: 0x4f4e4600 }],
  }],
  ['000a 000c 80000004 00010004 00000000', { type: 'wildcards', oxmIds: [oxmIdOf('in_port'), { field: 'opaque', oxmClass: 1, fieldCode: 0, hasMask: false, length: 4 }] }],
  ['000c 0008 80000606', { type: 'write_setfield', oxmIds: [oxmIdOf('eth_dst')] }],
  ['000d 0008 80000806', { type: 'write_setfield_miss', oxmIds: [oxmIdOf('eth_src')] }],
  ['000e 000c 80000c02 80001804 00000000', { type: 'apply_setfield', oxmIds: [oxmIdOf('vlan_vid'), oxmIdOf('ipv4_dst')] }],
  ['000f 0008 80000c02', { type: 'apply_setfield_miss', oxmIds: [oxmIdOf('vlan_vid')] }],
  ['fffe 0010 00002320 00000001 aabbccdd', { type: 'experimenter', experimenter: 0x2320, expType: 1, data: fromHex('aabbccdd') }],
  ['ffff 000d 00002320 00000002 ee 000000', { type: 'experimenter_miss', experimenter: 0x2320, expType: 2, data: fromHex('ee') }],
  ['0009 0006 0102 0000', { type: 'unknown', propType: 9, data: fromHex('0102') }],
  ['1234 0004 00000000', { type: 'unknown', propType: 0x1234, data: new Uint8Array(0) }],
];

describe('table features: wire vectors', () => {
  it.each(ALL_PROPS.map(([h, p]) => [p.type, h, p] as const))('property %s %s', (_t, h, prop) => {
    const b = fromHex(vector(h));
    expect(dec(b)).toStrictEqual(base([prop]));
    expect(toHex(enc(base([prop])))).toBe(toHex(b));
  });

  it('encodes the fixed part exactly (64 bytes, NUL-padded name)', () => {
    expect(toHex(enc(base([])))).toBe(vector(''));
    expect(enc(base([])).length).toBe(64);
  });

  it('round-trips an element with every property, and lists of elements', () => {
    const t = base(ALL_PROPS.map(([, p]) => p));
    const b = enc(t);
    expect(dec(b)).toStrictEqual(t);
    expect(toHex(enc(dec(b)))).toBe(toHex(b));
    const w = new Writer();
    const list = [t, { ...base([]), tableId: 1, name: '' }, { ...t, tableId: 254, name: 'x'.repeat(31) }];
    encodeTableFeaturesList(w, list);
    const lb = w.toBytes();
    const r = new Reader(lb);
    expect(decodeTableFeaturesList(r)).toStrictEqual(list);
    expect(r.offset).toBe(lb.length);
  });
});

describe('table features: malformed input', () => {
  const TFF = ErrType.TABLE_FEATURES_FAILED;
  const cases: [string, string, number, number][] = [
    ['element length < 64', '0008' + '00'.repeat(62), TFF, TableFeaturesFailed.BAD_LEN],
    ['element length past the buffer', '0048' + '00'.repeat(62), TFF, TableFeaturesFailed.BAD_LEN],
    ['truncated before the length', '00', TFF, TableFeaturesFailed.BAD_LEN],
    ['property length 0 (no endless loop)', vector('0000 0000 00000000'), TFF, TableFeaturesFailed.BAD_LEN],
    ['property length 2', vector('0000 0002 00000000'), TFF, TableFeaturesFailed.BAD_LEN],
    ['property past the element', vector('0002 0010 01020304'), TFF, TableFeaturesFailed.BAD_LEN],
    ['property missing its padding', vector('0002 0005 01'), TFF, TableFeaturesFailed.BAD_LEN],
    ['truncated property header', vector('00000000 0002'), TFF, TableFeaturesFailed.BAD_LEN],
    ['instruction id with length 8', vector('0000 000c 00010008 00000000 00000000'), TFF, TableFeaturesFailed.BAD_LEN],
    ['action id cut by the property', vector('0004 0006 0000 0000'), TFF, TableFeaturesFailed.BAD_LEN],
    ['OXM id cut by the property', vector('0008 0006 8000 0000'), TFF, TableFeaturesFailed.BAD_LEN],
    ['experimenter OXM id without its experimenter id', vector('0008 0008 ffff5406'), TFF, TableFeaturesFailed.BAD_LEN],
    ['experimenter property shorter than 12', vector('fffe 0008 00002320'), TFF, TableFeaturesFailed.BAD_LEN],
    ['unknown action type in action ids', vector('0006 0008 00630004'), ErrType.BAD_ACTION, BadAction.BAD_TYPE],
  ];
  it.each(cases)('%s', (_n, h, type, code) => {
    const e = decodeErr(() => decodeTableFeaturesList(new Reader(fromHex(h))));
    expect([e.errType, e.errCode]).toEqual([type, code]);
  });

  it('arbitrary bytes never throw anything but OfpDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), fc.boolean(), (bytes, plausible) => {
        let b = bytes;
        if (plausible) {
          // a valid fixed part with a random property area, so property decoding gets exercised
          const fixed = fromHex(vector('')).subarray(0, 64);
          b = Uint8Array.from([...fixed, ...bytes]);
          b[0] = b.length >> 8;
          b[1] = b.length & 0xff;
        }
        try {
          decodeTableFeaturesList(new Reader(b));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('table features: encoder validation', () => {
  const cases: [TableFeatures, string][] = [
    [{ ...base([]), tableId: 256 }, 'tableFeatures.tableId'],
    [{ ...base([]), name: 'x'.repeat(32) }, 'tableFeatures.name'],
    [{ ...base([]), name: 'caf\u00e9\u2603' }, 'tableFeatures.name'],
    [{ ...base([]), metadataMatch: -1n }, 'tableFeatures.metadataMatch'],
    [{ ...base([]), maxEntries: 2 ** 32 }, 'tableFeatures.maxEntries'],
    [base([{ type: 'next_tables', tableIds: [1, 256] }]), 'tableFeatures.properties[0].tableIds[1]'],
    [base([{ type: 'unknown', propType: 8, data: new Uint8Array(0) }]), 'tableFeatures.properties[0].propType'],
    [base([{ type: 'match', oxmIds: [{ field: 'nope', hasMask: false, length: 4 } as unknown as OxmId] }]), 'tableFeatures.properties[0].oxmIds[0].field'],
    [base([{ type: 'apply_actions', actionIds: [{ type: 'bogus' } as unknown as ActionId] }]), 'tableFeatures.properties[0].actionIds[0].type'],
    [base([{ type: 'instructions', instructionIds: [{ type: 'bogus' } as unknown as InstructionId] }]), 'tableFeatures.properties[0].instructionIds[0].type'],
  ];
  it.each(cases.map(([t, p]) => [p, t] as const))('%s', (path, t) => {
    const w = new Writer();
    w.u32(0xdeadbeef);
    let err: unknown;
    try {
      encodeTableFeatures(w, t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OfpEncodeError);
    expect((err as OfpEncodeError).path).toBe(path);
    expect(w.offset).toBe(4); // nothing half-written
  });
});

describe('table features: encoder robustness', () => {
  it('throws only OfpEncodeError for malformed objects', () => {
    const junkProp = fc.record(
      {
        type: fc.constantFrom(...ALL_PROPS.map(([, p]) => p.type), 'nope'),
        instructionIds: fc.array(fc.oneof(fc.anything(), fc.record({ type: fc.anything(), experimenter: fc.anything(), data: fc.anything() }))),
        actionIds: fc.array(fc.oneof(fc.anything(), fc.record({ type: fc.anything(), experimenter: fc.anything(), data: fc.anything() }))),
        oxmIds: fc.array(fc.oneof(fc.anything(), fc.record({ field: fc.anything(), hasMask: fc.anything(), length: fc.anything(), oxmClass: fc.anything(), fieldCode: fc.anything(), experimenter: fc.anything() }))),
        tableIds: fc.array(fc.anything()),
        experimenter: fc.anything(),
        expType: fc.anything(),
        propType: fc.anything(),
        data: fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 9 })),
      },
      { requiredKeys: ['type'] },
    );
    const junk = fc.record({
      tableId: fc.oneof(fc.nat({ max: 255 }), fc.anything()),
      name: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
      metadataMatch: fc.oneof(fc.bigUintN(64), fc.anything()),
      metadataWrite: fc.bigUintN(64),
      config: fc.nat(),
      maxEntries: fc.nat(),
      properties: fc.oneof(fc.array(junkProp, { maxLength: 3 }), fc.anything()),
    });
    fc.assert(
      fc.property(junk, (t) => {
        const w = new Writer();
        try {
          encodeTableFeatures(w, t as TableFeatures);
          const b = w.toBytes();
          const w2 = new Writer();
          encodeTableFeatures(w2, dec(b));
          expect(toHex(w2.toBytes())).toBe(toHex(b));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpEncodeError);
          expect(w.offset).toBe(0);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------

const oxmIdArb: fc.Arbitrary<OxmId> = fc.oneof(
  fc.tuple(fc.constantFrom(...OXM_FIELD_NAMES), fc.boolean()).map(([f, m]) => oxmIdOf(f, m)),
  fc.record({ field: fc.constant('experimenter' as const), fieldCode: fc.nat({ max: 127 }), hasMask: fc.boolean(), length: fc.nat({ max: 255 }), experimenter: u32 }),
  fc.record({ field: fc.constant('opaque' as const), oxmClass: fc.constantFrom(0, 1, 0x8001), fieldCode: fc.nat({ max: 127 }), hasMask: fc.boolean(), length: fc.nat({ max: 255 }) }),
);
const actionIdArb: fc.Arbitrary<ActionId> = fc.oneof(
  fc.constantFrom(
    ...(['output', 'copy_ttl_out', 'copy_ttl_in', 'set_mpls_ttl', 'dec_mpls_ttl', 'push_vlan', 'pop_vlan', 'push_mpls', 'pop_mpls', 'set_queue', 'group', 'set_nw_ttl', 'dec_nw_ttl', 'set_field', 'push_pbb', 'pop_pbb'] as const).map(
      (type) => ({ type }) as ActionId,
    ),
  ),
  fc.record({ type: fc.constant('experimenter' as const), experimenter: u32, data: fc.uint8Array({ maxLength: 10 }) }),
);
const instructionIdArb: fc.Arbitrary<InstructionId> = fc.oneof(
  fc.constantFrom(...(['goto_table', 'write_metadata', 'write_actions', 'apply_actions', 'clear_actions', 'meter'] as const).map((type) => ({ type }) as InstructionId)),
  fc.record({ type: fc.constant('experimenter' as const), experimenter: u32, data: fc.uint8Array({ maxLength: 10 }) }),
);
const propArb: fc.Arbitrary<TableFeatureProp> = fc.oneof(
  fc.record({ type: fc.constantFrom('instructions' as const, 'instructions_miss' as const), instructionIds: fc.array(instructionIdArb, { maxLength: 6 }) }),
  fc.record({ type: fc.constantFrom('next_tables' as const, 'next_tables_miss' as const), tableIds: fc.array(fc.nat({ max: 255 }), { maxLength: 20 }) }),
  fc.record({
    type: fc.constantFrom('write_actions' as const, 'write_actions_miss' as const, 'apply_actions' as const, 'apply_actions_miss' as const),
    actionIds: fc.array(actionIdArb, { maxLength: 6 }),
  }),
  fc.record({
    type: fc.constantFrom('match' as const, 'wildcards' as const, 'write_setfield' as const, 'write_setfield_miss' as const, 'apply_setfield' as const, 'apply_setfield_miss' as const),
    oxmIds: fc.array(oxmIdArb, { maxLength: 8 }),
  }),
  fc.record({ type: fc.constantFrom('experimenter' as const, 'experimenter_miss' as const), experimenter: u32, expType: u32, data: fc.uint8Array({ maxLength: 13 }) }),
  fc.record({
    type: fc.constant('unknown' as const),
    propType: fc.integer({ min: 0, max: 0xffff }).filter((t) => ![0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 15, 0xfffe, 0xffff].includes(t)),
    data: fc.uint8Array({ maxLength: 13 }),
  }),
);
const nameArb = fc.array(fc.integer({ min: 1, max: 0xff }), { maxLength: 31 }).map((cs) => String.fromCharCode(...cs));
const tableFeaturesArb: fc.Arbitrary<TableFeatures> = fc.record({
  tableId: fc.nat({ max: 255 }),
  name: nameArb,
  metadataMatch: fc.bigUintN(64),
  metadataWrite: fc.bigUintN(64),
  config: u32,
  maxEntries: u32,
  properties: fc.array(propArb, { maxLength: 8 }),
});

describe('table features: property tests', () => {
  it('arbitrary elements round-trip deep-equal and re-encode byte-exactly', () => {
    fc.assert(
      fc.property(fc.array(tableFeaturesArb, { maxLength: 3 }), (list) => {
        const w = new Writer();
        encodeTableFeaturesList(w, list);
        const b = w.toBytes();
        expect(b.length % 8).toBe(0);
        const back = decodeTableFeaturesList(new Reader(b));
        expect(back).toStrictEqual(list);
        const w2 = new Writer();
        encodeTableFeaturesList(w2, back);
        expect(toHex(w2.toBytes())).toBe(toHex(b));
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Independent oracle: an OFPMP_TABLE_FEATURES reply assembled by hand around encodeTableFeaturesList,
// read back by `ovs-ofctl ofp-print`.

function reply(list: TableFeatures[]): Uint8Array {
  const w = new Writer();
  w.u8(4); // OpenFlow 1.3
  w.u8(19); // OFPT_MULTIPART_REPLY
  w.u16(0); // length, patched below
  w.u32(1); // xid
  w.u16(12); // OFPMP_TABLE_FEATURES
  w.u16(0); // flags
  w.u32(0); // pad
  encodeTableFeaturesList(w, list);
  w.patchU16(2, w.offset);
  return w.toBytes();
}

describe('oracle: ovs-ofctl ofp-print reads a TABLE_FEATURES reply as intended', () => {
  it('shows every standard property', () => {
    const t: TableFeatures = {
      ...base([
        { type: 'instructions', instructionIds: [{ type: 'goto_table' }, { type: 'apply_actions' }, { type: 'meter' }] },
        { type: 'instructions_miss', instructionIds: [{ type: 'goto_table' }] },
        { type: 'next_tables', tableIds: [1, 2, 3] },
        { type: 'next_tables_miss', tableIds: [1] },
        { type: 'write_actions', actionIds: [{ type: 'output' }, { type: 'group' }] },
        { type: 'write_actions_miss', actionIds: [{ type: 'output' }] },
        { type: 'apply_actions', actionIds: [{ type: 'output' }, { type: 'push_vlan' }, { type: 'pop_vlan' }, { type: 'set_field' }] },
        { type: 'apply_actions_miss', actionIds: [{ type: 'output' }] },
        { type: 'match', oxmIds: [oxmIdOf('in_port'), oxmIdOf('eth_dst', true), oxmIdOf('ipv4_src', true), oxmIdOf('tcp_dst')] },
        { type: 'wildcards', oxmIds: [oxmIdOf('in_port'), oxmIdOf('eth_dst')] },
        { type: 'write_setfield', oxmIds: [oxmIdOf('eth_dst')] },
        { type: 'write_setfield_miss', oxmIds: [oxmIdOf('eth_src')] },
        { type: 'apply_setfield', oxmIds: [oxmIdOf('vlan_vid'), oxmIdOf('ipv4_dst')] },
        { type: 'apply_setfield_miss', oxmIds: [oxmIdOf('vlan_vid')] },
      ]),
    };
    const bytes = reply([t, { ...t, tableId: 1, name: 't1' }]);
    const text = ofpPrint(bytes, 3).replace(/\s+/g, ' ');
    expect(text).toContain('OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x1): table 0 ("classifier"):');
    expect(text).toContain('metadata: match=0xffffffffffffffff write=0xffffffffffffffff max_entries=1000000');
    expect(text).toContain(
      'instructions (other than table miss): next tables: 1-3 instructions: meter apply_actions goto_table ' +
        'Write-Actions features: actions: output group supported on Set-Field: eth_dst ' +
        'Apply-Actions features: actions: output set_field strip_vlan push_vlan supported on Set-Field: vlan_vid ip_dst',
    );
    expect(text).toContain(
      'instructions (table miss): next tables: 1 instructions: goto_table ' +
        'Write-Actions features: actions: output supported on Set-Field: eth_src ' +
        'Apply-Actions features: actions: output supported on Set-Field: vlan_vid',
    );
    expect(text).toContain('matching: arbitrary mask: eth_dst ip_src exact match or wildcard: in_port_oxm must exact match: tcp_dst');
    expect(text).toContain('table 1 ("t1"): ditto');
    // and our decoder reads the same bytes back
    expect(decodeTableFeaturesList(new Reader(bytes, 16))).toStrictEqual([t, { ...t, tableId: 1, name: 't1' }]);
  });
});
