/** The reassembly stage as an RxJS operator over RawPacket { ts, linkType, bytes }. */
import { firstValueFrom, from, lastValueFrom, Subject, throwError, toArray, concat } from 'rxjs';
import { Reassembler, fragmentEvasions, reassemble, reassembledPackets, type RawPacket, type ReassemblyEvent } from '../../../../src/analysis/reassembly/index.js';
import { filled, ipv4Fragment, pattern, split, udp } from './helpers.js';

const payload = udp(pattern(2500, 4));
const frags = split(payload, 1000).map((p) => ipv4Fragment({ ...p, df: true }));
const whole = ipv4Fragment({ offset: 0, more: false, data: udp(filled(10, 1)) });

function packets(): RawPacket[] {
  return [
    { ts: 1000, linkType: 1, bytes: frags[2]! },
    { ts: 1001, linkType: 1, bytes: whole },
    { ts: 1002, linkType: 1, bytes: frags[0]! },
    { ts: 1003, linkType: 1, bytes: frags[1]! },
  ];
}

describe('reassemble()', () => {
  it('emits whole frames as they came, reassembled ones at their last fragment, and findings as raised', async () => {
    const events = await lastValueFrom(from(packets()).pipe(reassemble(), toArray()));
    expect(events.map((e) => (e.type === 'packet' ? `packet ${e.packet.ts} x${e.fragments}` : `${e.type} ${e.reason}`))).toEqual([
      'fragment_evasion dont-fragment',
      'packet 1001 x0',
      'packet 1003 x3',
    ]);
    const [, w, r] = events as [ReassemblyEvent, Extract<ReassemblyEvent, { type: 'packet' }>, Extract<ReassemblyEvent, { type: 'packet' }>];
    expect(w.packet.bytes).toBe(whole);
    expect(r.packet.bytes.subarray(34)).toEqual(payload);
    expect(JSON.parse(JSON.stringify(events[0]))).toEqual(events[0]); // findings are plain data
  });

  it('reassembledPackets() and fragmentEvasions() split the stream', async () => {
    const out = await lastValueFrom(from(packets()).pipe(reassemble(), reassembledPackets(), toArray()));
    expect(out.map((p) => p.ts)).toEqual([1001, 1003]);
    const f = await firstValueFrom(from(packets()).pipe(reassemble(), fragmentEvasions()));
    expect(f.reason).toBe('dont-fragment');
  });

  it('uses a given Reassembler (stats readable), flushes it when the source completes', async () => {
    const r = new Reassembler({ policy: 'bsd' });
    await lastValueFrom(from(packets().slice(0, 3)).pipe(reassemble({ reassembler: r }), toArray()));
    expect(r.stats).toMatchObject({ fragments: 2, whole: 1, flushed: 1, datagrams: 0 });
  });

  it('keeps state per subscription and expires by packet time', () => {
    const src = new Subject<RawPacket>();
    const a: ReassemblyEvent[] = [];
    const b: ReassemblyEvent[] = [];
    const c: ReassemblyEvent[] = [];
    const s1 = src.pipe(reassemble({ timeoutMs: 10 })).subscribe((e) => a.push(e));
    const s3 = src.pipe(reassemble({ timeoutMs: 8 })).subscribe((e) => c.push(e));
    src.next({ ts: 0, linkType: 1, bytes: frags[0]! });
    const s2 = src.pipe(reassemble({ timeoutMs: 10 })).subscribe((e) => b.push(e));
    src.next({ ts: 5, linkType: 1, bytes: frags[1]! });
    src.next({ ts: 9, linkType: 1, bytes: frags[2]! });
    expect(a.filter((e) => e.type === 'packet')).toHaveLength(1);
    expect(b.filter((e) => e.type === 'packet')).toHaveLength(0); // subscribed after the first fragment
    expect(c.filter((e) => e.type === 'packet')).toHaveLength(0); // timed out at ts 8, before the last one
    s1.unsubscribe();
    s3.unsubscribe();
    s2.unsubscribe();
  });

  it('passes errors on', async () => {
    await expect(lastValueFrom(concat(from(packets()), throwError(() => new Error('boom'))).pipe(reassemble()))).rejects.toThrow('boom');
  });
});
