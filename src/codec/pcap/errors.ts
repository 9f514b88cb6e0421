/** The capture file is not a pcap/pcapng file, or a record violates the format. `offset` is where. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  constructor(
    message: string,
    /** Byte offset in the file (or stream) of the bad record/field. */
    readonly offset: number,
    /** Stable machine-readable code: 'bad-magic', 'bad-block-length', 'truncated-record', ... */
    readonly code: string,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}
