/**
 * Typed rows of the Open_vSwitch database tables Vigil uses, derived at the type level from the schema.
 *
 * `VSWITCH_TABLES` is the `tables` part of vswitch.ovsschema 8.3.1 (Open vSwitch 3.1,
 * /usr/share/openvswitch/vswitch.ovsschema) for the tables listed below, copied verbatim (as data,
 * `as const`). Row types follow from it: scalar columns are atoms, set columns (incl. 0-or-1 "optional"
 * ones) `OvsdbSet`, map columns `OvsdbMap`, enum strings literal unions, references `Uuid`. At start-up
 * `checkVswitchSchema` compares it with the server's schema (get_schema) and names every difference, so a
 * server whose schema Vigil cannot use is refused with a clear message instead of failing later.
 */
import { columnKind, parseColumnType, type BaseType, type ColumnType, type DatabaseSchema } from '../../codec/ovsdb/schema.js';
import type { Atom, OvsdbMap, OvsdbSet, Uuid } from '../../codec/ovsdb/value.js';

export const VSWITCH_DB = 'Open_vSwitch';
export const VSWITCH_SCHEMA_VERSION = '8.3.1';

export const VSWITCH_TABLES = {
  Open_vSwitch: {
    isRoot: true,
    maxRows: 1,
    columns: {
      datapaths: { type: { key: { type: 'string' }, value: { type: 'uuid', refTable: 'Datapath' }, min: 0, max: 'unlimited' } },
      bridges: { type: { key: { type: 'uuid', refTable: 'Bridge' }, min: 0, max: 'unlimited' } },
      manager_options: { type: { key: { type: 'uuid', refTable: 'Manager' }, min: 0, max: 'unlimited' } },
      ssl: { type: { key: { type: 'uuid', refTable: 'SSL' }, min: 0, max: 1 } },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      next_cfg: { type: 'integer' },
      cur_cfg: { type: 'integer' },
      statistics: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      ovs_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      db_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      system_type: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      system_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      datapath_types: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' } },
      iface_types: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' } },
      dpdk_initialized: { type: 'boolean' },
      dpdk_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
    },
  },
  Bridge: {
    indexes: [['name']],
    columns: {
      name: { type: 'string', mutable: false },
      datapath_type: { type: 'string' },
      datapath_version: { type: 'string' },
      datapath_id: { type: { key: 'string', min: 0, max: 1 }, ephemeral: true },
      stp_enable: { type: 'boolean' },
      rstp_enable: { type: 'boolean' },
      mcast_snooping_enable: { type: 'boolean' },
      ports: { type: { key: { type: 'uuid', refTable: 'Port' }, min: 0, max: 'unlimited' } },
      mirrors: { type: { key: { type: 'uuid', refTable: 'Mirror' }, min: 0, max: 'unlimited' } },
      netflow: { type: { key: { type: 'uuid', refTable: 'NetFlow' }, min: 0, max: 1 } },
      sflow: { type: { key: { type: 'uuid', refTable: 'sFlow' }, min: 0, max: 1 } },
      ipfix: { type: { key: { type: 'uuid', refTable: 'IPFIX' }, min: 0, max: 1 } },
      controller: { type: { key: { type: 'uuid', refTable: 'Controller' }, min: 0, max: 'unlimited' } },
      protocols: { type: { key: { type: 'string', enum: ['set', ['OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15']] }, min: 0, max: 'unlimited' } },
      fail_mode: { type: { key: { type: 'string', enum: ['set', ['standalone', 'secure']] }, min: 0, max: 1 } },
      status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      rstp_status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      flood_vlans: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 } },
      flow_tables: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 254 }, value: { type: 'uuid', refTable: 'Flow_Table' }, min: 0, max: 'unlimited' } },
      auto_attach: { type: { key: { type: 'uuid', refTable: 'AutoAttach' }, min: 0, max: 1 } },
    },
  },
  Port: {
    indexes: [['name']],
    columns: {
      name: { type: 'string', mutable: false },
      interfaces: { type: { key: { type: 'uuid', refTable: 'Interface' }, min: 1, max: 'unlimited' } },
      trunks: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 } },
      cvlans: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 } },
      tag: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 1 } },
      vlan_mode: { type: { key: { type: 'string', enum: ['set', ['trunk', 'access', 'native-tagged', 'native-untagged', 'dot1q-tunnel']] }, min: 0, max: 1 } },
      qos: { type: { key: { type: 'uuid', refTable: 'QoS' }, min: 0, max: 1 } },
      mac: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      bond_mode: { type: { key: { type: 'string', enum: ['set', ['balance-tcp', 'balance-slb', 'active-backup']] }, min: 0, max: 1 } },
      lacp: { type: { key: { type: 'string', enum: ['set', ['active', 'passive', 'off']] }, min: 0, max: 1 } },
      bond_updelay: { type: 'integer' },
      bond_downdelay: { type: 'integer' },
      bond_active_slave: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      bond_fake_iface: { type: 'boolean' },
      fake_bridge: { type: 'boolean' },
      status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      rstp_status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      rstp_statistics: { type: { key: 'string', value: 'integer', min: 0, max: 'unlimited' }, ephemeral: true },
      statistics: { type: { key: 'string', value: 'integer', min: 0, max: 'unlimited' }, ephemeral: true },
      protected: { type: 'boolean' },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
    },
  },
  Interface: {
    indexes: [['name']],
    columns: {
      name: { type: 'string', mutable: false },
      type: { type: 'string' },
      options: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      ingress_policing_rate: { type: { key: { type: 'integer', minInteger: 0 } } },
      ingress_policing_burst: { type: { key: { type: 'integer', minInteger: 0 } } },
      ingress_policing_kpkts_rate: { type: { key: { type: 'integer', minInteger: 0 } } },
      ingress_policing_kpkts_burst: { type: { key: { type: 'integer', minInteger: 0 } } },
      mac_in_use: { type: { key: { type: 'string' }, min: 0, max: 1 }, ephemeral: true },
      mac: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      ifindex: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, min: 0, max: 1 }, ephemeral: true },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      ofport: { type: { key: 'integer', min: 0, max: 1 } },
      ofport_request: { type: { key: { type: 'integer', minInteger: 1, maxInteger: 65279 }, min: 0, max: 1 } },
      bfd: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      bfd_status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      cfm_mpid: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
      cfm_remote_mpids: { type: { key: { type: 'integer' }, min: 0, max: 'unlimited' }, ephemeral: true },
      cfm_flap_count: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
      cfm_fault: { type: { key: { type: 'boolean' }, min: 0, max: 1 }, ephemeral: true },
      cfm_fault_status: { type: { key: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      cfm_remote_opstate: { type: { key: { type: 'string', enum: ['set', ['up', 'down']] }, min: 0, max: 1 }, ephemeral: true },
      cfm_health: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 100 }, min: 0, max: 1 }, ephemeral: true },
      lacp_current: { type: { key: { type: 'boolean' }, min: 0, max: 1 }, ephemeral: true },
      lldp: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      statistics: { type: { key: 'string', value: 'integer', min: 0, max: 'unlimited' }, ephemeral: true },
      status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
      admin_state: { type: { key: { type: 'string', enum: ['set', ['up', 'down']] }, min: 0, max: 1 }, ephemeral: true },
      link_state: { type: { key: { type: 'string', enum: ['set', ['up', 'down']] }, min: 0, max: 1 }, ephemeral: true },
      link_resets: { type: { key: { type: 'integer' }, min: 0, max: 1 }, ephemeral: true },
      link_speed: { type: { key: 'integer', min: 0, max: 1 }, ephemeral: true },
      duplex: { type: { key: { type: 'string', enum: ['set', ['half', 'full']] }, min: 0, max: 1 }, ephemeral: true },
      mtu: { type: { key: 'integer', min: 0, max: 1 }, ephemeral: true },
      mtu_request: { type: { key: { type: 'integer', minInteger: 1 }, min: 0, max: 1 } },
      error: { type: { key: 'string', min: 0, max: 1 } },
    },
  },
  Controller: {
    columns: {
      type: { type: { key: { type: 'string', enum: ['set', ['primary', 'service']] }, min: 0, max: 1 } },
      target: { type: 'string' },
      max_backoff: { type: { key: { type: 'integer', minInteger: 1000 }, min: 0, max: 1 } },
      inactivity_probe: { type: { key: 'integer', min: 0, max: 1 } },
      connection_mode: { type: { key: { type: 'string', enum: ['set', ['in-band', 'out-of-band']] }, min: 0, max: 1 } },
      local_ip: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      local_netmask: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      local_gateway: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      enable_async_messages: { type: { key: { type: 'boolean' }, min: 0, max: 1 } },
      controller_queue_size: { type: { key: { type: 'integer', minInteger: 1, maxInteger: 512 }, min: 0, max: 1 } },
      controller_rate_limit: { type: { key: { type: 'integer', minInteger: 100 }, min: 0, max: 1 } },
      controller_burst_limit: { type: { key: { type: 'integer', minInteger: 25 }, min: 0, max: 1 } },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      is_connected: { type: 'boolean', ephemeral: true },
      role: { type: { key: { type: 'string', enum: ['set', ['other', 'master', 'slave']] }, min: 0, max: 1 }, ephemeral: true },
      status: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' }, ephemeral: true },
    },
  },
  Mirror: {
    columns: {
      name: { type: 'string' },
      select_all: { type: 'boolean' },
      select_src_port: { type: { key: { type: 'uuid', refTable: 'Port', refType: 'weak' }, min: 0, max: 'unlimited' } },
      select_dst_port: { type: { key: { type: 'uuid', refTable: 'Port', refType: 'weak' }, min: 0, max: 'unlimited' } },
      select_vlan: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 } },
      output_port: { type: { key: { type: 'uuid', refTable: 'Port', refType: 'weak' }, min: 0, max: 1 } },
      output_vlan: { type: { key: { type: 'integer', minInteger: 1, maxInteger: 4095 }, min: 0, max: 1 } },
      snaplen: { type: { key: { type: 'integer', minInteger: 14, maxInteger: 65535 }, min: 0, max: 1 } },
      statistics: { type: { key: 'string', value: 'integer', min: 0, max: 'unlimited' }, ephemeral: true },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
    },
  },
  sFlow: {
    columns: {
      targets: { type: { key: 'string', min: 1, max: 'unlimited' } },
      sampling: { type: { key: 'integer', min: 0, max: 1 } },
      polling: { type: { key: 'integer', min: 0, max: 1 } },
      header: { type: { key: 'integer', min: 0, max: 1 } },
      agent: { type: { key: 'string', min: 0, max: 1 } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
    },
  },
  QoS: {
    isRoot: true,
    columns: {
      type: { type: 'string' },
      queues: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, value: { type: 'uuid', refTable: 'Queue' }, min: 0, max: 'unlimited' } },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
    },
  },
  Queue: {
    isRoot: true,
    columns: {
      dscp: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 63 }, min: 0, max: 1 } },
      other_config: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
    },
  },
} as const;

export type VswitchTableName = keyof typeof VSWITCH_TABLES;

// ------------------------------------------------------------------------------------ type derivation

type AtomTypeOf<A> = A extends 'integer' | 'real' ? number : A extends 'boolean' ? boolean : A extends 'string' ? string : A extends 'uuid' ? Uuid : never;

/** The TS type of one atom of a <base-type> (enums become literal unions). */
type BaseTs<B> = B extends string
  ? AtomTypeOf<B>
  : B extends { enum: readonly ['set', readonly (infer E)[]] }
    ? E
    : B extends { enum: infer E extends string | number | boolean }
      ? E
      : B extends { type: infer T }
        ? AtomTypeOf<T>
        : never;

type AtomTs<B> = Extract<BaseTs<B>, Atom>;

/** The TS type of a column value, by kind: atom, OvsdbSet (min 0 or max > 1), OvsdbMap. */
export type ColumnTs<T> = T extends string
  ? AtomTypeOf<T>
  : T extends { key: infer K; value: infer V }
    ? OvsdbMap<AtomTs<K>, AtomTs<V>>
    : T extends { key: infer K }
      ? T extends { min: 0 }
        ? OvsdbSet<AtomTs<K>>
        : T extends { max: infer M }
          ? M extends 1
            ? BaseTs<K>
            : OvsdbSet<AtomTs<K>>
          : BaseTs<K>
      : never;

/** A replicated row of a table described by a `{ columns: {...} }` literal. */
export type RowOf<Tbl> = Tbl extends { columns: infer C }
  ? { readonly _uuid: Uuid } & { readonly [K in keyof C]: C[K] extends { type: infer T } ? ColumnTs<T> : never }
  : never;

export type VswitchRows = { [T in VswitchTableName]: RowOf<(typeof VSWITCH_TABLES)[T]> };

export type OpenVSwitchRow = VswitchRows['Open_vSwitch'];
export type BridgeRow = VswitchRows['Bridge'];
export type PortRow = VswitchRows['Port'];
export type InterfaceRow = VswitchRows['Interface'];
export type ControllerRow = VswitchRows['Controller'];
export type MirrorRow = VswitchRows['Mirror'];
export type SFlowRow = VswitchRows['sFlow'];
export type QosRow = VswitchRows['QoS'];
export type QueueRow = VswitchRows['Queue'];

/** Column names of a Vigil table (for monitor requests and selects). */
export type VswitchColumn<T extends VswitchTableName> = keyof (typeof VSWITCH_TABLES)[T]['columns'] & string;

// ----------------------------------------------------------------------------------- schema checking

function describeBase(b: BaseType): string {
  return b.refTable ? `${b.type}->${b.refTable}` : b.type;
}

function describe(t: ColumnType): string {
  const kind = columnKind(t);
  return kind === 'map' ? `map ${describeBase(t.key)}=>${describeBase(t.value!)}` : `${kind} ${describeBase(t.key)}`;
}

/**
 * Differences between the server's schema and what Vigil's typed tables expect: missing tables/columns,
 * or columns whose representation (scalar/optional/set/map), atomic types or referenced tables differ.
 * Extra tables/columns on the server and looser constraints are fine. Empty when compatible.
 */
export function vswitchSchemaProblems(server: DatabaseSchema): string[] {
  const problems: string[] = [];
  if (server.name !== VSWITCH_DB) problems.push(`database is ${server.name}, not ${VSWITCH_DB}`);
  for (const [tname, tdef] of Object.entries(VSWITCH_TABLES)) {
    const ts = server.tables.get(tname);
    if (!ts) {
      problems.push(`table ${tname} is missing`);
      continue;
    }
    for (const [cname, cdef] of Object.entries(tdef.columns)) {
      const cs = ts.columns.get(cname);
      if (!cs) {
        problems.push(`column ${tname}.${cname} is missing`);
        continue;
      }
      const want = parseColumnType((cdef as { type: unknown }).type, `${tname}.${cname}`);
      const got = cs.type;
      const same =
        columnKind(want) === columnKind(got) &&
        want.key.type === got.key.type &&
        want.key.refTable === got.key.refTable &&
        want.value?.type === got.value?.type &&
        want.value?.refTable === got.value?.refTable;
      if (!same) problems.push(`column ${tname}.${cname} is ${describe(got)}, Vigil expects ${describe(want)}`);
    }
  }
  return problems;
}
