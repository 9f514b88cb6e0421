/**
 * Vigil's LLDP probes: built for one (switch, port), recognized when they come back.
 *
 * Each controller instance draws a random nonce and a random key at start. A probe carries, in Vigil's
 * LLDP TLV, the nonce, its send time (microseconds of the controller's monotonic clock) and an
 * authenticator: HMAC-SHA256(key, chassis id | port id | nonce | send time), truncated to 16 bytes. A probe
 * is ours when the nonce is ours and the authenticator checks; it must also be fresh (sent less than
 * `maxAgeUs` ago), so a frame a host captured from its access port and replays later, or forges with other
 * port ids, makes no link. (A host that relays live probes between two ports it is attached to is not
 * detected here.) The send time also gives the probe's latency.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  decodeLldp,
  dpidChassisId,
  dpidOfChassis,
  encodeLldp,
  LldpDecodeError,
  portNumberId,
  portNumberOf,
  VIGIL_AUTH_LEN,
  VIGIL_NONCE_LEN,
  type LldpFrame,
} from '../../codec/packet/lldp.js';
import type { PortRef } from '../model.js';

export interface ProbeKeys {
  nonce: Uint8Array;
  key: Uint8Array;
}

export function randomProbeKeys(): ProbeKeys {
  return { nonce: new Uint8Array(randomBytes(VIGIL_NONCE_LEN)), key: new Uint8Array(randomBytes(32)) };
}

export type ProbeVerdict =
  | { ok: true; src: PortRef; latencyUs: number; frame: LldpFrame }
  | { ok: false; reason: 'malformed' | 'not-vigil' | 'other-controller' | 'bad-auth' | 'stale' | 'bad-ids'; frame?: LldpFrame };

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export class ProbeCodec {
  constructor(
    private readonly keys: ProbeKeys,
    /** TTL TLV value (seconds). */
    private readonly ttlSeconds: number,
    /** System name TLV (optional). */
    private readonly systemName?: string,
  ) {}

  private auth(chassis: Uint8Array, port: Uint8Array, sentAtUs: bigint): Uint8Array {
    const t = new Uint8Array(8);
    new DataView(t.buffer).setBigUint64(0, sentAtUs);
    const h = createHmac('sha256', this.keys.key);
    h.update(chassis).update(new Uint8Array([0])).update(port).update(new Uint8Array([0])).update(this.keys.nonce).update(t);
    return new Uint8Array(h.digest().subarray(0, VIGIL_AUTH_LEN));
  }

  /** The probe frame for `port` (source MAC: the port's own address). */
  build(port: PortRef, srcMac: string, sentAtUs: bigint): Uint8Array {
    const chassisId = dpidChassisId(port.dpid);
    const portId = portNumberId(port.portNo);
    return encodeLldp({
      src: srcMac,
      chassisId,
      portId,
      ttl: this.ttlSeconds,
      ...(this.systemName !== undefined ? { systemName: this.systemName } : {}),
      vigil: { nonce: this.keys.nonce, sentAtUs, auth: this.auth(chassisId.value, portId.value, sentAtUs) },
    });
  }

  /** Reads a received LLDP frame: ours, fresh and authentic, or why not. Never throws. */
  verify(bytes: Uint8Array, nowUs: bigint, maxAgeUs: bigint): ProbeVerdict {
    let frame: LldpFrame;
    try {
      frame = decodeLldp(bytes);
    } catch (e) {
      if (e instanceof LldpDecodeError) return { ok: false, reason: 'malformed' };
      throw e;
    }
    const v = frame.vigil;
    if (!v) return { ok: false, reason: 'not-vigil', frame };
    if (!equalBytes(v.nonce, this.keys.nonce)) return { ok: false, reason: 'other-controller', frame };
    if (!equalBytes(v.auth, this.auth(frame.chassisId.value, frame.portId.value, v.sentAtUs))) return { ok: false, reason: 'bad-auth', frame };
    const age = nowUs - v.sentAtUs;
    if (age < 0n || age > maxAgeUs) return { ok: false, reason: 'stale', frame };
    const dpid = dpidOfChassis(frame.chassisId);
    const portNo = portNumberOf(frame.portId);
    if (dpid === null || portNo === null) return { ok: false, reason: 'bad-ids', frame };
    return { ok: true, src: { dpid, portNo }, latencyUs: Number(age), frame };
  }
}
