import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { ErrType, BadRequest } from '../../../../src/codec/openflow/errors.js';
import { MeterFlags, MeterModCommand, MeterModFailed, OFPM, type MeterBand, type MeterModMessage } from '../../../../src/codec/openflow/meter-mod.js';
import { ofpPrint } from '../../../support/ofp-print.js';
import { arbU32 as u32a, decodeError, decodeOrDecodeError, encodeError, itOvs, msg, msgRoundTrip as roundTrip, u16, u32 } from './msg-helpers.js';

const METER_MOD = 29;

const addMeter: MeterModMessage = {
  type: 'METER_MOD',
  xid: 0x12345678,
  command: MeterModCommand.ADD,
  flags: MeterFlags.KBPS | MeterFlags.BURST | MeterFlags.STATS,
  meterId: 5,
  bands: [
    { type: 'drop', rate: 1000, burstSize: 100 },
    { type: 'dscp_remark', rate: 2000, burstSize: 200, precLevel: 1 },
  ],
};
const addMeterBytes = msg(METER_MOD, [
  ...u16(0), ...u16(13), ...u32(5),
  ...u16(1), ...u16(16), ...u32(1000), ...u32(100), 0, 0, 0, 0,
  ...u16(2), ...u16(16), ...u32(2000), ...u32(200), 1, 0, 0, 0,
]);

describe('METER_MOD', () => {
  it('encodes the spec layout and round-trips byte-exactly', () => {
    roundTrip(addMeter, addMeterBytes);
    expect(decode(addMeterBytes)).toEqual(addMeter);
  });

  it('round-trips a DELETE of all meters with no bands, and an experimenter band', () => {
    roundTrip({ type: 'METER_MOD', xid: 1, command: MeterModCommand.DELETE, flags: 0, meterId: OFPM.ALL, bands: [] });
    roundTrip({
      type: 'METER_MOD',
      xid: 2,
      command: MeterModCommand.MODIFY,
      flags: MeterFlags.PKTPS,
      meterId: 9,
      bands: [{ type: 'experimenter', rate: 10, burstSize: 0, experimenter: 0x2320, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }],
    });
  });

  itOvs('is read by ovs-ofctl as intended', () => {
    const text = ofpPrint(encode(addMeter));
    expect(text).toContain('OFPT_METER_MOD (OF1.3) (xid=0x12345678): ADD meter=5 kbps burst stats bands=');
    expect(text).toContain('type=drop rate=1000 burst_size=100');
    expect(text).toContain('type=dscp_remark rate=2000 burst_size=200 prec_level=1');
    const del = ofpPrint(encode({ type: 'METER_MOD', xid: 1, command: MeterModCommand.DELETE, flags: 0, meterId: OFPM.ALL, bands: [] }));
    expect(del).toContain('DEL meter=all');
    const mod = ofpPrint(encode({ type: 'METER_MOD', xid: 1, command: MeterModCommand.MODIFY, flags: MeterFlags.PKTPS, meterId: 77, bands: [{ type: 'drop', rate: 5, burstSize: 0 }] }));
    expect(mod).toMatch(/MOD meter=77 pktps bands=\s+type=drop rate=5/);
  });

  describe('malformed input', () => {
    it('rejects a body shorter than ofp_meter_mod', () => {
      const e = decodeError(msg(METER_MOD, [0, 0, 0, 1, 0, 0]));
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, BadRequest.BAD_LEN]);
    });
    it('rejects truncated bands', () => {
      const e = decodeError(addMeterBytes.slice(0, addMeterBytes.length - 4).map((b, i) => (i === 3 ? b - 4 : b)));
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, BadRequest.BAD_LEN]);
    });
    it('rejects a DROP band whose length is not 16 (including 0)', () => {
      for (const len of [0, 8, 24]) {
        const body = [...u16(0), ...u16(0), ...u32(1), ...u16(1), ...u16(len), ...u32(1), ...u32(1), 0, 0, 0, 0];
        if (len === 24) body.push(0, 0, 0, 0, 0, 0, 0, 0);
        const e = decodeError(msg(METER_MOD, body));
        expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, BadRequest.BAD_LEN]);
      }
    });
    it('rejects an experimenter band shorter than 16 or past the end', () => {
      for (const len of [0, 12, 24]) {
        const e = decodeError(msg(METER_MOD, [...u16(0), ...u16(0), ...u32(1), ...u16(0xffff), ...u16(len), ...u32(1), ...u32(1), ...u32(0x2320)]));
        expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, BadRequest.BAD_LEN]);
      }
    });
    it('rejects an unknown band type with METER_MOD_FAILED/BAD_BAND', () => {
      const e = decodeError(msg(METER_MOD, [...u16(0), ...u16(0), ...u32(1), ...u16(3), ...u16(16), ...u32(1), ...u32(1), 0, 0, 0, 0]));
      expect([e.errType, e.errCode]).toEqual([ErrType.METER_MOD_FAILED, MeterModFailed.BAD_BAND]);
    });
  });

  describe('encoder validation', () => {
    it('names the offending value', () => {
      expect(encodeError({ ...addMeter, meterId: -1 }).path).toBe('meterId');
      expect(encodeError({ ...addMeter, flags: 0x10000 }).path).toBe('flags');
      expect(encodeError({ ...addMeter, bands: [{ type: 'drop', rate: 2 ** 32, burstSize: 0 }] }).path).toBe('bands[0].rate');
      expect(encodeError({ ...addMeter, bands: [{ type: 'dscp_remark', rate: 1, burstSize: 0, precLevel: 256 }] }).path).toBe('bands[0].precLevel');
      expect(encodeError({ ...addMeter, bands: [{ type: 'drop', rate: 1, burstSize: 0 }, { type: 'red', rate: 1, burstSize: 0 }] }).path).toBe('bands[1].type');
      expect(encodeError({ ...addMeter, bands: [{ type: 'experimenter', rate: 1, burstSize: 0, experimenter: 1, data: [1] }] }).path).toBe('bands[0].data');
    });
  });

  describe('properties', () => {
    const band: fc.Arbitrary<MeterBand> = fc.oneof(
      fc.record({ type: fc.constant('drop' as const), rate: u32a, burstSize: u32a }),
      fc.record({ type: fc.constant('dscp_remark' as const), rate: u32a, burstSize: u32a, precLevel: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ type: fc.constant('experimenter' as const), rate: u32a, burstSize: u32a, experimenter: u32a, data: fc.uint8Array({ maxLength: 24 }) }),
    );
    const meterMod: fc.Arbitrary<MeterModMessage> = fc.record({
      type: fc.constant('METER_MOD' as const),
      xid: u32a,
      command: fc.integer({ min: 0, max: 0xffff }),
      flags: fc.integer({ min: 0, max: 0xffff }),
      meterId: u32a,
      bands: fc.array(band, { maxLength: 6 }),
    });

    it('round-trips generated messages', () => {
      fc.assert(fc.property(meterMod, (m) => void roundTrip(m)));
    });

    it('throws only OfpDecodeError on arbitrary bodies', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), (body) => {
          decodeOrDecodeError(msg(METER_MOD, Array.from(body)));
        }),
      );
    });
  });
});
