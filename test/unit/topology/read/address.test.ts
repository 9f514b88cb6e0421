import { Cidr, parseDpid, parseHostRef, parseIp, parseMac, parseSegmentKey } from '../../../../src/topology/read/address.js';

describe('parseDpid', () => {
  it.each([
    ['1', '0000000000000001'],
    ['0x1F', '000000000000001f'],
    ['00:00:00:00:00:00:00:0a', '000000000000000a'],
    ['FFFFFFFFFFFFFFFF', 'ffffffffffffffff'],
  ])('%s -> %s', (text, dpid) => expect(parseDpid(text)).toBe(dpid));
  it.each(['', 's1', '0x', '1'.repeat(17), '00:00:00:00:00:00:0a'])('refuses %j', (text) => expect(() => parseDpid(text)).toThrow(RangeError));
});

describe('parseMac / parseIp / parseHostRef', () => {
  it('normalizes MACs', () => {
    expect(parseMac(' AA-bb-CC-00-11-22 ')).toBe('aa:bb:cc:00:11:22');
    expect(() => parseMac('aa:bb:cc')).toThrow(/not a MAC address/);
  });
  it('normalizes addresses to the graph text form (IPv6 RFC 5952)', () => {
    expect(parseIp('10.0.0.1')).toEqual({ address: '10.0.0.1', version: 4 });
    expect(parseIp('2001:0DB8:0:0:0:0:0:1')).toEqual({ address: '2001:db8::1', version: 6 });
    expect(parseIp('::ffff:10.0.0.1')).toEqual({ address: '::ffff:a00:1', version: 6 });
    for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', 'host']) expect(() => parseIp(bad)).toThrow(/not an IP address/);
  });
  it('tells a MAC from an IP', () => {
    expect(parseHostRef('00:00:00:00:00:0A')).toEqual({ mac: '00:00:00:00:00:0a' });
    expect(parseHostRef('fe80::1')).toEqual({ ip: 'fe80::1' });
    expect(() => parseHostRef('c1')).toThrow(/not a MAC or IP address/);
  });
});

describe('parseSegmentKey', () => {
  it('accepts VLAN 1-4094 and 24-bit VNIs in any case', () => {
    expect(parseSegmentKey('VLAN:10')).toEqual({ key: 'vlan:10', kind: 'vlan', id: 10 });
    expect(parseSegmentKey('vni:16777215')).toEqual({ key: 'vni:16777215', kind: 'vni', id: 16777215 });
  });
  it.each(['vlan:0', 'vlan:4095', 'vni:16777216', 'vxlan:1', 'vlan:', '10'])('refuses %j', (t) => expect(() => parseSegmentKey(t)).toThrow(RangeError));
});

describe('Cidr', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.255', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.8/29', '10.0.0.15', true],
    ['10.0.0.8/29', '10.0.0.16', false],
    ['0.0.0.0/0', '192.168.1.1', true],
    ['0.0.0.0/0', '::1', false],
    ['10.0.0.7', '10.0.0.7', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/33', '2001:db8:7fff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['::/0', '10.0.0.1', false],
    ['2001:db8::1/128', '2001:db8::1', true],
  ])('%s contains %s: %s', (cidr, address, inside) => expect(Cidr.parse(cidr).contains(address)).toBe(inside));

  it('prints its canonical form', () => {
    expect(Cidr.parse('2001:DB8:0::/48').toString()).toBe('2001:db8::/48');
    expect(Cidr.parse('10.1.2.3').toString()).toBe('10.1.2.3/32');
  });

  it.each([
    ['10.0.0.0/33', /prefix length 0\.\.32/],
    ['2001:db8::/129', /prefix length 0\.\.128/],
    ['10.0.0.1/24', /host bits set; did you mean 10\.0\.0\.0\/24\?/],
    ['2001:db8::1/64', /did you mean 2001:db8::\/64\?/],
    ['10.0.0.0/', /not a CIDR prefix/],
    ['10.0.0.0/2a', /not a CIDR prefix/],
    ['banana/8', /not a CIDR prefix/],
  ])('refuses %s', (cidr, message) => expect(() => Cidr.parse(cidr)).toThrow(message));

  it('never throws on a malformed stored address', () => expect(Cidr.parse('10.0.0.0/8').contains('not-an-ip')).toBe(false));
});
