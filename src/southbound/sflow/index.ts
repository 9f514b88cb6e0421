/** The sFlow collector (southbound): UDP in, SflowBatch messages out. */
export { SflowCollector, SflowCollectorError, type SflowCollectorOptions, type SflowTransport, type CollectorAddress, type CollectorStats } from './collector.js';
export { SflowIngest, IngestStats, type IngestOptions } from './ingest.js';
export {
  FlowField,
  FLOW_STRIDE,
  AddrField,
  ADDR_STRIDE,
  FlowFlag,
  flowAt,
  counterSampleAt,
  flowsOf,
  type SflowBatch,
  type FlowColumns,
  type BatchAgent,
  type BatchSource,
  type CounterSampleMessage,
  type FlowSampleRecord,
} from './batch.js';
export type { AgentSummary, SourceSummary } from './agents.js';
export { SeqStep, SequenceCounter, classifyStep, type SequenceOptions } from './sequence.js';
export type { DatagramSource, DatagramSink, BoundSource, SourceStats, SourceOptions } from './source.js';
export { DgramSource } from './dgram-source.js';
export { NativeSource, loadAddon, addonPath, type NativeAddon, type FloodOptions, type FloodResult } from './native-source.js';
