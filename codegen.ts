/**
 * graphql-codegen: TypeScript types and resolver signatures from schema/topology.graphql into
 * src/api/generated/graphql.ts (committed). `npm run codegen` regenerates it; a unit test
 * (test/unit/api/codegen.test.ts) generates it in memory and fails when the committed file is stale.
 *
 * Mappers name the objects the resolvers really pass around (rows read from Neo4j, TopologyEvents), so
 * each resolver's parent type is what the read repository returns; enum values map the SDL's
 * SCREAMING_CASE enums onto the model's string literals ('up', 'switch.up', ...).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const ROWS = '../../topology/read/rows.js';
const EVENTS = '../events.js';
const MODEL = '../../topology/model.js';

const config: CodegenConfig = {
  schema: 'schema/topology.graphql',
  emitLegacyCommonJSImports: false,
  generates: {
    'src/api/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Timestamp: 'number', PortNumber: 'number' },
        contextType: '../context.js#ApiContext',
        useIndexSignature: false,
        enumValues: {
          PortState: { UP: 'up', DOWN: 'down', BLOCKED: 'blocked' },
          HostSource: { PACKET_IN: 'packet-in', SFLOW: 'sflow', OVSDB: 'ovsdb' },
          SegmentKind: { VLAN: 'vlan', VNI: 'vni' },
          LinkSource: { LLDP: 'lldp', RSTP: 'rstp' },
          HostGoneReason: { EVICTED: 'evicted', INTER_SWITCH_PORT: 'inter-switch-port' },
          LinkDownReason: { TIMEOUT: 'timeout', PORT_DOWN: 'port-down', PORT_DELETED: 'port-deleted', SWITCH_DOWN: 'switch-down' },
          TopologyEventType: {
            SWITCH_UP: 'switch.up',
            SWITCH_DOWN: 'switch.down',
            PORT_UP: 'port.up',
            PORT_DOWN: 'port.down',
            PORT_DELETED: 'port.deleted',
            LINK_UP: 'link.up',
            LINK_SEEN: 'link.seen',
            LINK_DOWN: 'link.down',
            HOST_SEEN: 'host.seen',
            HOST_MOVED: 'host.moved',
            HOST_IP: 'host.ip',
            HOST_GONE: 'host.gone',
            VM_SEEN: 'vm.seen',
            VM_GONE: 'vm.gone',
            SEGMENT_SEEN: 'segment.seen',
            PORT_SEGMENTS: 'port.segments',
          },
        },
        mappers: {
          PortState: `${MODEL}#PortState as ModelPortState`,
          HostSource: `${MODEL}#HostSource as ModelHostSource`,
          SegmentKind: `${MODEL}#SegmentKind as ModelSegmentKind`,
          LinkSource: `${MODEL}#LinkSource as ModelLinkSource`,
          LinkDownReason: `${MODEL}#LinkDownReason as ModelLinkDownReason`,
          HostGoneReason: `${MODEL}#HostGoneReason as ModelHostGoneReason`,
          TopologyEventType: `${MODEL}#TopologyEventType as ModelTopologyEventType`,
          SwitchConnection: `${ROWS}#SwitchConnectionRow`,
          LinkConnection: `${ROWS}#LinkConnectionRow`,
          HostConnection: `${ROWS}#HostConnectionRow`,
          VMConnection: `${ROWS}#VmConnectionRow`,
          SegmentConnection: `${ROWS}#SegmentConnectionRow`,
          Switch: `${ROWS}#SwitchRow`,
          Port: `${ROWS}#PortRow`,
          Link: `${ROWS}#LinkRow`,
          Neighbor: `${ROWS}#NeighborRow`,
          IPAddress: `${ROWS}#IpRow`,
          Attachment: `${ROWS}#AttachmentRow`,
          Host: `${ROWS}#HostRow`,
          VM: `${ROWS}#VmRow`,
          Segment: `${ROWS}#SegmentRow`,
          Path: `${ROWS}#PathRow`,
          Hop: `${ROWS}#HopRow`,
          PortRef: `${ROWS}#PortRefRow`,
          SegmentRef: `${ROWS}#SegmentRefRow`,
          TopologyEvent: `${EVENTS}#AnyTopologyEvent`,
          SwitchUpEvent: `${EVENTS}#SwitchUpEventRow`,
          SwitchDownEvent: `${EVENTS}#SwitchDownEventRow`,
          PortStateEvent: `${EVENTS}#PortStateEventRow`,
          PortDeletedEvent: `${EVENTS}#PortDeletedEventRow`,
          LinkUpEvent: `${EVENTS}#LinkUpEventRow`,
          LinkSeenEvent: `${EVENTS}#LinkSeenEventRow`,
          LinkDownEvent: `${EVENTS}#LinkDownEventRow`,
          HostSeenEvent: `${EVENTS}#HostSeenEventRow`,
          HostMovedEvent: `${EVENTS}#HostMovedEventRow`,
          HostIpEvent: `${EVENTS}#HostIpEventRow`,
          HostGoneEvent: `${EVENTS}#HostGoneEventRow`,
          PortSegmentsEvent: `${EVENTS}#PortSegmentsEventRow`,
          VmSeenEvent: `${EVENTS}#VmSeenEventRow`,
          VmGoneEvent: `${EVENTS}#VmGoneEventRow`,
          SegmentSeenEvent: `${EVENTS}#SegmentSeenEventRow`,
        },
      },
    },
  },
};

export default config;
