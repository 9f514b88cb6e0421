/** SflowCollector without a socket (inject): the tap sees every datagram, before the ingest emits its batch. */
import { SflowCollector, type SflowBatch } from '../../../../src/southbound/sflow/index.js';
import { encodeDatagram } from '../../../support/sflow-encode.js';

describe('SflowCollector tap', () => {
  it('sees each datagram (junk included) before its batch is emitted', () => {
    const events: string[] = [];
    const c = new SflowCollector({ tap: (bytes, oversize) => events.push(`tap ${bytes.length} ${oversize}`) });
    c.batches$.subscribe((b: SflowBatch) => events.push(`batch ${b.datagrams} ${b.counters.length} ${b.malformed}`));
    const good = encodeDatagram({ agent: '192.0.2.1', subAgentId: 0, sequence: 1, uptime: 1, samples: [{ kind: 'counters', expanded: false, sequence: 1, sourceIdType: 0, sourceIdIndex: 3, records: [] }] });
    c.inject(good);
    c.inject(new Uint8Array([0, 0, 0, 5, 0]));
    expect(events).toEqual([`tap ${good.length} false`, 'batch 1 1 0', 'tap 5 false', 'batch 1 0 1']);
    expect(c.stats().ingest).toMatchObject({ datagrams: 2, accepted: 1, malformed: 1 });
  });
});
