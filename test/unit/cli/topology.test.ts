import { defaultApiUrl, formatTopology, type TopologySummary } from '../../../src/cli/topology.js';

describe('vigil topology output', () => {
  const t: TopologySummary = {
    switches: [
      { dpid: '0000000000000001', name: 's1', connected: true, ports: 5 },
      { dpid: '0000000000000002', name: 's2', connected: false, ports: 3 },
    ],
    links: [{ src: { dpid: '0000000000000001', portNo: 1 }, dst: { dpid: '0000000000000002', portNo: 1 } }],
    hosts: [
      { mac: '00:00:00:00:00:01', ips: ['10.0.0.1', '2001:db8::1'], switch: '0000000000000001', port: 3, vlan: null },
      { mac: '00:00:00:00:00:02', ips: [], switch: null, port: null, vlan: 20 },
    ],
    counts: { switches: 2, links: 1, hosts: 2, vms: 1, segments: 0 },
  };

  it('prints aligned tables and the counts', () => {
    expect(formatTopology(t)).toBe(
      [
        'SWITCHES (2)',
        'DPID              NAME  CONNECTED  PORTS',
        '0000000000000001  s1    yes        5',
        '0000000000000002  s2    no         3',
        '',
        'LINKS (1)',
        'FROM  TO',
        's1:1  s2:1',
        '',
        'HOSTS (2)',
        'MAC                IPS                   SWITCH  PORT  VLAN',
        '00:00:00:00:00:01  10.0.0.1,2001:db8::1  s1      3     -',
        '00:00:00:00:00:02  -                     -       -     20',
        '',
        '2 switches (1 connected), 1 link, 2 hosts, 1 VM, 0 segments',
        '',
      ].join('\n'),
    );
  });

  it('reaches a wildcard bind on loopback', () => {
    expect(defaultApiUrl({ host: '127.0.0.1', port: 4000 })).toBe('http://127.0.0.1:4000/graphql');
    expect(defaultApiUrl({ host: '0.0.0.0', port: 4001 })).toBe('http://127.0.0.1:4001/graphql');
    expect(defaultApiUrl({ host: '::', port: 4002 })).toBe('http://[::1]:4002/graphql');
    expect(defaultApiUrl({ host: 'fd00::5', port: 4003 })).toBe('http://[fd00::5]:4003/graphql');
  });
});
