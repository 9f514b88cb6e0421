/**
 * OFPT_ERROR (OpenFlow 1.3.5 §7.5.4): `type u16, code u16, data[]`, or for OFPET_EXPERIMENTER
 * `type u16 (0xffff), exp_type u16, experimenter u32, data[]`. Names for every type/code are in
 * error-codes.ts (`errorName`).
 */
import type { BodyCodec } from './body-codec.js';
import { type OfpDecodeError, OfpEncodeError } from './errors.js';
import { OFP_VERSION } from './header.js';
import { checkBytes, checkU16, checkU32, checkU8 } from './encode-check.js';

export const OFPET_EXPERIMENTER = 0xffff;

export interface StandardErrorMessage {
  type: 'ERROR';
  xid: number;
  /** Header version byte (an error may answer a HELLO of another version). Encode defaults to 0x04. */
  version?: number;
  /** ofp_error_type (OfpErrorType in error-codes.ts); never 0xffff here. */
  errType: number;
  code: number;
  /** Usually the first 64 bytes of the offending request; ASCII text for HELLO_FAILED. */
  data: Uint8Array;
  expType?: undefined;
  experimenter?: undefined;
}

export interface ExperimenterErrorMessage {
  type: 'ERROR';
  xid: number;
  version?: number;
  errType: typeof OFPET_EXPERIMENTER;
  expType: number;
  experimenter: number;
  data: Uint8Array;
  code?: undefined;
}

export type ErrorMessage = StandardErrorMessage | ExperimenterErrorMessage;

export const errorCodec: BodyCodec<ErrorMessage> = {
  decode(r, xid, version) {
    r.need(4, 'ofp_error_msg');
    const errType = r.u16();
    if (errType === OFPET_EXPERIMENTER) {
      r.need(6, 'ofp_error_experimenter_msg');
      const expType = r.u16();
      const experimenter = r.u32();
      return { type: 'ERROR', xid, version, errType: OFPET_EXPERIMENTER, expType, experimenter, data: r.bytesView(r.remaining) };
    }
    const code = r.u16();
    return { type: 'ERROR', xid, version, errType, code, data: r.bytesView(r.remaining) };
  },
  encode(w, m) {
    if (m.version !== undefined) checkU8(m.version, 'version');
    checkU16(m.errType, 'errType');
    checkBytes(m.data, 'data');
    if (m.errType === OFPET_EXPERIMENTER) {
      if (m.expType === undefined || m.experimenter === undefined) {
        throw new OfpEncodeError('an OFPET_EXPERIMENTER error needs expType and experimenter', 'expType');
      }
      checkU16(m.expType, 'expType');
      checkU32(m.experimenter, 'experimenter');
      w.u16(OFPET_EXPERIMENTER);
      w.u16(m.expType);
      w.u32(m.experimenter);
    } else {
      if (m.code === undefined) throw new OfpEncodeError('code is required', 'code');
      checkU16(m.code, 'code');
      w.u16(m.errType);
      w.u16(m.code);
    }
    w.bytes(m.data);
  },
};

/** How much of an offending request an OFPT_ERROR echoes back (§7.5.4: at least 64 bytes). */
export const ERROR_DATA_LEN = 64;

/**
 * The OFPT_ERROR answering a message that failed to decode: the decode error's type/code, the request's
 * xid (0 if even the header is missing) and a copy of its first 64 bytes.
 */
export function errorForMalformed(e: OfpDecodeError, request: Uint8Array): StandardErrorMessage {
  const xid = request.length >= 8 ? new DataView(request.buffer, request.byteOffset, 8).getUint32(4) : 0;
  return { type: 'ERROR', xid, version: OFP_VERSION, errType: e.errType, code: e.errCode, data: request.slice(0, ERROR_DATA_LEN) };
}

/** The header of the request echoed in an error's data, when at least 8 bytes of it are there. */
export function offendingHeader(m: ErrorMessage): { version: number; type: number; length: number; xid: number } | undefined {
  if (m.data.length < 8) return undefined;
  const v = new DataView(m.data.buffer, m.data.byteOffset, 8);
  return { version: v.getUint8(0), type: v.getUint8(1), length: v.getUint16(2), xid: v.getUint32(4) };
}
