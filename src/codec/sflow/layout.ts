/**
 * Fixed-layout XDR structures (most counter records) described once as data: the object decoder reads
 * them field by field. u64 fields become bigint (counters such as ifInOctets pass 2^53 on fast links).
 */
import type { XdrReader } from './xdr.js';

export type FieldKind = 'u32' | 'u64' | 'f32';
export type Layout = readonly (readonly [name: string, kind: FieldKind])[];

/** The object a layout decodes to. */
export type FromLayout<L extends Layout> = { -readonly [E in L[number] as E[0]]: E[1] extends 'u64' ? bigint : number };

/** Byte size of a layout. */
export function layoutSize(layout: Layout): number {
  let n = 0;
  for (const [, kind] of layout) n += kind === 'u64' ? 8 : 4;
  return n;
}

export function readLayout<L extends Layout>(r: XdrReader, layout: L, into: Record<string, unknown>): FromLayout<L> {
  for (const [name, kind] of layout) {
    into[name] = kind === 'u32' ? r.u32(name) : kind === 'u64' ? r.u64(name) : r.f32(name);
  }
  return into as FromLayout<L>;
}
