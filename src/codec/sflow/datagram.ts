/**
 * sFlow v5 datagram <-> objects (the library/CLI API). The collector's hot path uses walker.ts instead,
 * which reads the same bytes into reused structures and never throws.
 *
 * Layout (sflow_version_5.txt): version, agent address (type + 4 or 16 bytes), sub-agent id, sequence
 * number, uptime (ms), then `num_samples` samples, each a data format word (enterprise << 12 | format),
 * a length and that many bytes. Samples and records of formats this codec does not know are kept as
 * opaque `unknown` entries, skipped by their length.
 */
import { decodeCounterSample, type CounterSample } from './counter-sample.js';
import { SflowDecodeError } from './errors.js';
import { SFLOW_VERSION, SampleFormat } from './formats.js';
import { decodeFlowSample, type FlowSample } from './flow-sample.js';
import { XdrReader } from './xdr.js';

/** A sample of a format this codec does not decode (kept as its bytes). */
export interface UnknownSample {
  kind: 'unknown';
  enterprise: number;
  format: number;
  data: Uint8Array;
}

export type SflowSample = FlowSample | CounterSample | UnknownSample;

export interface SflowDatagram {
  version: 5;
  /** Agent address: dotted IPv4 or RFC 5952 IPv6 text (the address type follows from the form). */
  agent: string;
  subAgentId: number;
  /** Datagram sequence number (per agent and sub-agent). */
  sequence: number;
  /** Agent uptime in milliseconds. */
  uptime: number;
  samples: SflowSample[];
}

export interface DecodeOptions {
  /** Decode raw packet headers with the packet codec (RawHeaderRecord.packet). Default true. */
  decodeHeaders?: boolean;
}

/** Bytes of a datagram header with an IPv4 agent address and no samples: the least a datagram can be. */
export const MIN_DATAGRAM_LENGTH = 28;

/**
 * Decodes one sFlow v5 datagram (a UDP payload). Throws SflowDecodeError (with the byte offset) on
 * anything malformed: truncation, lengths or counts that do not fit, other versions, bytes left over.
 */
export function decodeDatagram(bytes: Uint8Array, options: DecodeOptions = {}): SflowDatagram {
  const decodeHeaders = options.decodeHeaders ?? true;
  const r = new XdrReader(bytes, 0, bytes.length, 'datagram', 'truncated');
  const version = r.u32('version');
  if (version !== SFLOW_VERSION) {
    throw new SflowDecodeError(`sFlow version ${version} is not supported (only version 5)`, 'unsupported-version', 0);
  }
  const agent = r.address('agent address');
  if (agent === '') throw new SflowDecodeError('agent address type 0 (unknown) is not allowed', 'bad-address-type', 4);
  const subAgentId = r.u32('sub_agent_id');
  const sequence = r.u32('sequence_number');
  const uptime = r.u32('uptime');
  const n = r.count('samples', 8);
  const samples: SflowSample[] = [];
  for (let i = 0; i < n; i++) {
    const tag = r.u32('sample format');
    const len = r.u32('sample length');
    const enterprise = tag >>> 12;
    const format = tag & 0xfff;
    if (enterprise === 0 && (format === SampleFormat.FLOW || format === SampleFormat.FLOW_EXPANDED)) {
      samples.push(decodeFlowSample(r.sub(len, 'flow sample'), format === SampleFormat.FLOW_EXPANDED, decodeHeaders));
    } else if (enterprise === 0 && (format === SampleFormat.COUNTERS || format === SampleFormat.COUNTERS_EXPANDED)) {
      samples.push(decodeCounterSample(r.sub(len, 'counters sample'), format === SampleFormat.COUNTERS_EXPANDED));
    } else {
      samples.push({ kind: 'unknown', enterprise, format, data: r.sub(len, 'sample').rest() });
    }
  }
  if (r.remaining !== 0) throw new SflowDecodeError(`${r.remaining} byte(s) after the ${n} sample(s) of the datagram`, 'trailing-bytes', r.offset);
  return { version: SFLOW_VERSION, agent, subAgentId, sequence, uptime, samples };
}
