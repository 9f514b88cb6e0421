/** flow_sample (0:1) and flow_sample_expanded (0:3) with their flow records. */
import { SflowDecodeError } from './errors.js';
import { FlowFormat } from './formats.js';
import {
  decodeExtendedGateway,
  decodeExtendedRouter,
  decodeExtendedSwitch,
  type ExtendedGatewayRecord,
  type ExtendedRouterRecord,
  type ExtendedSwitchRecord,
} from './flow-records-extended.js';
import {
  decodeRawHeader,
  decodeSampledEthernet,
  decodeSampledIpv4,
  decodeSampledIpv6,
  type RawHeaderRecord,
  type SampledEthernetRecord,
  type SampledIpv4Record,
  type SampledIpv6Record,
} from './flow-records-sampled.js';
import type { XdrReader } from './xdr.js';

/**
 * An interface in a flow sample. format 0: value is the ifIndex (0 unknown, 0x3fffffff the device itself);
 * 1: the packet was discarded, value is the reason; 2: value output interfaces (0: unknown number > 1).
 */
export interface SflowInterface {
  format: number;
  value: number;
}

/** A record of a format this codec does not decode, kept as its bytes (skipped by its length). */
export interface UnknownRecord {
  type: 'unknown';
  enterprise: number;
  format: number;
  data: Uint8Array;
}

export type FlowRecord =
  | RawHeaderRecord
  | SampledEthernetRecord
  | SampledIpv4Record
  | SampledIpv6Record
  | ExtendedSwitchRecord
  | ExtendedRouterRecord
  | ExtendedGatewayRecord
  | UnknownRecord;

export interface FlowSample {
  kind: 'flow';
  /** flow_sample_expanded (0:3) rather than the compact flow_sample (0:1). */
  expanded: boolean;
  /** Incremented with each flow sample of this source. */
  sequence: number;
  /** sFlowDataSource: type (0 ifIndex, 1 VLAN, 2 physical entity) and index. */
  sourceIdType: number;
  sourceIdIndex: number;
  /** 1 in N packets. */
  samplingRate: number;
  /** Packets that could have been sampled (skipped + sampled). */
  samplePool: number;
  /** Samples lost for lack of resources. */
  drops: number;
  input: SflowInterface;
  output: SflowInterface;
  records: FlowRecord[];
}

function compactInterface(v: number): SflowInterface {
  return { format: v >>> 30, value: v & 0x3fffffff };
}

export function decodeFlowRecord(r: XdrReader, decodeHeaders: boolean): FlowRecord {
  const tag = r.u32('flow record format');
  const len = r.u32('flow record length');
  const enterprise = tag >>> 12;
  const format = tag & 0xfff;
  if (enterprise !== 0) return { type: 'unknown', enterprise, format, data: r.sub(len, 'flow record').rest() };
  switch (format) {
    case FlowFormat.RAW_HEADER:
      return decodeRawHeader(r.sub(len, 'raw_header record'), decodeHeaders);
    case FlowFormat.SAMPLED_ETHERNET:
      return decodeSampledEthernet(r.sub(len, 'sampled_ethernet record'));
    case FlowFormat.SAMPLED_IPV4:
      return decodeSampledIpv4(r.sub(len, 'sampled_ipv4 record'));
    case FlowFormat.SAMPLED_IPV6:
      return decodeSampledIpv6(r.sub(len, 'sampled_ipv6 record'));
    case FlowFormat.EXTENDED_SWITCH:
      return decodeExtendedSwitch(r.sub(len, 'extended_switch record'));
    case FlowFormat.EXTENDED_ROUTER:
      return decodeExtendedRouter(r.sub(len, 'extended_router record'));
    case FlowFormat.EXTENDED_GATEWAY:
      return decodeExtendedGateway(r.sub(len, 'extended_gateway record'));
    default:
      return { type: 'unknown', enterprise, format, data: r.sub(len, 'flow record').rest() };
  }
}

/** Decodes the body of a flow sample (after its format and length words); `r` covers exactly the sample. */
export function decodeFlowSample(r: XdrReader, expanded: boolean, decodeHeaders: boolean): FlowSample {
  const sequence = r.u32('sequence_number');
  let sourceIdType: number;
  let sourceIdIndex: number;
  if (expanded) {
    sourceIdType = r.u32('source_id_type');
    sourceIdIndex = r.u32('source_id_index');
  } else {
    const sourceId = r.u32('source_id');
    sourceIdType = sourceId >>> 24;
    sourceIdIndex = sourceId & 0xffffff;
  }
  const samplingRate = r.u32('sampling_rate');
  const samplePool = r.u32('sample_pool');
  const drops = r.u32('drops');
  let input: SflowInterface;
  let output: SflowInterface;
  if (expanded) {
    input = { format: r.u32('input format'), value: r.u32('input value') };
    output = { format: r.u32('output format'), value: r.u32('output value') };
  } else {
    input = compactInterface(r.u32('input'));
    output = compactInterface(r.u32('output'));
  }
  const n = r.count('flow records', 8);
  const records: FlowRecord[] = [];
  for (let i = 0; i < n; i++) records.push(decodeFlowRecord(r, decodeHeaders));
  if (r.remaining !== 0) throw new SflowDecodeError(`${r.remaining} byte(s) after the ${n} flow record(s) of the flow sample`, 'trailing-bytes', r.offset);
  return { kind: 'flow', expanded, sequence, sourceIdType, sourceIdIndex, samplingRate, samplePool, drops, input, output, records };
}
