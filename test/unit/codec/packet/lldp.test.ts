/**
 * The LLDP codec: round trips (Vigil's probe form and the other ID forms), the exact bytes of a probe,
 * readers of other controllers' port/chassis conventions, and every malformed case as a typed error.
 */
import fc from 'fast-check';
import {
  ChassisIdSubtype,
  decodeLldp,
  dpidChassisId,
  dpidOfChassis,
  encodeLldp,
  idText,
  isLldp,
  LldpDecodeError,
  LldpEncodeError,
  macChassisId,
  PortIdSubtype,
  portNumberId,
  portNumberOf,
  VIGIL_OUI,
  type LldpErrorCode,
} from '../../../../src/codec/packet/lldp.js';
import { decodePacket } from '../../../../src/codec/packet/index.js';
import { hexBytes } from './helpers.js';

const vigil = { nonce: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), sentAtUs: 0x0102030405060708n, auth: new Uint8Array(16).fill(0xab) };

function probe(): Uint8Array {
  return encodeLldp({ src: '02:00:00:00:00:01', chassisId: dpidChassisId('0000000000000001'), portId: portNumberId(3), ttl: 3, systemName: 'vigil', vigil });
}

function expectError(bytes: Uint8Array, code: LldpErrorCode, offset?: number): void {
  try {
    decodeLldp(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(LldpDecodeError);
    expect((e as LldpDecodeError).code).toBe(code);
    expect((e as LldpDecodeError).kind).toBe('malformed');
    if (offset !== undefined) expect((e as LldpDecodeError).offset).toBe(offset);
    return;
  }
  throw new Error(`expected LldpDecodeError ${code}`);
}

describe('LLDP encode', () => {
  it('writes a probe byte for byte: group address, 0x88cc, chassis/port/TTL, system name, Vigil TLV, End, padding', () => {
    const f = probe();
    const hex = Buffer.from(f).toString('hex');
    expect(hex.slice(0, 28)).toBe('0180c200000e' + '020000000001' + '88cc');
    // Chassis ID: type 1, length 22 = subtype 7 + "dpid:0000000000000001"
    expect(hex.slice(28, 32)).toBe('0216');
    expect(Buffer.from(f.subarray(16, 38)).toString('latin1')).toBe('\x07dpid:0000000000000001');
    // Port ID: type 2, length 2 = subtype 2 + "3"; TTL: type 3, length 2, 3 s
    expect(Buffer.from(f.subarray(38, 42)).toString('hex')).toBe('0402' + '0233');
    expect(Buffer.from(f.subarray(42, 46)).toString('hex')).toBe('0602' + '0003');
    // System name "vigil"
    expect(Buffer.from(f.subarray(46, 53)).toString('hex')).toBe('0a05' + Buffer.from('vigil').toString('hex'));
    // Org TLV: type 127, length 4 + 33; OUI 0a5647, subtype 1, version 1, nonce, time, auth
    expect(Buffer.from(f.subarray(53, 59)).toString('hex')).toBe('fe25' + '0a5647' + '01');
    expect(f[59]).toBe(1);
    expect(Buffer.from(f.subarray(60, 68)).toString('hex')).toBe('0102030405060708');
    expect(Buffer.from(f.subarray(68, 76)).toString('hex')).toBe('0102030405060708');
    expect(Buffer.from(f.subarray(76, 92)).toString('hex')).toBe('ab'.repeat(16));
    expect(Buffer.from(f.subarray(92, 94)).toString('hex')).toBe('0000');
    expect(f.length).toBe(94);
  });

  it('pads short frames to the 60-byte Ethernet minimum', () => {
    const f = encodeLldp({ src: '02:00:00:00:00:01', chassisId: macChassisId('02:00:00:00:00:01'), portId: portNumberId(1), ttl: 120 });
    expect(f.length).toBe(60);
    expect(decodeLldp(f).ttl).toBe(120);
  });

  it('refuses what cannot be encoded, naming the field', () => {
    const base = { src: '02:00:00:00:00:01', chassisId: dpidChassisId('0000000000000001'), portId: portNumberId(1), ttl: 3 };
    expect(() => encodeLldp({ ...base, ttl: 70000 })).toThrow(LldpEncodeError);
    expect(() => encodeLldp({ ...base, chassisId: { subtype: 7, value: new Uint8Array(0) } })).toThrow(/chassisId/);
    expect(() => encodeLldp({ ...base, systemName: 'x'.repeat(300) })).toThrow(/systemName/);
    expect(() => encodeLldp({ ...base, vigil: { ...vigil, nonce: new Uint8Array(3) } })).toThrow(/vigil.nonce/);
    expect(() => dpidChassisId('1')).toThrow(LldpEncodeError);
    expect(() => portNumberId(-1)).toThrow(LldpEncodeError);
    expect(() => encodeLldp({ ...base, src: 'nope' })).toThrow(RangeError);
  });
});

describe('LLDP decode', () => {
  it('round-trips a probe', () => {
    const d = decodeLldp(probe());
    expect(d).toMatchObject({ dst: '01:80:c2:00:00:0e', src: '02:00:00:00:00:01', vlan: null, ttl: 3, systemName: 'vigil', portDescription: null, orgTlvs: [] });
    expect(dpidOfChassis(d.chassisId)).toBe('0000000000000001');
    expect(portNumberOf(d.portId)).toBe(3);
    expect(d.vigil).toEqual(vigil);
    expect(isLldp(probe())).toBe(true);
  });

  it('property: any dpid, port number, TTL and probe fields survive encode -> decode', () => {
    fc.assert(
      fc.property(
        fc.bigUintN(64),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.bigUintN(64),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (dpidN, portNo, ttl, nonce, sentAtUs, auth) => {
          const dpid = dpidN.toString(16).padStart(16, '0');
          const f = encodeLldp({ src: '0a:0b:0c:0d:0e:0f', chassisId: dpidChassisId(dpid), portId: portNumberId(portNo), ttl, vigil: { nonce, sentAtUs, auth } });
          const d = decodeLldp(f);
          expect(dpidOfChassis(d.chassisId)).toBe(dpid);
          expect(portNumberOf(d.portId)).toBe(portNo);
          expect(d.ttl).toBe(ttl);
          expect(d.vigil).toEqual({ nonce, sentAtUs, auth });
        },
      ),
    );
  });

  it("reads other controllers' and devices' forms: MAC chassis, binary port numbers, interface names, VLAN-tagged frames", () => {
    const mac = decodeLldp(encodeLldp({ src: '02:00:00:00:00:09', chassisId: macChassisId('02:00:00:00:00:09'), portId: { subtype: PortIdSubtype.INTERFACE_NAME, value: new TextEncoder().encode('eth1') }, ttl: 120, portDescription: 'uplink' }));
    expect(mac.chassisId.subtype).toBe(ChassisIdSubtype.MAC_ADDRESS);
    expect(idText(mac.chassisId, 'chassis')).toBe('02:00:00:00:00:09');
    expect(dpidOfChassis(mac.chassisId)).toBeNull();
    expect(portNumberOf(mac.portId)).toBeNull();
    expect(idText(mac.portId, 'port')).toBe('eth1');
    expect(mac.portDescription).toBe('uplink');
    // Ryu: 4-byte binary port number; Floodlight: 2 bytes.
    expect(portNumberOf({ subtype: PortIdSubtype.PORT_COMPONENT, value: Uint8Array.from([0, 0, 1, 2]) })).toBe(258);
    expect(portNumberOf({ subtype: PortIdSubtype.PORT_COMPONENT, value: Uint8Array.from([0, 7]) })).toBe(7);
    expect(portNumberOf(portNumberId(42, PortIdSubtype.LOCALLY_ASSIGNED))).toBe(42);
    expect(portNumberOf({ subtype: PortIdSubtype.MAC_ADDRESS, value: new Uint8Array(6) })).toBeNull();
    expect(dpidOfChassis({ subtype: 7, value: new TextEncoder().encode('dpid:A') })).toBe('000000000000000a');
    // One 802.1Q tag before 0x88cc.
    const f = probe();
    const tagged = new Uint8Array(f.length + 4);
    tagged.set(f.subarray(0, 12));
    tagged.set([0x81, 0x00, 0x00, 0x0a], 12);
    tagged.set(f.subarray(12), 16);
    expect(decodeLldp(tagged).vlan).toBe(10);
    expect(isLldp(tagged)).toBe(true);
  });

  it('keeps unknown organizationally specific TLVs and skips other optional ones', () => {
    const f = encodeLldp({
      src: '02:00:00:00:00:01',
      chassisId: dpidChassisId('0000000000000002'),
      portId: portNumberId(1),
      ttl: 3,
      orgTlvs: [{ oui: 0x0080c2, subtype: 1, info: Uint8Array.from([0, 1]) }],
    });
    const d = decodeLldp(f);
    expect(d.orgTlvs).toEqual([{ oui: 0x0080c2, subtype: 1, info: Uint8Array.from([0, 1]) }]);
    expect(d.vigil).toBeNull();
    // A Vigil-OUI TLV of the wrong size is not Vigil's probe (kept as an org TLV).
    const odd = decodeLldp(encodeLldp({ src: '02:00:00:00:00:01', chassisId: dpidChassisId('0000000000000002'), portId: portNumberId(1), ttl: 3, orgTlvs: [{ oui: VIGIL_OUI, subtype: 1, info: Uint8Array.from([1]) }] }));
    expect(odd.vigil).toBeNull();
    expect(odd.orgTlvs).toHaveLength(1);
  });

  it('agrees with the packet decoder about what is LLDP (EtherType 0x88cc, payload not decoded further)', () => {
    const p = decodePacket(probe());
    expect(p.layers[0]).toMatchObject({ type: 'ethernet', etherType: 0x88cc, dst: '01:80:c2:00:00:0e' });
  });

  describe('malformed frames are typed errors with offsets', () => {
    const eth = '0180c200000e02000000000188cc';
    const chassis = '0216' + Buffer.from('\x07dpid:0000000000000001', 'latin1').toString('hex');
    const port = '04020233';
    const ttl = '06020003';
    it('truncated Ethernet header / VLAN tag', () => {
      expectError(hexBytes('0180c2'), 'truncated', 3);
      expectError(hexBytes('0180c200000e020000000001810000'), 'truncated');
    });
    it('not LLDP', () => expectError(hexBytes('0180c200000e0200000000010800' + '00'.repeat(46)), 'not-lldp', 12));
    it('mandatory TLVs out of order, missing or repeated', () => {
      expectError(hexBytes(eth + port + chassis + ttl + '0000'), 'bad-mandatory-tlvs', 14);
      expectError(hexBytes(eth + chassis + port + '0000'), 'bad-mandatory-tlvs', 14 + 24 + 4);
      expectError(hexBytes(eth + chassis + port + ttl + ttl + '0000'), 'bad-mandatory-tlvs', 14 + 24 + 4 + 4);
      expectError(hexBytes(eth + '0000'), 'bad-mandatory-tlvs', 14);
    });
    it('impossible TLV lengths', () => {
      expectError(hexBytes(eth + '0201' + '07' + port + ttl + '0000'), 'bad-tlv-length', 14);
      expectError(hexBytes(eth + chassis + port + '060100' + '0000'), 'bad-tlv-length', 14 + 24 + 4);
      expectError(hexBytes(eth + chassis + port + ttl + 'fe030a5647' + '0000'), 'bad-tlv-length', 14 + 24 + 4 + 4);
      expectError(hexBytes(eth + chassis + port + ttl + '0001' + '00'), 'bad-tlv-length', 14 + 24 + 4 + 4);
    });
    it('a TLV running past the end, and a missing End TLV', () => {
      expectError(hexBytes(eth + chassis + port + '0602' + '00'), 'truncated', 14 + 24 + 4);
      expectError(hexBytes(eth + chassis + port + ttl), 'missing-end', 14 + 24 + 4 + 4);
      expectError(hexBytes(eth + chassis + port + ttl + '00'), 'truncated', 14 + 24 + 4 + 4);
    });
    it('property: no input makes the decoder throw anything but LldpDecodeError', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (tail, cut) => {
          const base = probe();
          const bytes = new Uint8Array([...base.subarray(0, 14), ...tail]);
          const cutAt = cut % (base.length + 1);
          for (const b of [bytes, base.subarray(0, cutAt)]) {
            try {
              decodeLldp(b);
            } catch (e) {
              expect(e).toBeInstanceOf(LldpDecodeError);
            }
          }
        }),
      );
    });
  });
});
