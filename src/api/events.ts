/**
 * Topology events for the `topologyEvents` subscription: the model's TopologyEvent union (src/topology/
 * model.ts) is what the resolvers receive (codegen.ts maps each event type of the SDL onto its member),
 * and `eventStream` turns the controller's Observable into the AsyncIterator GraphQL subscriptions consume.
 */
import type { Observable } from 'rxjs';
import type { TopologyEvent, TopologyEventType } from '../topology/model.js';

type Ev<T extends TopologyEventType> = Extract<TopologyEvent, { type: T }>;

export type AnyTopologyEvent = TopologyEvent;
export type SwitchUpEventRow = Ev<'switch.up'>;
export type SwitchDownEventRow = Ev<'switch.down'>;
export type PortStateEventRow = Ev<'port.up' | 'port.down'>;
export type PortDeletedEventRow = Ev<'port.deleted'>;
export type LinkUpEventRow = Ev<'link.up'>;
export type LinkSeenEventRow = Ev<'link.seen'>;
export type LinkDownEventRow = Ev<'link.down'>;
export type HostSeenEventRow = Ev<'host.seen'>;
export type HostMovedEventRow = Ev<'host.moved'>;
export type HostIpEventRow = Ev<'host.ip'>;
export type HostGoneEventRow = Ev<'host.gone'>;
export type PortSegmentsEventRow = Ev<'port.segments'>;
export type VmSeenEventRow = Ev<'vm.seen'>;
export type VmGoneEventRow = Ev<'vm.gone'>;
export type SegmentSeenEventRow = Ev<'segment.seen'>;

/** The SDL object type of each event. */
export const EVENT_OBJECT_TYPE = {
  'switch.up': 'SwitchUpEvent',
  'switch.down': 'SwitchDownEvent',
  'port.up': 'PortStateEvent',
  'port.down': 'PortStateEvent',
  'port.deleted': 'PortDeletedEvent',
  'link.up': 'LinkUpEvent',
  'link.seen': 'LinkSeenEvent',
  'link.down': 'LinkDownEvent',
  'host.seen': 'HostSeenEvent',
  'host.moved': 'HostMovedEvent',
  'host.ip': 'HostIpEvent',
  'host.gone': 'HostGoneEvent',
  'vm.seen': 'VmSeenEvent',
  'vm.gone': 'VmGoneEvent',
  'segment.seen': 'SegmentSeenEvent',
  'port.segments': 'PortSegmentsEvent',
} as const satisfies Record<TopologyEventType, string>;

export interface EventStreamOptions {
  /** Keep only these types (null: all). */
  types: ReadonlySet<TopologyEventType> | null;
  /** Events held for a subscriber that reads slower than they come; past it the oldest is dropped. */
  bufferSize: number;
  onDrop: () => void;
}

/**
 * The events of `events$` from now on, as an AsyncIterableIterator: subscribed at once, unsubscribed when
 * the consumer returns (the client went away) or the source completes. A slow consumer never holds the
 * source back: at most `bufferSize` events wait, the oldest are dropped (and counted) beyond that.
 */
export function eventStream(events$: Observable<TopologyEvent>, opts: EventStreamOptions): AsyncIterableIterator<TopologyEvent> {
  const queue: TopologyEvent[] = [];
  let waiting: { resolve: (r: IteratorResult<TopologyEvent>) => void; reject: (e: unknown) => void } | null = null;
  let finished = false;
  let failure: { error: unknown } | null = null;

  const settle = (): void => {
    if (!waiting) return;
    const w = waiting;
    if (queue.length > 0) {
      waiting = null;
      w.resolve({ value: queue.shift()!, done: false });
    } else if (failure) {
      waiting = null;
      w.reject(failure.error);
    } else if (finished) {
      waiting = null;
      w.resolve({ value: undefined, done: true });
    }
  };

  const subscription = events$.subscribe({
    next(ev) {
      if (finished || (opts.types && !opts.types.has(ev.type))) return;
      if (queue.length >= opts.bufferSize) {
        queue.shift();
        opts.onDrop();
      }
      queue.push(ev);
      settle();
    },
    error(error: unknown) {
      failure = { error };
      finished = true;
      settle();
    },
    complete() {
      finished = true;
      settle();
    },
  });

  const stop = (): Promise<IteratorResult<TopologyEvent>> => {
    finished = true;
    queue.length = 0;
    failure = null;
    subscription.unsubscribe();
    settle();
    return Promise.resolve({ value: undefined, done: true });
  };

  return {
    next() {
      if (queue.length === 0 && failure) {
        const { error } = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return: stop,
    throw(error: unknown) {
      void stop();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
