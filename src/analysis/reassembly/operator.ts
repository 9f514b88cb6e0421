/**
 * The reassembly stage as an RxJS operator: frames in, events out — every frame that should continue down
 * the pipeline (whole ones as they came, reassembled datagrams as new frames stamped with their last
 * fragment's time), and every `fragment_evasion` finding as it is raised (also for datagrams that never
 * complete). Held and dropped fragments emit nothing (they are counted in the Reassembler's stats).
 *
 * Time is the packets' own: the Reassembler expires datagrams as packet timestamps advance, so a replayed
 * capture gives the same events on every run. On completion of the source the datagrams still held are
 * flushed (counted as `flushed`).
 */
import { Observable, filter, map, type OperatorFunction } from 'rxjs';
import { Reassembler } from './reassembler.js';
import type { FragmentEvasion, RawPacket, ReassemblerOptions } from './types.js';

/** A frame leaving the stage; `fragments` is 0 for a frame that was not a fragment. */
export interface ReassembledPacketEvent {
  type: 'packet';
  packet: RawPacket;
  fragments: number;
}

export type ReassemblyEvent = ReassembledPacketEvent | FragmentEvasion;

export interface ReassembleOptions extends ReassemblerOptions {
  /**
   * The Reassembler to use (to read its stats, or share it); the other options are then ignored. Default:
   * a new one per subscription, built from the options.
   */
  reassembler?: Reassembler;
}

export function reassemble(options: ReassembleOptions = {}): OperatorFunction<RawPacket, ReassemblyEvent> {
  const { reassembler: given, ...rest } = options;
  return (source) =>
    new Observable<ReassemblyEvent>((subscriber) => {
      const r = given ?? new Reassembler(rest);
      return source.subscribe({
        next(p) {
          const res = r.push(p.bytes, p.linkType, p.ts);
          for (const f of res.findings) subscriber.next(f);
          if (res.kind === 'whole') subscriber.next({ type: 'packet', packet: p, fragments: 0 });
          else if (res.kind === 'reassembled') {
            subscriber.next({ type: 'packet', packet: { ts: p.ts, linkType: res.linkType, bytes: res.bytes }, fragments: res.fragments });
          }
        },
        error(e: unknown) {
          subscriber.error(e);
        },
        complete() {
          r.flush();
          subscriber.complete();
        },
      });
    });
}

/** Keeps the frames of a reassembly event stream. */
export function reassembledPackets(): OperatorFunction<ReassemblyEvent, RawPacket> {
  return (source) =>
    source.pipe(
      filter((e): e is ReassembledPacketEvent => e.type === 'packet'),
      map((e) => e.packet),
    );
}

/** Keeps the findings of a reassembly event stream. */
export function fragmentEvasions(): OperatorFunction<ReassemblyEvent, FragmentEvasion> {
  return filter((e): e is FragmentEvasion => e.type === 'fragment_evasion');
}
