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
import { ENUM_VALUES } from './src/api/enum-values.js';

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
        enumValues: ENUM_VALUES,
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
