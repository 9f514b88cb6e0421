/**
 * Decode failures of the sFlow v5 codec. sFlow arrives as UDP datagrams, so there is no "need more bytes":
 * every failure is malformed (or unsupported) input. The object API (decodeDatagram) throws
 * SflowDecodeError; the collector's walker never throws and counts the same reasons instead.
 */

/** Why a datagram was rejected. Stable, machine-readable. */
export type SflowErrorCode =
  /** A field runs past the end of the datagram. */
  | 'truncated'
  /** A sample/record/opaque length exceeds what contains it, or is too short for the structure it names. */
  | 'bad-length'
  /** A count (samples, records, list entries) that cannot fit in the bytes that follow it. */
  | 'bad-count'
  /** Agent address type other than IPv4 (1) or IPv6 (2). */
  | 'bad-address-type'
  /** Bytes left over after the last declared sample or record. */
  | 'trailing-bytes'
  /** A datagram version other than 5. */
  | 'unsupported-version';

export class SflowDecodeError extends Error {
  override readonly name = 'SflowDecodeError';
  readonly kind = 'malformed' as const;
  constructor(
    message: string,
    readonly code: SflowErrorCode,
    /** Byte offset, from the start of the datagram, where the problem was found. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}
