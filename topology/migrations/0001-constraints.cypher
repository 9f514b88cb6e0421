// Migration 0001: the uniqueness constraints and indexes of the topology graph (topology/README.md,
// "Constraints and indexes"). Every statement is idempotent (IF NOT EXISTS); each runs in its own
// transaction (Neo4j does not mix schema and data changes in one). A statement ends with ';' at the end
// of a line; whole-line '//' comments and blank lines are ignored (and do not count in the checksum).

// Discovery's nodes
CREATE CONSTRAINT switch_dpid IF NOT EXISTS FOR (s:Switch) REQUIRE s.dpid IS UNIQUE;
CREATE CONSTRAINT port_key IF NOT EXISTS FOR (p:Port) REQUIRE p.key IS UNIQUE;
CREATE CONSTRAINT host_mac IF NOT EXISTS FOR (h:Host) REQUIRE h.mac IS UNIQUE;
CREATE CONSTRAINT ip_address IF NOT EXISTS FOR (i:IP) REQUIRE i.address IS UNIQUE;
CREATE CONSTRAINT vm_uuid IF NOT EXISTS FOR (v:VM) REQUIRE v.uuid IS UNIQUE;
CREATE CONSTRAINT segment_key IF NOT EXISTS FOR (s:Segment) REQUIRE s.key IS UNIQUE;

// The migrations' own record
CREATE CONSTRAINT migration_version IF NOT EXISTS FOR (m:Migration) REQUIRE m.version IS UNIQUE;

// The response loop's nodes (issues 5 and 6)
CREATE CONSTRAINT anomaly_id IF NOT EXISTS FOR (a:Anomaly) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (d:Decision) REQUIRE d.id IS UNIQUE;
CREATE CONSTRAINT mirror_session_id IF NOT EXISTS FOR (m:MirrorSession) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT quarantine_id IF NOT EXISTS FOR (q:Quarantine) REQUIRE q.id IS UNIQUE;
// (name, version) identifies a policy; a composite uniqueness constraint (NODE KEY needs Enterprise)
CREATE CONSTRAINT policy_name_version IF NOT EXISTS FOR (p:Policy) REQUIRE (p.name, p.version) IS UNIQUE;

// Lookups the API and the writer make
CREATE INDEX port_dpid IF NOT EXISTS FOR (p:Port) ON (p.dpid);
CREATE INDEX port_name IF NOT EXISTS FOR (p:Port) ON (p.name);
CREATE INDEX ip_version IF NOT EXISTS FOR (i:IP) ON (i.version);
CREATE INDEX vm_name IF NOT EXISTS FOR (v:VM) ON (v.name);
// a Host links to the VMs with its MAC (HAS_MAC) when it is first seen
CREATE INDEX vm_mac IF NOT EXISTS FOR (v:VM) ON (v.mac);
CREATE INDEX segment_kind_id IF NOT EXISTS FOR (s:Segment) ON (s.kind, s.id);
CREATE INDEX anomaly_at IF NOT EXISTS FOR (a:Anomaly) ON (a.at);
CREATE INDEX decision_at IF NOT EXISTS FOR (d:Decision) ON (d.at);
