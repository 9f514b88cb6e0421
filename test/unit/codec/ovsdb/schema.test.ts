/**
 * <database-schema> parsing, on the real Open_vSwitch schema 8.3.1 (fixture copied from OVS 3.1) and on
 * malformed schemas; the typed Vigil tables checked against the parsed schema.
 */
import { readFileSync } from 'node:fs';
import { OvsdbDecodeError } from '../../../../src/codec/ovsdb/errors.js';
import { columnKind, columnTypeToJson, parseSchema, type DatabaseSchema } from '../../../../src/codec/ovsdb/schema.js';
import { OvsdbSet } from '../../../../src/codec/ovsdb/value.js';
import { VSWITCH_SCHEMA_VERSION, VSWITCH_TABLES, vswitchSchemaProblems } from '../../../../src/southbound/ovsdb/vswitch.js';

type Json = Record<string, unknown>;
const raw = JSON.parse(readFileSync(new URL('../../../fixtures/ovsdb/vswitch.ovsschema', import.meta.url), 'utf8')) as Json;
const schema = parseSchema(raw);

function schemaError(json: unknown): OvsdbDecodeError {
  try {
    parseSchema(json);
  } catch (e) {
    expect(e).toBeInstanceOf(OvsdbDecodeError);
    expect((e as OvsdbDecodeError).reason).toBe('bad-schema');
    return e as OvsdbDecodeError;
  }
  throw new Error('expected a bad-schema error');
}

/** A column type JSON in the canonical form columnTypeToJson produces. */
function canonical(t: unknown): unknown {
  const base = (b: unknown): unknown => {
    if (typeof b === 'string') return b;
    const o = { ...(b as Json) };
    if (o.refTable !== undefined && o.refType === undefined) o.refType = 'strong';
    if (o.enum !== undefined && !(Array.isArray(o.enum) && o.enum[0] === 'set')) o.enum = ['set', [o.enum]];
    return Object.keys(o).length === 1 ? o.type : o;
  };
  if (typeof t === 'string') return t;
  const o = t as Json;
  const out: Json = { key: base(o.key) };
  if (o.value !== undefined) out.value = base(o.value);
  if (o.min !== undefined && o.min !== 1) out.min = o.min;
  if (o.max !== undefined && o.max !== 1) out.max = o.max;
  if (out.value === undefined && out.min === undefined && out.max === undefined && typeof out.key === 'string') return out.key;
  return out;
}

describe('parseSchema on the Open_vSwitch schema', () => {
  it('reads the database header and every table', () => {
    expect(schema.name).toBe('Open_vSwitch');
    expect(schema.version).toBe(VSWITCH_SCHEMA_VERSION);
    expect(schema.tables.size).toBe(Object.keys(raw.tables as Json).length);
    expect(schema.tables.get('Open_vSwitch')).toMatchObject({ isRoot: true, maxRows: 1 });
    expect(schema.tables.get('Bridge')!.indexes).toEqual([['name']]);
    expect(schema.tables.get('Port')!.isRoot).toBe(false);
  });

  it('adds the implicit _uuid and _version columns', () => {
    const b = schema.tables.get('Bridge')!;
    expect(b.columns.get('_uuid')!.type.key.type).toBe('uuid');
    expect(b.columns.get('_version')!.mutable).toBe(false);
  });

  it('types columns by kind, with constraints and references', () => {
    const col = (t: string, c: string) => schema.tables.get(t)!.columns.get(c)!;
    expect(columnKind(col('Bridge', 'name').type)).toBe('scalar');
    expect(col('Bridge', 'name').mutable).toBe(false);
    expect(columnKind(col('Bridge', 'fail_mode').type)).toBe('optional');
    expect(col('Bridge', 'fail_mode').type.key.enum).toEqual(OvsdbSet.of('standalone', 'secure'));
    expect(columnKind(col('Bridge', 'ports').type)).toBe('set');
    expect(col('Bridge', 'ports').type.key).toEqual({ type: 'uuid', refTable: 'Port', refType: 'strong' });
    expect(col('Mirror', 'select_src_port').type.key.refType).toBe('weak');
    expect(col('Mirror', 'select_vlan').type).toMatchObject({ min: 0, max: 4096, key: { type: 'integer', minInteger: 0, maxInteger: 4095 } });
    expect(col('Port', 'interfaces').type).toMatchObject({ min: 1, max: Infinity });
    expect(columnKind(col('QoS', 'queues').type)).toBe('map');
    expect(col('QoS', 'queues').type.value).toEqual({ type: 'uuid', refTable: 'Queue', refType: 'strong' });
    expect(col('Interface', 'statistics').ephemeral).toBe(true);
  });

  it('gives back every column type of the schema in canonical JSON (round trip)', () => {
    for (const [tname, t] of Object.entries(raw.tables as Record<string, { columns: Record<string, { type: unknown }> }>)) {
      for (const [cname, c] of Object.entries(t.columns)) {
        expect([tname, cname, columnTypeToJson(schema.tables.get(tname)!.columns.get(cname)!.type)]).toEqual([tname, cname, canonical(c.type)]);
      }
    }
  });
});

describe('parseSchema on malformed schemas', () => {
  const withColumn = (type: unknown): Json => ({ name: 'D', tables: { T: { columns: { c: { type } } } } });
  it.each([
    ['a non-object', 42, 'schema'],
    ['no tables', { name: 'D' }, 'tables'],
    ['an unknown atomic type', withColumn('float'), 'tables.T.columns.c.type'],
    ['min 2', withColumn({ key: 'string', min: 2 }), 'tables.T.columns.c.type.min'],
    ['max 0', withColumn({ key: 'string', max: 0 }), 'tables.T.columns.c.type.max'],
    ['an enum that is not a value', withColumn({ key: { type: 'string', enum: { a: 1 } } }), 'tables.T.columns.c.type.key.enum'],
    ['a non-integer maxInteger', withColumn({ key: { type: 'integer', maxInteger: 1.5 } }), 'tables.T.columns.c.type.key.maxInteger'],
    ['refTable on a string', withColumn({ key: { type: 'string', refTable: 'T' } }), 'tables.T.columns.c.type.key.refTable'],
    ['refTable to no table', withColumn({ key: { type: 'uuid', refTable: 'Nope' } }), 'tables.T.columns.c'],
    ['bad refType', withColumn({ key: { type: 'uuid', refTable: 'T', refType: 'soft' } }), 'tables.T.columns.c.type.key.refType'],
    ['an enum of the wrong type', withColumn({ key: { type: 'integer', enum: ['set', ['a']] } }), 'tables.T.columns.c.type.key.enum'],
    ['a reserved column name', { name: 'D', tables: { T: { columns: { _x: { type: 'string' } } } } }, 'tables.T.columns._x'],
    ['an index on an unknown column', { name: 'D', tables: { T: { columns: { c: { type: 'string' } }, indexes: [['d']] } } }, 'tables.T.indexes[0]'],
  ])('refuses %s', (_what, json, path) => {
    expect(schemaError(json).path).toBe(path);
  });

  it('accepts a valid but unusual schema and treats all tables as roots when none says isRoot', () => {
    const s = parseSchema(withColumn({ key: { type: 'real', minReal: -1.5, maxReal: 2 }, min: 0, max: 'unlimited' }));
    expect(s.tables.get('T')!.columns.get('c')!.type).toMatchObject({ key: { type: 'real', minReal: -1.5, maxReal: 2 }, min: 0, max: Infinity });
    expect(s.tables.get('T')!.isRoot).toBe(true);
  });
});

describe('typed Vigil tables', () => {
  it('cover the nine tables Vigil uses', () => {
    expect(Object.keys(VSWITCH_TABLES).sort()).toEqual(['Bridge', 'Controller', 'Interface', 'Mirror', 'Open_vSwitch', 'Port', 'QoS', 'Queue', 'sFlow']);
  });

  it('match the Open_vSwitch schema they were taken from', () => {
    expect(vswitchSchemaProblems(schema)).toEqual([]);
  });

  it('name every difference of an incompatible schema', () => {
    const tables = JSON.parse(JSON.stringify(raw.tables)) as Record<string, { columns: Record<string, unknown> }>;
    delete tables.sFlow;
    delete tables.Bridge!.columns.mirrors;
    tables.Port!.columns.tag = { type: 'string' };
    tables.Mirror!.columns.output_port = { type: { key: { type: 'uuid', refTable: 'Interface' }, min: 0, max: 1 } };
    // Bridge.sflow refers to the deleted table: drop it too so the schema stays valid.
    delete tables.Bridge!.columns.sflow;
    const other: DatabaseSchema = parseSchema({ ...raw, tables });
    expect(vswitchSchemaProblems(other).sort()).toEqual(
      [
        'column Bridge.mirrors is missing',
        'column Bridge.sflow is missing',
        'column Mirror.output_port is optional uuid->Interface, Vigil expects optional uuid->Port',
        'column Port.tag is scalar string, Vigil expects optional integer',
        'table sFlow is missing',
      ].sort(),
    );
  });
});
