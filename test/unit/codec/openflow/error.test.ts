/** OFPT_ERROR and the error-code tables (OpenFlow 1.3.5 §7.5.4). */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadRequest, ErrType, OfpDecodeError } from '../../../../src/codec/openflow/errors.js';
import {
  allErrorCodes,
  BadActionCode,
  BadMatchCode,
  errorCodeName,
  errorName,
  errorTypeName,
  HelloFailedCode,
  OfpErrorType,
} from '../../../../src/codec/openflow/error-codes.js';
import { errorForMalformed, offendingHeader, type ErrorMessage } from '../../../../src/codec/openflow/error.js';
import { bytesRoundTrip, expectDecodeError, expectEncodeError, fromHex, itOvs, msgRoundTrip, ovs, toHex } from './msg-helpers.js';
import { ofpPrint } from '../../../support/ofp-print.js';

const echoReq = fromHex('0402000c000000070102abcd');

suite('ERROR codec', () => {
  const badPrereq: ErrorMessage = { type: 'ERROR', xid: 7, version: 4, errType: OfpErrorType.BAD_MATCH, code: BadMatchCode.BAD_PREREQ, data: echoReq };
  it('round-trips a standard error', () => {
    expect(toHex(msgRoundTrip(badPrereq))).toBe('0401001800000007000400090402000c000000070102abcd');
    const { version: _v, ...noVersion } = badPrereq;
    expect(toHex(encode(noVersion as ErrorMessage))).toBe(toHex(encode(badPrereq)));
  });
  it('keeps the header version', () => {
    const m: ErrorMessage = { type: 'ERROR', xid: 1, version: 1, errType: 0, code: HelloFailedCode.INCOMPATIBLE, data: new TextEncoder().encode('Nope') };
    expect(toHex(msgRoundTrip(m))).toBe('0101001000000001000000004e6f7065');
    expect((decode(fromHex('0101001000000001000000004e6f7065')) as ErrorMessage).version).toBe(1);
  });
  it('round-trips the experimenter form', () => {
    const m: ErrorMessage = { type: 'ERROR', xid: 1, version: 4, errType: 0xffff, expType: 5, experimenter: 0x2320, data: fromHex('0102') };
    expect(toHex(msgRoundTrip(m))).toBe('0401001200000001ffff0005000023200102');
    bytesRoundTrip(fromHex('0401001000000001ffff000500002320'));
  });
  itOvs('OVS reads our errors', () => {
    expect(ovs(encode(badPrereq))).toBe('OFPT_ERROR (OF1.3) (xid=0x7): OFPBMC_BAD_PREREQ OFPT_ECHO_REQUEST (OF1.3) (xid=0x7): 4 bytes of payload');
    expect(ovs(encode({ type: 'ERROR', xid: 1, version: 1, errType: 0, code: 0, data: new TextEncoder().encode('Nope') }))).toBe(
      'OFPT_ERROR (xid=0x1): OFPHFC_INCOMPATIBLE Nope',
    );
    expect(ovs(encode({ type: 'ERROR', xid: 1, errType: 0xffff, expType: 5, experimenter: 0x2320, data: new Uint8Array() }))).toContain(
      'OFPT_ERROR (OF1.3) (xid=0x1): NXBRC_BAD_REASON',
    );
  });
  it('rejects short bodies with BAD_LEN', () => {
    expectDecodeError(fromHex('0401000b00000001000400'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectDecodeError(fromHex('0401000f00000001ffff0005000023'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates on encode', () => {
    expectEncodeError({ ...badPrereq, code: 0x10000 }, 'code');
    expectEncodeError({ ...badPrereq, errType: -1 }, 'errType');
    expectEncodeError({ type: 'ERROR', xid: 1, errType: 4, data: new Uint8Array() }, 'code');
    expectEncodeError({ type: 'ERROR', xid: 1, errType: 0xffff, code: 1, data: new Uint8Array() }, 'expType');
    expectEncodeError({ ...badPrereq, data: 'x' }, 'data');
    expectEncodeError({ ...badPrereq, version: 300 }, 'version');
  });
  it('property: round-trips both forms', () => {
    const data = fc.uint8Array({ maxLength: 80 });
    const xid = fc.integer({ min: 0, max: 0xffffffff });
    const std = fc.record({
      type: fc.constant('ERROR' as const),
      xid,
      version: fc.integer({ min: 0, max: 255 }),
      errType: fc.integer({ min: 0, max: 0xfffe }),
      code: fc.integer({ min: 0, max: 0xffff }),
      data,
    });
    const exp = fc.record({
      type: fc.constant('ERROR' as const),
      xid,
      version: fc.integer({ min: 0, max: 255 }),
      errType: fc.constant(0xffff as const),
      expType: fc.integer({ min: 0, max: 0xffff }),
      experimenter: fc.integer({ min: 0, max: 0xffffffff }),
      data,
    });
    fc.assert(fc.property(fc.oneof(std, exp), (m) => void msgRoundTrip(m)));
  });
  it('errorForMalformed answers a decode failure with its type/code, xid and the first 64 bytes', () => {
    const bad = new Uint8Array(100);
    bad.set(fromHex('040e0064 0000002a'));
    let err: OfpDecodeError | undefined;
    try {
      decode(bad);
    } catch (e) {
      err = e as OfpDecodeError;
    }
    expect(err).toBeInstanceOf(OfpDecodeError);
    const reply = errorForMalformed(err!, bad);
    expect(reply.xid).toBe(42);
    expect(reply.errType).toBe(err!.errType);
    expect(reply.code).toBe(err!.errCode);
    expect(reply.data.length).toBe(64);
    expect(offendingHeader(reply)).toEqual({ version: 4, type: 14, length: 100, xid: 42 });
    msgRoundTrip(reply);
    expect(errorForMalformed(new OfpDecodeError('x'), fromHex('0401')).xid).toBe(0);
  });
});

suite('error-codes', () => {
  it('names type/code pairs like the spec', () => {
    expect(errorName(4, 9)).toBe('OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ');
    expect(errorName(1, 6)).toBe('OFPET_BAD_REQUEST/OFPBRC_BAD_LEN');
    expect(errorName(2, BadActionCode.BAD_SET_ARGUMENT)).toBe('OFPET_BAD_ACTION/OFPBAC_BAD_SET_ARGUMENT');
    expect(errorName(10, 2)).toBe('OFPET_SWITCH_CONFIG_FAILED/OFPSCFC_EPERM');
    expect(errorName(4, 99)).toBe('OFPET_BAD_MATCH/99');
    expect(errorName(0x42, 3)).toBe('OFPET_0x42/3');
    expect(errorName(0xffff, 5)).toBe('OFPET_EXPERIMENTER/exp_type=5');
    expect(errorTypeName(13)).toBe('OFPET_TABLE_FEATURES_FAILED');
    expect(errorTypeName(14)).toBeUndefined();
    expect(errorCodeName(6, 2)).toBe('OFPGMFC_WEIGHT_UNSUPPORTED');
    expect(errorCodeName(6, 15)).toBeUndefined();
  });
  it('covers every OpenFlow 1.3.5 type with contiguous codes', () => {
    const counts = new Map<number, number[]>();
    for (const { type, code } of allErrorCodes()) counts.set(type, [...(counts.get(type) ?? []), code]);
    const expected: Record<number, number> = { 0: 2, 1: 14, 2: 16, 3: 9, 4: 12, 5: 8, 6: 15, 7: 5, 8: 3, 9: 3, 10: 3, 11: 3, 12: 12, 13: 6 };
    for (const [t, n] of Object.entries(expected)) {
      expect(counts.get(Number(t))?.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    expect(counts.size).toBe(14);
  });
  it('agrees with the codec core constants in errors.ts', () => {
    expect(ErrType.BAD_MATCH).toBe(OfpErrorType.BAD_MATCH);
    expect(ErrType.TABLE_FEATURES_FAILED).toBe(OfpErrorType.TABLE_FEATURES_FAILED);
    expect(BadRequest.MULTIPART_BUFFER_OVERFLOW).toBe(13);
  });

  // OVS's names for the same codes where they differ from the spec's (OVS renamed some over time).
  const OVS_ALIASES: Record<string, string> = {
    OFPBRC_BAD_MULTIPART: 'OFPBRC_BAD_STAT',
    OFPBRC_BAD_EXPERIMENTER: 'OFPBRC_BAD_VENDOR',
    OFPBRC_BAD_EXP_TYPE: 'OFPBRC_BAD_SUBTYPE',
    OFPBRC_IS_SLAVE: 'OFPBRC_IS_SECONDARY',
    OFPBAC_BAD_EXPERIMENTER: 'OFPBAC_BAD_VENDOR',
    OFPBAC_BAD_EXP_TYPE: 'OFPBAC_BAD_VENDOR_TYPE',
    OFPTFFC_BAD_TYPE: 'OFPBPC_BAD_TYPE',
    OFPTFFC_BAD_LEN: 'OFPBPC_BAD_LEN',
    OFPTFFC_BAD_ARGUMENT: 'OFPBPC_BAD_VALUE',
  };
  it('OVS decodes every code in the table to the same meaning, and none beyond it', () => {
    const all = allErrorCodes();
    const hexes: string[] = [];
    const want: string[] = [];
    for (const { type, code, name } of all) {
      hexes.push(toHex(encode({ type: 'ERROR', xid: 1, errType: type, code, data: new Uint8Array() })));
      const codeName = name.split('/')[1]!;
      want.push(OVS_ALIASES[codeName] ?? codeName);
    }
    // One ovs-ofctl run per message is slow; ofp-print accepts one message per call, so batch via a loop.
    const got = hexes.map((h) => ofpPrint(fromHex(h)).split('\n')[0]!.replace(/^OFPT_ERROR \(OF1\.3\) \(xid=0x1\): /, ''));
    expect(got).toEqual(want);
    // One past the last code of each type is unknown to OVS too.
    for (const t of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) {
      const max = Math.max(...all.filter((e) => e.type === t).map((e) => e.code));
      const text = ofpPrint(encode({ type: 'ERROR', xid: 1, errType: t, code: max + 1, data: new Uint8Array() }));
      expect(text).toContain('decode error');
    }
  });
});
