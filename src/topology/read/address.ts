/**
 * The identifiers a topology query names, parsed from user text into the graph's canonical forms
 * (topology/README.md): dpid as 16 lowercase hex digits, MAC lowercase with ':', IPv4 dotted quad, IPv6
 * RFC 5952, segment key "vlan:<id>"/"vni:<id>"; and CIDR prefixes (v4 and v6) to match addresses against.
 * Parsers throw RangeError with a message fit for the user; the API turns it into a BAD_USER_INPUT error.
 */
import { ipv4FromString, ipv4ToString, ipv6Bytes, ipv6ToString, isMac } from '../../codec/addr.js';
import type { Dpid, IpAddress, SegmentKind } from '../model.js';

/** "1", "0x1", "00:00:00:00:00:00:00:01" or 16 hex digits -> "0000000000000001". */
export function parseDpid(text: string): Dpid {
  const t = text.trim().toLowerCase();
  const hex = /^([0-9a-f]{2}:){7}[0-9a-f]{2}$/.test(t) ? t.replaceAll(':', '') : t.startsWith('0x') ? t.slice(2) : t;
  if (!/^[0-9a-f]{1,16}$/.test(hex)) throw new RangeError(`not a datapath id: ${JSON.stringify(text)} (up to 16 hex digits)`);
  return hex.padStart(16, '0');
}

/** "AA-BB-CC-DD-EE-FF" -> "aa:bb:cc:dd:ee:ff". */
export function parseMac(text: string): string {
  const t = text.trim();
  if (!isMac(t)) throw new RangeError(`not a MAC address: ${JSON.stringify(text)}`);
  return t.toLowerCase().replaceAll('-', ':');
}

/** An IPv4 or IPv6 address in the graph's text form. */
export function parseIp(text: string): IpAddress {
  const t = text.trim();
  if (t.includes(':')) {
    try {
      return { address: ipv6ToString(ipv6Bytes(t)), version: 6 };
    } catch {
      throw new RangeError(`not an IP address: ${JSON.stringify(text)}`);
    }
  }
  try {
    return { address: ipv4ToString(ipv4FromString(t)), version: 4 };
  } catch {
    throw new RangeError(`not an IP address: ${JSON.stringify(text)}`);
  }
}

/** A host named by MAC or by IP address (path endpoints). */
export function parseHostRef(text: string): { mac: string } | { ip: string } {
  const t = text.trim();
  if (isMac(t)) return { mac: parseMac(t) };
  try {
    return { ip: parseIp(t).address };
  } catch {
    throw new RangeError(`not a MAC or IP address: ${JSON.stringify(text)}`);
  }
}

/** "vlan:10" / "VNI:5001" -> the Segment key and its parts. */
export function parseSegmentKey(text: string): { key: string; kind: SegmentKind; id: number } {
  const m = /^(vlan|vni):(\d{1,8})$/i.exec(text.trim());
  const kind = m?.[1]?.toLowerCase() as SegmentKind | undefined;
  const id = Number(m?.[2]);
  if (!kind || (kind === 'vlan' && (id < 1 || id > 4094)) || (kind === 'vni' && id > 0xffffff)) {
    throw new RangeError(`not a segment: ${JSON.stringify(text)} ('vlan:1'..'vlan:4094' or 'vni:0'..'vni:16777215')`);
  }
  return { key: `${kind}:${id}`, kind, id };
}

/** An IPv4 or IPv6 prefix. */
export class Cidr {
  private constructor(
    readonly version: 4 | 6,
    private readonly network: Uint8Array,
    readonly prefixLength: number,
  ) {}

  /** "10.0.0.0/24", "2001:db8::/32"; a bare address is its /32 or /128. Host bits must be zero. */
  static parse(text: string): Cidr {
    const t = text.trim();
    const slash = t.indexOf('/');
    const addrText = slash < 0 ? t : t.slice(0, slash);
    let ip: IpAddress;
    try {
      ip = parseIp(addrText);
    } catch {
      throw new RangeError(`not a CIDR prefix: ${JSON.stringify(text)} (e.g. 10.0.0.0/24, 2001:db8::/64)`);
    }
    const max = ip.version === 4 ? 32 : 128;
    const lenText = slash < 0 ? String(max) : t.slice(slash + 1);
    const len = /^\d{1,3}$/.test(lenText) ? Number(lenText) : NaN;
    if (!(len >= 0 && len <= max)) throw new RangeError(`not a CIDR prefix: ${JSON.stringify(text)} (prefix length 0..${max})`);
    const bytes = addressBytes(ip);
    for (let bit = len; bit < max; bit++) {
      if (bytes[bit >> 3]! & (0x80 >> (bit & 7))) throw new RangeError(`not a CIDR prefix: ${JSON.stringify(text)} (host bits set; did you mean ${maskedText(ip, len)}?)`);
    }
    return new Cidr(ip.version, bytes, len);
  }

  /** Whether `address` (the graph's text form) lies inside the prefix. Never throws. */
  contains(address: string): boolean {
    let ip: IpAddress;
    try {
      ip = parseIp(address);
    } catch {
      return false;
    }
    if (ip.version !== this.version) return false;
    const b = addressBytes(ip);
    const full = this.prefixLength >> 3;
    for (let i = 0; i < full; i++) if (b[i] !== this.network[i]) return false;
    const rest = this.prefixLength & 7;
    if (rest === 0) return true;
    const mask = (0xff << (8 - rest)) & 0xff;
    return (b[full]! & mask) === (this.network[full]! & mask);
  }

  toString(): string {
    return `${this.version === 4 ? ipv4ToString(bytesToV4(this.network)) : ipv6ToString(this.network)}/${this.prefixLength}`;
  }
}

function addressBytes(ip: IpAddress): Uint8Array {
  if (ip.version === 6) return ipv6Bytes(ip.address);
  const v = ipv4FromString(ip.address);
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function bytesToV4(b: Uint8Array): number {
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

function maskedText(ip: IpAddress, len: number): string {
  const b = addressBytes(ip);
  for (let bit = len; bit < b.length * 8; bit++) b[bit >> 3] = b[bit >> 3]! & ~(0x80 >> (bit & 7));
  return `${ip.version === 4 ? ipv4ToString(bytesToV4(b)) : ipv6ToString(b)}/${len}`;
}
