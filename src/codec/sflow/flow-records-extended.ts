/** Extended flow records: switch (0:1001), router (0:1002) and gateway (0:1003). */
import type { XdrReader } from './xdr.js';

export interface ExtendedSwitchRecord {
  type: 'extended_switch';
  /** 802.1Q VLAN id / 802.1p priority of the incoming and outgoing frame. */
  srcVlan: number;
  srcPriority: number;
  dstVlan: number;
  dstPriority: number;
}

export interface ExtendedRouterRecord {
  type: 'extended_router';
  /** IP address of the next-hop router ('' when the agent sent address type 0, unknown). */
  nextHop: string;
  srcMaskLen: number;
  dstMaskLen: number;
}

/** One segment of a BGP AS path: type 1 AS_SET, 2 AS_SEQUENCE. */
export interface AsPathSegment {
  type: number;
  asns: number[];
}

export interface ExtendedGatewayRecord {
  type: 'extended_gateway';
  /** Address of the border router to use for the destination network ('' when unknown). */
  nextHop: string;
  /** AS of this router, of the source, and of the source's peer. */
  as: number;
  srcAs: number;
  srcPeerAs: number;
  dstAsPath: AsPathSegment[];
  communities: number[];
  localPref: number;
}

export function decodeExtendedSwitch(r: XdrReader): ExtendedSwitchRecord {
  return {
    type: 'extended_switch',
    srcVlan: r.u32('src_vlan'),
    srcPriority: r.u32('src_priority'),
    dstVlan: r.u32('dst_vlan'),
    dstPriority: r.u32('dst_priority'),
  };
}

export function decodeExtendedRouter(r: XdrReader): ExtendedRouterRecord {
  return {
    type: 'extended_router',
    nextHop: r.address('nexthop'),
    srcMaskLen: r.u32('src_mask_len'),
    dstMaskLen: r.u32('dst_mask_len'),
  };
}

function u32List(r: XdrReader, field: string): number[] {
  const n = r.count(field, 4);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = r.u32(field);
  return out;
}

export function decodeExtendedGateway(r: XdrReader): ExtendedGatewayRecord {
  const nextHop = r.address('nexthop');
  const as = r.u32('as');
  const srcAs = r.u32('src_as');
  const srcPeerAs = r.u32('src_peer_as');
  const segments = r.count('dst_as_path', 8);
  const dstAsPath: AsPathSegment[] = [];
  for (let i = 0; i < segments; i++) {
    const type = r.u32('as_path segment type');
    dstAsPath.push({ type, asns: u32List(r, 'as_path segment') });
  }
  const communities = u32List(r, 'communities');
  const localPref = r.u32('localpref');
  return { type: 'extended_gateway', nextHop, as, srcAs, srcPeerAs, dstAsPath, communities, localPref };
}
