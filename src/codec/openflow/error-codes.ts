/**
 * Every OpenFlow 1.3.5 error type and code (spec §7.5.4 / openflow.h `ofp_error_type` and the
 * `ofp_*_code` enums), with `errorName(type, code)` for readable logs: 'OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ'.
 */

// The error types and the codes the codec core raises are defined once, in errors.ts (dependency-free);
// the rest are defined here. The message modules re-export theirs under their local names
// (GroupModFailed, MeterModFailed, QueueOpFailed, TableFeaturesFailed).
import {
  BadAction as BadActionCode,
  BadInstruction as BadInstructionCode,
  BadMatch as BadMatchCode,
  BadRequest as BadRequestCode,
  ErrType as OfpErrorType,
} from './errors.js';

/** ofp_error_type, and the OFPBRC_* / OFPBAC_* / OFPBIC_* / OFPBMC_* codes. */
export { BadActionCode, BadInstructionCode, BadMatchCode, BadRequestCode, OfpErrorType };

/** OFPHFC_* (data: ASCII text giving details). */
export const HelloFailedCode = { INCOMPATIBLE: 0, EPERM: 1 } as const;

/** OFPFMFC_* */
export const FlowModFailedCode = {
  UNKNOWN: 0,
  TABLE_FULL: 1,
  BAD_TABLE_ID: 2,
  OVERLAP: 3,
  EPERM: 4,
  BAD_TIMEOUT: 5,
  BAD_COMMAND: 6,
  BAD_FLAGS: 7,
} as const;

/** OFPGMFC_* */
export const GroupModFailedCode = {
  GROUP_EXISTS: 0,
  INVALID_GROUP: 1,
  WEIGHT_UNSUPPORTED: 2,
  OUT_OF_GROUPS: 3,
  OUT_OF_BUCKETS: 4,
  CHAINING_UNSUPPORTED: 5,
  WATCH_UNSUPPORTED: 6,
  LOOP: 7,
  UNKNOWN_GROUP: 8,
  CHAINED_GROUP: 9,
  BAD_TYPE: 10,
  BAD_COMMAND: 11,
  BAD_BUCKET: 12,
  BAD_WATCH: 13,
  EPERM: 14,
} as const;

/** OFPPMFC_* */
export const PortModFailedCode = { BAD_PORT: 0, BAD_HW_ADDR: 1, BAD_CONFIG: 2, BAD_ADVERTISE: 3, EPERM: 4 } as const;

/** OFPTMFC_* */
export const TableModFailedCode = { BAD_TABLE: 0, BAD_CONFIG: 1, EPERM: 2 } as const;

/** OFPQOFC_* */
export const QueueOpFailedCode = { BAD_PORT: 0, BAD_QUEUE: 1, EPERM: 2 } as const;

/** OFPSCFC_* */
export const SwitchConfigFailedCode = { BAD_FLAGS: 0, BAD_LEN: 1, EPERM: 2 } as const;

/** OFPRRFC_* */
export const RoleRequestFailedCode = { STALE: 0, UNSUP: 1, BAD_ROLE: 2 } as const;

/** OFPMMFC_* */
export const MeterModFailedCode = {
  UNKNOWN: 0,
  METER_EXISTS: 1,
  INVALID_METER: 2,
  UNKNOWN_METER: 3,
  BAD_COMMAND: 4,
  BAD_FLAGS: 5,
  BAD_RATE: 6,
  BAD_BURST: 7,
  BAD_BAND: 8,
  BAD_BAND_VALUE: 9,
  OUT_OF_METERS: 10,
  OUT_OF_BANDS: 11,
} as const;

/** OFPTFFC_* */
export const TableFeaturesFailedCode = { BAD_TABLE: 0, BAD_METADATA: 1, BAD_TYPE: 2, BAD_LEN: 3, BAD_ARGUMENT: 4, EPERM: 5 } as const;

/** Each error type's codes and the spec's constant prefix for them. */
const TABLES: ReadonlyArray<readonly [type: number, typeName: string, prefix: string, codes: Readonly<Record<string, number>>]> = [
  [OfpErrorType.HELLO_FAILED, 'HELLO_FAILED', 'OFPHFC', HelloFailedCode],
  [OfpErrorType.BAD_REQUEST, 'BAD_REQUEST', 'OFPBRC', BadRequestCode],
  [OfpErrorType.BAD_ACTION, 'BAD_ACTION', 'OFPBAC', BadActionCode],
  [OfpErrorType.BAD_INSTRUCTION, 'BAD_INSTRUCTION', 'OFPBIC', BadInstructionCode],
  [OfpErrorType.BAD_MATCH, 'BAD_MATCH', 'OFPBMC', BadMatchCode],
  [OfpErrorType.FLOW_MOD_FAILED, 'FLOW_MOD_FAILED', 'OFPFMFC', FlowModFailedCode],
  [OfpErrorType.GROUP_MOD_FAILED, 'GROUP_MOD_FAILED', 'OFPGMFC', GroupModFailedCode],
  [OfpErrorType.PORT_MOD_FAILED, 'PORT_MOD_FAILED', 'OFPPMFC', PortModFailedCode],
  [OfpErrorType.TABLE_MOD_FAILED, 'TABLE_MOD_FAILED', 'OFPTMFC', TableModFailedCode],
  [OfpErrorType.QUEUE_OP_FAILED, 'QUEUE_OP_FAILED', 'OFPQOFC', QueueOpFailedCode],
  [OfpErrorType.SWITCH_CONFIG_FAILED, 'SWITCH_CONFIG_FAILED', 'OFPSCFC', SwitchConfigFailedCode],
  [OfpErrorType.ROLE_REQUEST_FAILED, 'ROLE_REQUEST_FAILED', 'OFPRRFC', RoleRequestFailedCode],
  [OfpErrorType.METER_MOD_FAILED, 'METER_MOD_FAILED', 'OFPMMFC', MeterModFailedCode],
  [OfpErrorType.TABLE_FEATURES_FAILED, 'TABLE_FEATURES_FAILED', 'OFPTFFC', TableFeaturesFailedCode],
];

const typeNames = new Map<number, string>();
const codeNames = new Map<number, string[]>();
for (const [type, typeName, prefix, codes] of TABLES) {
  typeNames.set(type, `OFPET_${typeName}`);
  const names: string[] = [];
  for (const [name, code] of Object.entries(codes)) names[code] = `${prefix}_${name}`;
  codeNames.set(type, names);
}
typeNames.set(OfpErrorType.EXPERIMENTER, 'OFPET_EXPERIMENTER');

/** 'OFPET_BAD_MATCH', or undefined for a type OpenFlow 1.3.5 does not define. */
export function errorTypeName(type: number): string | undefined {
  return typeNames.get(type);
}

/** 'OFPBMC_BAD_PREREQ', or undefined for a type/code pair OpenFlow 1.3.5 does not define. */
export function errorCodeName(type: number, code: number): string | undefined {
  return codeNames.get(type)?.[code];
}

/**
 * Readable name of an error type/code pair: 'OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ'. Unknown parts show as
 * numbers ('OFPET_BAD_MATCH/99', 'OFPET_0x42/3'); for OFPET_EXPERIMENTER the code is the exp_type.
 */
export function errorName(type: number, code: number): string {
  const t = typeNames.get(type) ?? `OFPET_0x${type.toString(16)}`;
  if (type === OfpErrorType.EXPERIMENTER) return `${t}/exp_type=${code}`;
  return `${t}/${codeNames.get(type)?.[code] ?? String(code)}`;
}

/** Every defined (type, code) pair with its name, for tests and documentation. */
export function allErrorCodes(): Array<{ type: number; code: number; name: string }> {
  const out: Array<{ type: number; code: number; name: string }> = [];
  for (const [type, , , codes] of TABLES) for (const code of Object.values(codes)) out.push({ type, code, name: errorName(type, code) });
  return out;
}
