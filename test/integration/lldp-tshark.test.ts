/**
 * The LLDP encoder against an independent oracle: frames Vigil encodes (its probes, and the other ID forms it
 * can write) go into a pcap; Wireshark's tshark must read the chassis ID (subtype and value), port ID
 * (subtype and value), TTL, system name and the organizationally specific TLV (OUI, subtype, content) as we
 * intended, find nothing malformed, and see every frame as LLDP to the nearest-bridge address.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpidChassisId, encodeLldp, macChassisId, PortIdSubtype, portNumberId, VIGIL_OUI, vigilTlvInfo, type LldpEncodeSpec } from '../../src/codec/packet/lldp.js';
import { ProbeCodec } from '../../src/topology/discovery/probe.js';
import { haveTshark } from '../support/packet-oracle.js';

/** A classic pcap (LINKTYPE_ETHERNET) of the frames. */
function pcap(frames: Uint8Array[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const recs = frames.map((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(i, 0);
    r.writeUInt32LE(f.length, 8);
    r.writeUInt32LE(f.length, 12);
    return Buffer.concat([r, Buffer.from(f)]);
  });
  return Buffer.concat([head, ...recs]);
}

const FIELDS = [
  'eth.dst', 'eth.type', 'lldp.chassis.subtype', 'lldp.chassis.id', 'lldp.chassis.id.mac', 'lldp.port.subtype', 'lldp.port.id',
  'lldp.time_to_live', 'lldp.tlv.system.name', 'lldp.port.desc', 'lldp.orgtlv.oui', 'lldp.unknown_subtype', 'lldp.unknown_subtype.content', '_ws.malformed', '_ws.expert',
];

function tshark(file: string): Record<string, string[]>[] {
  const args = ['-r', file, '-T', 'json'];
  for (const f of FIELDS) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out) as { _source: { layers: Record<string, string[]> } }[]).map((r) => r._source.layers);
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const describeIf = haveTshark() ? describe : describe.skip;

describeIf('LLDP frames Vigil encodes, read by tshark', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-lldp-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes chassis, port, TTL, system name and the Vigil TLV as intended', () => {
    const codec = new ProbeCodec({ nonce: Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]), key: new Uint8Array(32).fill(7) }, 3, 'vigil');
    const probeFrame = codec.build({ dpid: '00000000000000a1', portNo: 65000 }, '02:00:00:00:00:a1', 123456789n);
    const specs: LldpEncodeSpec[] = [
      { src: '02:00:00:00:00:01', chassisId: dpidChassisId('0000000000000001'), portId: portNumberId(3), ttl: 3 },
      { src: '02:00:00:00:00:02', chassisId: macChassisId('02:00:00:00:00:02'), portId: { subtype: PortIdSubtype.INTERFACE_NAME, value: new TextEncoder().encode('s2-eth1') }, ttl: 120, portDescription: 'to s1', systemName: 'sw2' },
      { src: '02:00:00:00:00:03', chassisId: dpidChassisId('ffffffffffffffff'), portId: portNumberId(4294967040, PortIdSubtype.LOCALLY_ASSIGNED), ttl: 65535 },
    ];
    const frames = [probeFrame, ...specs.map(encodeLldp)];
    const file = join(dir, 'lldp.pcap');
    writeFileSync(file, pcap(frames));
    const got = tshark(file);
    expect(got).toHaveLength(frames.length);
    for (const g of got) {
      expect(g['eth.dst']).toEqual(['01:80:c2:00:00:0e']);
      expect(g['eth.type']).toEqual(['0x88cc']);
      expect(g['_ws.malformed']).toBeUndefined();
    }
    // The probe: dpid chassis, port component 65000, TTL 3, "vigil", Vigil's org TLV with its content.
    const p = got[0]!;
    expect(p['lldp.chassis.subtype']).toEqual(['7']);
    expect(p['lldp.chassis.id']).toEqual([hex(new TextEncoder().encode('dpid:00000000000000a1'))]);
    expect(p['lldp.port.subtype']).toEqual(['2']);
    expect(p['lldp.port.id']).toEqual(['65000']);
    expect(p['lldp.time_to_live']).toEqual(['3']);
    expect(p['lldp.tlv.system.name']).toEqual(['vigil']);
    expect(p['lldp.orgtlv.oui']).toEqual([String(VIGIL_OUI)]);
    expect(p['lldp.unknown_subtype']).toEqual(['1']);
    const content = p['lldp.unknown_subtype.content']![0]!;
    expect(content.slice(0, 2)).toBe('01'); // version
    expect(content.slice(2, 18)).toBe('0908070605040302'); // nonce
    expect(BigInt(`0x${content.slice(18, 34)}`)).toBe(123456789n); // send time
    expect(content).toHaveLength(2 * vigilTlvInfo({ nonce: new Uint8Array(8), sentAtUs: 0n, auth: new Uint8Array(16) }).length);
    // Plain dpid/port form.
    expect(got[1]!['lldp.chassis.id']).toEqual([hex(new TextEncoder().encode('dpid:0000000000000001'))]);
    expect(got[1]!['lldp.port.id']).toEqual(['3']);
    // MAC chassis, interface-name port, port description, system name.
    expect(got[2]!['lldp.chassis.subtype']).toEqual(['4']);
    expect(got[2]!['lldp.chassis.id.mac']).toEqual(['02:00:00:00:00:02']);
    expect(got[2]!['lldp.port.subtype']).toEqual(['5']);
    expect(got[2]!['lldp.port.id']).toEqual(['s2-eth1']);
    expect(got[2]!['lldp.time_to_live']).toEqual(['120']);
    expect(got[2]!['lldp.port.desc']).toEqual(['to s1']);
    expect(got[2]!['lldp.tlv.system.name']).toEqual(['sw2']);
    // Extremes: all-ones dpid, a locally assigned port number near OFPP_MAX, the largest TTL.
    expect(got[3]!['lldp.port.subtype']).toEqual(['7']);
    expect(got[3]!['lldp.port.id']).toEqual(['4294967040']);
    expect(got[3]!['lldp.time_to_live']).toEqual(['65535']);
  });
});
