/** Vigil's LLDP probes: recognized when ours, fresh and untampered; everything else is named. */
import { decodeLldp, encodeLldp, dpidChassisId, portNumberId } from '../../../../src/codec/packet/lldp.js';
import { ProbeCodec, randomProbeKeys } from '../../../../src/topology/discovery/probe.js';

const keys = { nonce: new Uint8Array(8).fill(3), key: new Uint8Array(32).fill(4) };
const codec = new ProbeCodec(keys, 3, 'vigil');
const port = { dpid: '00000000000000aa', portNo: 7 };

describe('ProbeCodec', () => {
  it('verifies its own fresh probe: source port and latency', () => {
    const f = codec.build(port, '02:00:00:00:00:07', 1_000_000n);
    expect(decodeLldp(f)).toMatchObject({ src: '02:00:00:00:00:07', ttl: 3, systemName: 'vigil' });
    const v = codec.verify(f, 1_000_250n, 2_000_000n);
    expect(v).toMatchObject({ ok: true, src: port, latencyUs: 250 });
  });

  it('names why a frame is not a usable probe', () => {
    const f = codec.build(port, '02:00:00:00:00:07', 1_000_000n);
    expect(codec.verify(f, 3_000_001n, 2_000_000n)).toMatchObject({ ok: false, reason: 'stale' });
    expect(codec.verify(f, 999_999n, 2_000_000n)).toMatchObject({ ok: false, reason: 'stale' }); // from the future
    expect(new ProbeCodec(randomProbeKeys(), 3).verify(f, 1_000_000n, 2_000_000n)).toMatchObject({ ok: false, reason: 'other-controller' });
    expect(new ProbeCodec({ nonce: keys.nonce, key: new Uint8Array(32) }, 3).verify(f, 1_000_000n, 2_000_000n)).toMatchObject({ ok: false, reason: 'bad-auth' });
    expect(codec.verify(f.subarray(0, 20), 1_000_000n, 2_000_000n)).toEqual({ ok: false, reason: 'malformed' });
    const plain = encodeLldp({ src: '02:00:00:00:00:09', chassisId: dpidChassisId('0000000000000001'), portId: portNumberId(1), ttl: 120 });
    expect(codec.verify(plain, 0n, 1n)).toMatchObject({ ok: false, reason: 'not-vigil' });
    const tampered = new Uint8Array(f);
    tampered[20] = tampered[20]! ^ 1; // inside the chassis id
    expect(codec.verify(tampered, 1_000_000n, 2_000_000n)).toMatchObject({ ok: false, reason: 'bad-auth' });
  });

  it('draws a different nonce and key per controller', () => {
    const a = randomProbeKeys();
    const b = randomProbeKeys();
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(a.key).toHaveLength(32);
  });
});
