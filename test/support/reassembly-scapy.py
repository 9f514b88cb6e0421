#!/usr/bin/python3
"""
Fragment captures for the reassembly integration test (test/integration/reassembly-tshark.test.ts), made
with scapy's own fragmenters. Run with Debian's interpreter:

    /usr/bin/python3 test/support/reassembly-scapy.py OUT_DIR

Writes one classic pcap (Ethernet) per scenario into OUT_DIR and OUT_DIR/manifest.json describing them:
  clean    — datagrams cut by scapy's fragment() (IPv4) / fragment6() (IPv6), in order, reversed, shuffled
             (fixed seeds), VLAN-tagged, interleaved with each other and with whole packets; for each datagram
             the fragmentable part as scapy built it before cutting (hex), in completion order.
  overlap  — hand-made overlapping fragment trains (Novak's 6-fragment test, the 17-fragment Sturges/Novak
             test, a pattern on which Wireshark's rule and the BSD model differ), each fragment n filled with
             one character; the manifest lists (offset, char, length, more) in sending order.
Everything is deterministic: fixed addresses, ids, seeds and timestamps (1700000000 + i ms).
"""
import json
import os
import random
import sys

from scapy.all import (ICMP, IP, UDP, Dot1Q, Ether, ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, Raw, fragment, fragment6, wrpcap)

SRC4, DST4 = '192.0.2.1', '192.0.2.2'
SRC6, DST6 = '2001:db8::1', '2001:db8::2'
MAC = dict(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')


def payload(n, seed):
    r = random.Random(seed)
    return bytes(r.getrandbits(8) for _ in range(n))


def built(p):
    """The packet as bytes and parsed back, so lengths and checksums are computed over the whole datagram."""
    return Ether(bytes(p))


def v4(upper, ident, vlan=None):
    l2 = Ether(**MAC) / Dot1Q(vlan=vlan) if vlan is not None else Ether(**MAC)
    return built(l2 / IP(src=SRC4, dst=DST4, id=ident) / upper)


def v6(upper, ident, ext=()):
    p = IPv6(src=SRC6, dst=DST6)
    for e in ext:
        p = p / e
    return built(Ether(**MAC) / p / IPv6ExtHdrFragment(id=ident) / upper)


def fragmentable(p):
    """The part fragmentation cuts: after the IPv4 header, or after the IPv6 fragment header."""
    if p.haslayer(IPv6ExtHdrFragment):
        return bytes(p[IPv6ExtHdrFragment].payload)
    return bytes(p[IP].payload)


def frag(p, size):
    return fragment6(p, size) if p.haslayer(IPv6) else fragment(p, size)


def clean_scenarios():
    ping4 = v4(ICMP(type=8, id=0x4242, seq=1) / Raw(payload(4000, 1)), 0x1001)
    udp4 = v4(UDP(sport=40000, dport=9999) / Raw(payload(9000, 2)), 0x1002)
    vlan4 = v4(UDP(sport=40001, dport=9999) / Raw(payload(3000, 3)), 0x1003, vlan=100)
    big4 = v4(UDP(sport=40002, dport=9999) / Raw(payload(65000, 4)), 0x1004)
    a4 = v4(UDP(sport=40003, dport=9999) / Raw(payload(2500, 5)), 0x2001)
    b4 = v4(ICMP(type=8, id=7, seq=2) / Raw(payload(2500, 6)), 0x2002)
    whole4 = v4(UDP(sport=40004, dport=9999) / Raw(b'not a fragment'), 0x2003)
    ping6 = v6(ICMPv6EchoRequest(id=0x4343, seq=1, data=payload(4000, 7)), 0x30001)
    udp6 = v6(UDP(sport=40005, dport=9999) / Raw(payload(5000, 8)), 0x30002, ext=(IPv6ExtHdrHopByHop(), IPv6ExtHdrDestOpt()))
    big6 = v6(UDP(sport=40006, dport=9999) / Raw(payload(30000, 9)), 0x30003)

    def shuffled(xs, seed):
        xs = list(xs)
        random.Random(seed).shuffle(xs)
        return xs

    a, b = frag(a4, 1000), frag(b4, 1000)
    interleaved = [a[0], b[0], whole4, a[1], b[1], b[2], a[2]]
    return [
        ('v4-icmp-ping', frag(ping4, 1480), [ping4]),
        ('v4-udp-shuffled', shuffled(frag(udp4, 1000), 11), [udp4]),
        ('v4-udp-vlan-reversed', list(reversed(frag(vlan4, 1480))), [vlan4]),
        ('v4-udp-65000-shuffled', shuffled(frag(big4, 1480), 12), [big4]),
        ('v4-interleaved', interleaved, [b4, a4]),
        ('v6-icmpv6-ping', frag(ping6, 1280), [ping6]),
        ('v6-udp-ext-headers-shuffled', shuffled(frag(udp6, 1280), 13), [udp6]),
        ('v6-udp-30000-reversed', list(reversed(frag(big6, 1400))), [big6]),
    ]


NOVAK = [(0, '1', 24), (32, '2', 16), (48, '3', 24), (8, '4', 32), (48, '5', 24), (72, '6', 24)]
STURGES_NOVAK = [
    (0, 'A', 24), (32, 'B', 16), (48, 'C', 24), (80, 'D', 8), (104, 'E', 16), (120, 'F', 24), (144, 'G', 16),
    (160, 'H', 16), (176, 'I', 8), (8, 'J', 32), (48, 'K', 24), (72, 'L', 24), (96, 'M', 24), (128, 'N', 8),
    (152, 'O', 8), (160, 'P', 8), (176, 'Q', 16),
]
# Held [16,48) is cut to [24,48) by B (BSD: B starts first); C then starts before that piece and wins
# [24,40) in the BSD model, while Wireshark (lowest original offset, earliest first) keeps A there.
DIVERGE = [(0, 'Z', 8), (16, 'A', 32), (8, 'B', 16), (16, 'C', 24), (48, 'Y', 8)]


def overlap_train(spec, ip6, ident):
    out = []
    for i, (off, ch, n) in enumerate(spec):
        more = i != len(spec) - 1
        data = Raw((ch * n).encode())
        if ip6:
            p = Ether(**MAC) / IPv6(src=SRC6, dst=DST6) / IPv6ExtHdrFragment(nh=58, offset=off // 8, m=int(more), id=ident) / data
        else:
            p = Ether(**MAC) / IP(src=SRC4, dst=DST4, id=ident, proto=1, frag=off // 8, flags='MF' if more else 0) / data
        out.append(built(p))
    return [(off, ch, n, i != len(spec) - 1) for i, (off, ch, n) in enumerate(spec)], out


def stamp(pkts):
    for i, p in enumerate(pkts):
        p.time = 1700000000 + i / 1000
    return pkts


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for name, pkts, originals in clean_scenarios():
        wrpcap(os.path.join(out_dir, name + '.pcap'), stamp(pkts))
        manifest.append({'name': name, 'file': name + '.pcap', 'kind': 'clean', 'frames': len(pkts),
                         'datagrams': [fragmentable(p).hex() for p in originals]})
    for name, spec, ip6, ident in [('v4-novak', NOVAK, False, 0x51), ('v6-novak', NOVAK, True, 0x52),
                                   ('v4-sturges-novak', STURGES_NOVAK, False, 0x53), ('v6-sturges-novak', STURGES_NOVAK, True, 0x54),
                                   ('v4-bsd-vs-wireshark', DIVERGE, False, 0x55)]:
        fragments, pkts = overlap_train(spec, ip6, ident)
        wrpcap(os.path.join(out_dir, name + '.pcap'), stamp(pkts))
        manifest.append({'name': name, 'file': name + '.pcap', 'kind': 'overlap', 'ipVersion': 6 if ip6 else 4, 'frames': len(pkts),
                         'fragments': [{'offset': o, 'char': c, 'length': n, 'more': m} for o, c, n, m in fragments]})
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: reassembly-scapy.py OUT_DIR')
    main(sys.argv[1])
