import { Subject } from 'rxjs';
import { EVENT_OBJECT_TYPE, eventStream } from '../../../src/api/events.js';
import type { TopologyEvent } from '../../../src/topology/model.js';

const down = (at: number): TopologyEvent => ({ type: 'switch.down', at, dpid: '0000000000000001' });
const gone = (at: number): TopologyEvent => ({ type: 'vm.gone', at, uuid: 'u' });

describe('eventStream', () => {
  it('subscribes at once, keeps the requested types, and unsubscribes on return', async () => {
    const src = new Subject<TopologyEvent>();
    const it = eventStream(src, { types: new Set(['vm.gone']), bufferSize: 10, onDrop: () => {} });
    expect(src.observed).toBe(true);
    const next = it.next();
    src.next(down(1));
    src.next(gone(2));
    expect(await next).toEqual({ value: gone(2), done: false });
    await it.return!();
    expect(src.observed).toBe(false);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('drops the oldest events past the buffer for a slow reader, and counts them', async () => {
    const src = new Subject<TopologyEvent>();
    let drops = 0;
    const it = eventStream(src, { types: null, bufferSize: 3, onDrop: () => drops++ });
    for (let i = 0; i < 5; i++) src.next(down(i));
    expect(drops).toBe(2);
    const got = [await it.next(), await it.next(), await it.next()].map((r) => (r.value as TopologyEvent).at);
    expect(got).toEqual([2, 3, 4]);
  });

  it('ends when the source completes (after the buffered events) and fails when it errors', async () => {
    const src = new Subject<TopologyEvent>();
    const it = eventStream(src, { types: null, bufferSize: 10, onDrop: () => {} });
    src.next(down(1));
    src.complete();
    expect((await it.next()).done).toBe(false);
    expect((await it.next()).done).toBe(true);

    const bad = new Subject<TopologyEvent>();
    const it2 = eventStream(bad, { types: null, bufferSize: 10, onDrop: () => {} });
    const pending = it2.next();
    bad.error(new Error('source failed'));
    await expect(pending).rejects.toThrow('source failed');
  });

  it('maps every event type onto an SDL object type', () => {
    expect(EVENT_OBJECT_TYPE['port.up']).toBe('PortStateEvent');
    expect(new Set(Object.values(EVENT_OBJECT_TYPE)).size).toBe(Object.keys(EVENT_OBJECT_TYPE).length - 1);
  });
});
