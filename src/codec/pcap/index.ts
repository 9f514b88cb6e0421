/**
 * Capture-file reader: classic pcap (both byte orders, micro/nanosecond) and pcapng (SHB both byte orders,
 * IDB with if_tsresol/if_tsoffset, EPB, SPB, other blocks skipped by length).
 *   readCapture(bytes)  — synchronous iterable over a whole file in memory
 *   openCapture(path)   — async iterable over a file read in chunks
 */
export { readCapture, CaptureReader, type ReadCaptureOptions } from './reader.js';
export { openCapture, CaptureStream, type OpenCaptureOptions } from './stream.js';
export { CaptureFormatError } from './errors.js';
export type { CapturedPacket, CaptureInterface, TruncatedTail, CaptureFormat } from './types.js';
