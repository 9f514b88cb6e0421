/**
 * Every OpenFlow 1.3.5 error type and code (spec §7.5.4 / openflow.h `ofp_error_type` and the
 * `ofp_*_code` enums), with `errorName(type, code)` for readable logs: 'OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ'.
 */

/** ofp_error_type */
export const OfpErrorType = {
  HELLO_FAILED: 0,
  BAD_REQUEST: 1,
  BAD_ACTION: 2,
  BAD_INSTRUCTION: 3,
  BAD_MATCH: 4,
  FLOW_MOD_FAILED: 5,
  GROUP_MOD_FAILED: 6,
  PORT_MOD_FAILED: 7,
  TABLE_MOD_FAILED: 8,
  QUEUE_OP_FAILED: 9,
  SWITCH_CONFIG_FAILED: 10,
  ROLE_REQUEST_FAILED: 11,
  METER_MOD_FAILED: 12,
  TABLE_FEATURES_FAILED: 13,
  EXPERIMENTER: 0xffff,
} as const;

/** OFPHFC_* (data: ASCII text giving details). */
export const HelloFailedCode = { INCOMPATIBLE: 0, EPERM: 1 } as const;

/** OFPBRC_* (data: at least the first 64 bytes of the failed request, as for all codes below). */
export const BadRequestCode = {
  BAD_VERSION: 0,
  BAD_TYPE: 1,
  BAD_MULTIPART: 2,
  BAD_EXPERIMENTER: 3,
  BAD_EXP_TYPE: 4,
  EPERM: 5,
  BAD_LEN: 6,
  BUFFER_EMPTY: 7,
  BUFFER_UNKNOWN: 8,
  BAD_TABLE_ID: 9,
  IS_SLAVE: 10,
  BAD_PORT: 11,
  BAD_PACKET: 12,
  MULTIPART_BUFFER_OVERFLOW: 13,
} as const;

/** OFPBAC_* */
export const BadActionCode = {
  BAD_TYPE: 0,
  BAD_LEN: 1,
  BAD_EXPERIMENTER: 2,
  BAD_EXP_TYPE: 3,
  BAD_OUT_PORT: 4,
  BAD_ARGUMENT: 5,
  EPERM: 6,
  TOO_MANY: 7,
  BAD_QUEUE: 8,
  BAD_OUT_GROUP: 9,
  MATCH_INCONSISTENT: 10,
  UNSUPPORTED_ORDER: 11,
  BAD_TAG: 12,
  BAD_SET_TYPE: 13,
  BAD_SET_LEN: 14,
  BAD_SET_ARGUMENT: 15,
} as const;

/** OFPBIC_* */
export const BadInstructionCode = {
  UNKNOWN_INST: 0,
  UNSUP_INST: 1,
  BAD_TABLE_ID: 2,
  UNSUP_METADATA: 3,
  UNSUP_METADATA_MASK: 4,
  BAD_EXPERIMENTER: 5,
  BAD_EXP_TYPE: 6,
  BAD_LEN: 7,
  EPERM: 8,
} as const;

/** OFPBMC_* */
export const BadMatchCode = {
  BAD_TYPE: 0,
  BAD_LEN: 1,
  BAD_TAG: 2,
  BAD_DL_ADDR_MASK: 3,
  BAD_NW_ADDR_MASK: 4,
  BAD_WILDCARDS: 5,
  BAD_FIELD: 6,
  BAD_VALUE: 7,
  BAD_MASK: 8,
  BAD_PREREQ: 9,
  DUP_FIELD: 10,
  EPERM: 11,
} as const;

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
