/**
 * Decode/encode failures of the OpenFlow codec.
 *
 * "Need more bytes" is not an error: the framer reports it as a value. Everything here is *malformed*
 * input (or an unencodable message) and carries the OpenFlow error type/code the spec prescribes, so a
 * session can answer with OFPT_ERROR and keep going where the protocol allows.
 */

/**
 * ofp_error_type. error-codes.ts re-exports it as `OfpErrorType`, with the code tables of the other types
 * and their names; this module stays dependency-free because nearly every codec module imports it.
 */
export const ErrType = {
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

/** A message whose bytes violate OpenFlow 1.3.5. `errType`/`errCode` are what OFPT_ERROR should say. */
export class OfpDecodeError extends Error {
  override readonly name = 'OfpDecodeError';
  readonly kind = 'malformed' as const;
  constructor(
    message: string,
    readonly errType: number = ErrType.BAD_REQUEST,
    readonly errCode: number = 6 /* OFPBRC_BAD_LEN */,
    /** Byte offset (from the start of the message given to decode) where the problem was found. */
    public offset?: number,
  ) {
    super(message);
  }
}

/** A message object that cannot be put on the wire (out-of-range value, OXM prerequisite missing...). */
export class OfpEncodeError extends Error {
  override readonly name = 'OfpEncodeError';
  constructor(
    message: string,
    /** Dotted path to the offending value, e.g. `match[2].value`. */
    readonly path?: string,
  ) {
    super(message);
  }
}

// The codes the codec core raises, named so call sites read like the spec (error-codes.ts re-exports them
// as BadRequestCode, BadActionCode, ...).

/** OFPBRC_* (data: at least the first 64 bytes of the failed request, as for all codes below). */
export const BadRequest = {
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
export const BadAction = {
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
export const BadInstruction = {
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
export const BadMatch = {
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
