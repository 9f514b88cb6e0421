/**
 * The per-request GraphQL context: the read repository and a fresh set of DataLoaders over it. Every
 * nested field that needs related rows (a host's IPs, an attachment's switch, a port's link ...) asks a
 * loader, so all the objects of one level of a response are fetched by one batched query.
 */
import DataLoader from 'dataloader';
import type { Logger } from '../observability/log.js';
import type { TopologyReader } from '../topology/read/reader.js';
import type { HostRow, IpRow, LinkRow, NeighborRow, PortRow, SegmentRow, SwitchRow, VmRow } from '../topology/read/rows.js';

export interface Loaders {
  switchByDpid: DataLoader<string, SwitchRow | null>;
  portsBySwitch: DataLoader<string, PortRow[]>;
  portByKey: DataLoader<string, PortRow | null>;
  linkFromPort: DataLoader<string, LinkRow | null>;
  hostsByPort: DataLoader<string, HostRow[]>;
  segmentsByPort: DataLoader<string, SegmentRow[]>;
  vmByPort: DataLoader<string, VmRow | null>;
  hostByMac: DataLoader<string, HostRow | null>;
  hostByIp: DataLoader<string, HostRow | null>;
  ipsByHost: DataLoader<string, IpRow[]>;
  vmByHost: DataLoader<string, VmRow | null>;
  portOfVm: DataLoader<string, PortRow | null>;
  hostOfVm: DataLoader<string, HostRow | null>;
  segmentByKey: DataLoader<string, SegmentRow | null>;
  portsBySegment: DataLoader<string, PortRow[]>;
  hostsBySegment: DataLoader<string, HostRow[]>;
  neighborsBySwitch: DataLoader<string, NeighborRow[]>;
}

export interface ApiContext {
  reader: TopologyReader;
  loaders: Loaders;
  /** Drops every loader's cache (a subscription resolves each event against the graph as it is then). */
  refresh(): void;
  logger: Logger;
}

/** Keys per batched statement: a larger batch is split (DataLoader does it) to keep parameter lists sane. */
const MAX_BATCH = 1000;

export function createLoaders(reader: TopologyReader): Loaders {
  const opts = { maxBatchSize: MAX_BATCH };
  const l = <V>(fn: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> => new DataLoader<string, V>(fn, opts);
  return {
    switchByDpid: l((k) => reader.switchesByDpid(k)),
    portsBySwitch: l((k) => reader.portsBySwitch(k)),
    portByKey: l((k) => reader.portsByKey(k)),
    linkFromPort: l((k) => reader.linksFromPorts(k)),
    hostsByPort: l((k) => reader.hostsByPort(k)),
    segmentsByPort: l((k) => reader.segmentsByPort(k)),
    vmByPort: l((k) => reader.vmsByPort(k)),
    hostByMac: l((k) => reader.hostsByMac(k)),
    hostByIp: l((k) => reader.hostsByIp(k)),
    ipsByHost: l((k) => reader.ipsByHost(k)),
    vmByHost: l((k) => reader.vmsByHost(k)),
    portOfVm: l((k) => reader.portsOfVms(k)),
    hostOfVm: l((k) => reader.hostsOfVms(k)),
    segmentByKey: l((k) => reader.segmentsByKey(k)),
    portsBySegment: l((k) => reader.portsBySegment(k)),
    hostsBySegment: l((k) => reader.hostsBySegment(k)),
    neighborsBySwitch: l((k) => reader.neighborsBySwitch(k)),
  };
}

export function createContext(reader: TopologyReader, logger: Logger): ApiContext {
  const ctx: ApiContext = {
    reader,
    loaders: createLoaders(reader),
    refresh() {
      for (const loader of Object.values(ctx.loaders) as DataLoader<string, unknown>[]) loader.clearAll();
    },
    logger,
  };
  return ctx;
}
