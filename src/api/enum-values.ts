/**
 * How the SDL's SCREAMING_CASE enums map onto the model's string literals ('up', 'switch.up', ...): one
 * table, read by codegen.ts (generated enum types) and by the resolvers (runtime values), so the two
 * cannot drift apart.
 */
export const ENUM_VALUES = {
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
        } as const;
