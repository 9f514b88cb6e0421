/**
 * OFPT_METER_MOD (OpenFlow 1.3.5 §7.3.4.4) and the meter bands, which the METER_CONFIG multipart reply
 * reuses.
 *
 * Wire layout (body after the 8-byte header):
 *   ofp_meter_mod:         command u16, flags u16, meter_id u32, bands[]
 *   ofp_meter_band_header: type u16, len u16, rate u32, burst_size u32
 *     DROP (1):          + pad[4]                         (16 bytes)
 *     DSCP_REMARK (2):   + prec_level u8, pad[3]          (16 bytes)
 *     EXPERIMENTER:      + experimenter u32, data[]       (16 + data bytes)
 */
import type { Reader, Writer } from './buffer.js';
import type { BodyCodec } from './body-codec.js';
import { BadRequest, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { MeterModFailedCode as MeterModFailed } from './error-codes.js';

/** ofp_meter_mod_command */
export const MeterModCommand = { ADD: 0, MODIFY: 1, DELETE: 2 } as const;

/** ofp_meter_flags */
export const MeterFlags = { KBPS: 1, PKTPS: 2, BURST: 4, STATS: 8 } as const;

/** ofp_meter: reserved meter numbers. */
export const OFPM = { MAX: 0xffff0000, SLOWPATH: 0xfffffffd, CONTROLLER: 0xfffffffe, ALL: 0xffffffff } as const;

/** ofp_meter_band_type */
export const MeterBandType = { DROP: 1, DSCP_REMARK: 2, EXPERIMENTER: 0xffff } as const;

/** ofp_meter_mod_failed_code (error type OFPET_METER_MOD_FAILED): the table in error-codes.ts. */
export { MeterModFailed };

export const OFP_METER_MOD_BODY_LEN = 8;
export const OFP_METER_BAND_LEN = 16;

export type MeterBand =
  | { type: 'drop'; rate: number; burstSize: number }
  | { type: 'dscp_remark'; rate: number; burstSize: number; precLevel: number }
  | { type: 'experimenter'; rate: number; burstSize: number; experimenter: number; data: Uint8Array };

export interface MeterModMessage {
  type: 'METER_MOD';
  xid: number;
  /** MeterModCommand */
  command: number;
  /** MeterFlags bitmap */
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

/**
 * Decodes meter bands until `r.end`. Band lengths other than 16 (DROP, DSCP_REMARK), below 16
 * (EXPERIMENTER) or past the end are BAD_REQUEST/BAD_LEN; an unknown band type is METER_MOD_FAILED/BAD_BAND.
 */
export function decodeMeterBands(r: Reader): MeterBand[] {
  const bands: MeterBand[] = [];
  while (r.offset < r.end) {
    const at = r.offset;
    if (r.end - at < OFP_METER_BAND_LEN) {
      throw new OfpDecodeError(`truncated meter band: ${r.end - at} byte(s) left at offset ${at}, need ${OFP_METER_BAND_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, at);
    }
    const type = r.view.getUint16(at);
    const len = r.view.getUint16(at + 2);
    if (type === MeterBandType.DROP || type === MeterBandType.DSCP_REMARK) {
      if (len !== OFP_METER_BAND_LEN) {
        throw new OfpDecodeError(`meter band type ${type} has length ${len}, expected ${OFP_METER_BAND_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, at + 2);
      }
      r.offset = at + 4;
      const rate = r.u32();
      const burstSize = r.u32();
      if (type === MeterBandType.DROP) {
        r.offset += 4;
        bands.push({ type: 'drop', rate, burstSize });
      } else {
        const precLevel = r.u8();
        r.offset += 3;
        bands.push({ type: 'dscp_remark', rate, burstSize, precLevel });
      }
    } else if (type === MeterBandType.EXPERIMENTER) {
      if (len < OFP_METER_BAND_LEN) {
        throw new OfpDecodeError(`experimenter meter band length ${len} < ${OFP_METER_BAND_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, at + 2);
      }
      const b = r.sub(len, 'meter band');
      b.offset += 4;
      const rate = b.u32();
      const burstSize = b.u32();
      const experimenter = b.u32();
      const data = b.bytesView(b.remaining);
      bands.push({ type: 'experimenter', rate, burstSize, experimenter, data });
    } else {
      throw new OfpDecodeError(`unknown meter band type ${type} at offset ${at}`, ErrType.METER_MOD_FAILED, MeterModFailed.BAD_BAND, at);
    }
  }
  return bands;
}

export function encodeMeterBands(w: Writer, bands: readonly MeterBand[], path = 'bands'): void {
  if (!Array.isArray(bands)) throw new OfpEncodeError(`${path}: expected an array`, path);
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i]!;
    const p = `${path}[${i}]`;
    checkUint(b.rate, 0xffffffff, `${p}.rate`);
    checkUint(b.burstSize, 0xffffffff, `${p}.burstSize`);
    switch (b.type) {
      case 'drop':
        w.u16(MeterBandType.DROP);
        w.u16(OFP_METER_BAND_LEN);
        w.u32(b.rate);
        w.u32(b.burstSize);
        w.zeros(4);
        break;
      case 'dscp_remark':
        checkUint(b.precLevel, 0xff, `${p}.precLevel`);
        w.u16(MeterBandType.DSCP_REMARK);
        w.u16(OFP_METER_BAND_LEN);
        w.u32(b.rate);
        w.u32(b.burstSize);
        w.u8(b.precLevel);
        w.zeros(3);
        break;
      case 'experimenter': {
        checkUint(b.experimenter, 0xffffffff, `${p}.experimenter`);
        if (!(b.data instanceof Uint8Array)) throw new OfpEncodeError(`${p}.data: expected a Uint8Array`, `${p}.data`);
        const len = OFP_METER_BAND_LEN + b.data.length;
        if (len > 0xffff) throw new OfpEncodeError(`${p}: band length ${len} exceeds 65535`, `${p}.data`);
        w.u16(MeterBandType.EXPERIMENTER);
        w.u16(len);
        w.u32(b.rate);
        w.u32(b.burstSize);
        w.u32(b.experimenter);
        w.bytes(b.data);
        break;
      }
      default:
        throw new OfpEncodeError(`${p}.type: unknown meter band type ${JSON.stringify((b as { type: unknown }).type)}`, `${p}.type`);
    }
  }
}

export const meterModCodec: BodyCodec<MeterModMessage> = {
  decode(r, xid) {
    r.need(OFP_METER_MOD_BODY_LEN, 'ofp_meter_mod');
    const command = r.u16();
    const flags = r.u16();
    const meterId = r.u32();
    const bands = decodeMeterBands(r);
    return { type: 'METER_MOD', xid, command, flags, meterId, bands };
  },
  encode(w, m) {
    checkUint(m.command, 0xffff, 'command');
    checkUint(m.flags, 0xffff, 'flags');
    checkUint(m.meterId, 0xffffffff, 'meterId');
    w.u16(m.command);
    w.u16(m.flags);
    w.u32(m.meterId);
    encodeMeterBands(w, m.bands, 'bands');
  },
};

function checkUint(v: unknown, max: number, path: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new OfpEncodeError(`${path}: expected an integer in 0..${max}, got ${String(v)}`, path);
  }
}
