/**
 * Resolvers of schema/topology.graphql. Top-level fields validate their arguments (typed BAD_USER_INPUT /
 * NOT_FOUND errors, errors.ts) and call the read repository; nested fields go through the request's
 * DataLoaders (context.ts), so a response costs one query per level, whatever the number of objects.
 * Parent objects are the repository's rows and the model's TopologyEvents (codegen.ts, mappers).
 */
import { ENUM_VALUES } from './enum-values.js';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Observable } from 'rxjs';
import { portKey, segmentKey, type PortRef, type TopologyEvent, type TopologyEventType } from '../topology/model.js';
import { Cidr, parseDpid, parseHostRef, parseIp, parseMac, parseSegmentKey } from '../topology/read/address.js';
import { CursorError } from '../topology/read/page.js';
import type { HostFilter, PageArgs } from '../topology/read/reader.js';
import type { ConnectionRow, HopRow, HostRow, PortRow, SwitchRow } from '../topology/read/rows.js';
import type { ApiContext } from './context.js';
import { badInput, notFound, parseArg } from './errors.js';
import { EVENT_OBJECT_TYPE, eventStream } from './events.js';
import type * as G from './generated/graphql.js';
import type { HostFilter as HostFilterInput, Resolvers } from './generated/graphql.js';
import type * as M from '../topology/model.js';

// The SDL's enums carry the model's values (codegen.ts, enumValues): a value added to the model and not to
// schema/topology.graphql (or the other way round) fails here, at compile time.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _enumsMatchTheModel: [
  Same<G.PortState, M.PortState>,
  Same<G.HostSource, M.HostSource>,
  Same<G.SegmentKind, M.SegmentKind>,
  Same<G.LinkSource, M.LinkSource>,
  Same<G.LinkDownReason, M.LinkDownReason>,
  Same<G.HostGoneReason, M.HostGoneReason>,
  Same<G.TopologyEventType, M.TopologyEventType>,
] = [true, true, true, true, true, true, true];

/** Page sizes a connection accepts. */
export const MAX_PAGE = 500;

export interface ResolverDeps {
  topologyEvents$: Observable<TopologyEvent>;
  /** Events held per subscriber before the oldest are dropped. */
  subscriptionBuffer: number;
  onSubscriptionDrop: () => void;
}

function intScalar(name: string, description: string, max: number): GraphQLScalarType<number, number> {
  const check = (v: unknown): number => {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max) return v;
    throw new GraphQLError(`${name} must be an integer from 0 to ${max}, got ${JSON.stringify(v)}`);
  };
  return new GraphQLScalarType<number, number>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.INT) throw new GraphQLError(`${name} must be an integer literal`, { nodes: node });
      return check(Number(node.value));
    },
  });
}

function pageArgs(first: number | null | undefined, after: string | null | undefined): PageArgs {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput('first', `must be an integer from 1 to ${MAX_PAGE}, got ${JSON.stringify(first)}`);
  }
  return { first, after: after ?? null };
}

/** Awaits a connection page; a cursor the connection does not recognize is the client's `after`. */
async function page<T>(p: Promise<ConnectionRow<T>>): Promise<ConnectionRow<T>> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof CursorError) throw badInput('after', e.message);
    throw e;
  }
}

function hostFilter(f: HostFilterInput | null | undefined): HostFilter {
  const out: HostFilter = {};
  if (!f) return out;
  if (f.mac != null) out.mac = parseArg('filter.mac', () => parseMac(f.mac!));
  if (f.ip != null) out.ip = parseArg('filter.ip', () => parseIp(f.ip!).address);
  if (f.cidr != null) out.cidr = parseArg('filter.cidr', () => Cidr.parse(f.cidr!));
  if (f.segment != null) out.segment = parseArg('filter.segment', () => parseSegmentKey(f.segment!));
  if (f.switch != null) out.switch = parseArg('filter.switch', () => parseDpid(f.switch!));
  return out;
}

/** A switch row for a dpid the graph does not (yet) have: a port or neighbor always has a switch. */
function unknownSwitch(dpid: string): SwitchRow {
  return { dpid, name: '', address: null, nTables: null, connected: false, firstSeen: null, lastSeen: null };
}

async function switchOf(ctx: ApiContext, dpid: string): Promise<SwitchRow> {
  return (await ctx.loaders.switchByDpid.load(dpid)) ?? unknownSwitch(dpid);
}

async function hostByRef(ctx: ApiContext, argument: 'from' | 'to', text: string): Promise<HostRow & { attachment: NonNullable<HostRow['attachment']> }> {
  const ref = parseArg(argument, () => parseHostRef(text));
  const host = 'mac' in ref ? await ctx.loaders.hostByMac.load(ref.mac) : await ctx.loaders.hostByIp.load(ref.ip);
  if (!host) throw notFound(argument, `no host has ${'mac' in ref ? 'MAC' : 'IP address'} ${'mac' in ref ? ref.mac : ref.ip}`);
  if (!host.attachment) throw notFound(argument, `host ${host.mac} has no access port`);
  return host as HostRow & { attachment: NonNullable<HostRow['attachment']> };
}

/** The hops of a route: in at the source host's port, out at the destination host's, LINKs between. */
function hops(src: PortRow, dst: PortRow, outs: PortRow[], ins: PortRow[]): HopRow[] {
  const enter = [src, ...ins];
  const leave = [...outs, dst];
  return enter.map((inPort, i) => ({ dpid: inPort.dpid, inPort, outPort: leave[i]! }));
}

const totalCount = { totalCount: (c: ConnectionRow<unknown>) => c.totalCount() };

export function createResolvers(deps: ResolverDeps): Resolvers {
  return {
    Timestamp: intScalar('Timestamp', 'Epoch milliseconds.', Number.MAX_SAFE_INTEGER),
    PortNumber: intScalar('PortNumber', 'An OpenFlow port number (unsigned 32-bit).', 0xffffffff),

    ...ENUM_VALUES,

    Query: {
      switches: (_, a, ctx) => page(ctx.reader.switches(pageArgs(a.first, a.after), { connected: a.connected ?? null })),
      links: (_, a, ctx) => {
        const p = pageArgs(a.first, a.after);
        const dpid = a.dpid != null ? parseArg('dpid', () => parseDpid(a.dpid!)) : null;
        return page(ctx.reader.links(p, { dpid }));
      },
      hosts: (_, a, ctx) => {
        const p = pageArgs(a.first, a.after);
        return page(ctx.reader.hosts(p, hostFilter(a.filter)));
      },
      vms: (_, a, ctx) => page(ctx.reader.vms(pageArgs(a.first, a.after))),
      segments: (_, a, ctx) => page(ctx.reader.segments(pageArgs(a.first, a.after), { kind: a.kind ?? null })),
      switch: (_, a, ctx) => ctx.loaders.switchByDpid.load(parseArg('dpid', () => parseDpid(a.dpid))),
      host: (_, a, ctx) => ctx.loaders.hostByMac.load(parseArg('mac', () => parseMac(a.mac))),
      path: async (_, a, ctx) => {
        const [from, to] = await Promise.all([hostByRef(ctx, 'from', a.from), hostByRef(ctx, 'to', a.to)]);
        const src = from.attachment.port;
        const dst = to.attachment.port;
        const route = await ctx.reader.route(src.dpid, dst.dpid);
        if (!route) return null;
        return { from, to, hops: hops(src, dst, route.outs, route.ins) };
      },
      neighbors: async (_, a, ctx) => {
        const dpid = parseArg('dpid', () => parseDpid(a.dpid));
        const [sw, neighbors] = await Promise.all([ctx.loaders.switchByDpid.load(dpid), ctx.loaders.neighborsBySwitch.load(dpid)]);
        if (!sw) throw notFound('dpid', `no switch has dpid ${dpid}`);
        return neighbors;
      },
    },

    SwitchConnection: totalCount,
    LinkConnection: totalCount,
    HostConnection: totalCount,
    VMConnection: totalCount,
    SegmentConnection: totalCount,

    Switch: {
      ports: (s, _, ctx) => ctx.loaders.portsBySwitch.load(s.dpid),
      neighbors: (s, _, ctx) => ctx.loaders.neighborsBySwitch.load(s.dpid),
    },
    Port: {
      switch: (p, _, ctx) => switchOf(ctx, p.dpid),
      link: (p, _, ctx) => ctx.loaders.linkFromPort.load(portKey(p)),
      peer: async (p, _, ctx) => (await ctx.loaders.linkFromPort.load(portKey(p)))?.dst ?? null,
      hosts: (p, _, ctx) => ctx.loaders.hostsByPort.load(portKey(p)),
      segments: (p, _, ctx) => ctx.loaders.segmentsByPort.load(portKey(p)),
      vm: (p, _, ctx) => ctx.loaders.vmByPort.load(portKey(p)),
    },
    Neighbor: {
      switch: (n, _, ctx) => switchOf(ctx, n.dpid),
    },
    Host: {
      ips: (h, _, ctx) => ctx.loaders.ipsByHost.load(h.mac),
      vm: (h, _, ctx) => ctx.loaders.vmByHost.load(h.mac),
    },
    Attachment: {
      switch: (a, _, ctx) => switchOf(ctx, a.port.dpid),
    },
    VM: {
      port: (v, _, ctx) => ctx.loaders.portOfVm.load(v.uuid),
      host: (v, _, ctx) => ctx.loaders.hostOfVm.load(v.uuid),
    },
    Segment: {
      ports: (g, _, ctx) => ctx.loaders.portsBySegment.load(g.key),
      hosts: (g, _, ctx) => ctx.loaders.hostsBySegment.load(g.key),
    },
    Path: {
      length: (p) => p.hops.length - 1,
    },
    Hop: {
      switch: (h, _, ctx) => switchOf(ctx, h.dpid),
    },
    PortRef: {
      port: (r: PortRef, _, ctx) => ctx.loaders.portByKey.load(portKey(r)),
    },

    Subscription: {
      topologyEvents: {
        subscribe: (_, a) =>
          eventStream(deps.topologyEvents$, {
            types: a.types ? new Set<TopologyEventType>(a.types) : null,
            bufferSize: deps.subscriptionBuffer,
            onDrop: deps.onSubscriptionDrop,
          }),
        // Each event is resolved against the graph as it is when the event goes out, not as the first
        // event of a long subscription found it.
        resolve: (ev: TopologyEvent, _: unknown, ctx: ApiContext) => {
          ctx.refresh();
          return ev;
        },
      },
    },
    TopologyEvent: {
      __resolveType: (ev) => EVENT_OBJECT_TYPE[ev.type],
    },
    SwitchUpEvent: {
      switch: (ev) => ev.switch,
    },
    LinkUpEvent: {
      src: (ev) => ev.link.src,
      dst: (ev) => ev.link.dst,
      firstSeen: (ev) => ev.link.firstSeen,
      lastSeen: (ev) => ev.link.lastSeen,
      via: (ev) => ev.link.via ?? 'lldp',
      latencyMs: (ev) => ev.link.latencyMs ?? null,
    },
    LinkSeenEvent: {
      latencyMs: (ev) => ev.latencyMs ?? null,
    },
    HostSeenEvent: {
      mac: (ev) => ev.host.mac,
      port: (ev) => ev.host.port,
      vlan: (ev) => ev.host.vlan,
      ips: (ev) => ev.host.ips.map((ip) => ({ address: ip.address, version: ip.version, firstSeen: ip.firstSeen ?? null, lastSeen: ip.lastSeen ?? null })),
      firstSeen: (ev) => ev.host.firstSeen,
      lastSeen: (ev) => ev.host.lastSeen,
      source: (ev) => ev.host.source,
      host: (ev, _, ctx) => ctx.loaders.hostByMac.load(ev.host.mac),
    },
    HostMovedEvent: {
      host: (ev, _, ctx) => ctx.loaders.hostByMac.load(ev.mac),
    },
    HostIpEvent: {
      ip: (ev) => ({ address: ev.ip.address, version: ev.ip.version, firstSeen: ev.ip.firstSeen ?? null, lastSeen: ev.ip.lastSeen ?? null }),
      host: (ev, _, ctx) => ctx.loaders.hostByMac.load(ev.mac),
    },
    HostGoneEvent: {
      host: (ev, _, ctx) => ctx.loaders.hostByMac.load(ev.mac),
    },
    SegmentRef: {
      key: (r) => segmentKey(r),
      segment: async (r, _, ctx) => (await ctx.loaders.segmentByKey.load(segmentKey(r))) ?? null,
    },
    VmSeenEvent: {
      vm: (ev) => ({
        uuid: ev.vm.uuid,
        name: ev.vm.name,
        ifaceId: ev.vm.ifaceId,
        mac: ev.vm.mac,
        bridge: ev.vm.bridge,
        interfaceName: ev.vm.interfaceName,
        lastSeen: null,
      }),
      port: (ev) => ev.vm.port,
    },
    SegmentSeenEvent: {
      segment: (ev) => ({ key: segmentKey(ev.segment), ...ev.segment }),
    },
  };
}
