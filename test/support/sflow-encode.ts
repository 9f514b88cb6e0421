/**
 * sFlow v5 encoder for tests: SflowDatagram objects -> bytes, written field by field from the spec
 * (sflow_version_5.txt, sflow_host.txt) independently of the decoder's layout tables, so a round trip
 * checks two readings of the spec against each other. Also a tiny pcap writer to hand datagrams to tshark.
 */
import { ipv4FromString, ipv6Bytes, macBytes } from '../../src/codec/addr.js';
import type { CounterRecord, FlowRecord, SflowDatagram, SflowSample } from '../../src/codec/sflow/index.js';

export class XdrWriter {
  private buf = new Uint8Array(512);
  private view = new DataView(this.buf.buffer);
  offset = 0;

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.offset));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`u32 out of range: ${v}`);
    this.ensure(4);
    this.view.setUint32(this.offset, v);
    this.offset += 4;
    return this;
  }

  u64(v: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.offset, BigInt.asUintN(64, v));
    this.offset += 8;
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.view.setFloat32(this.offset, v);
    this.offset += 4;
    return this;
  }

  /** Raw bytes followed by zero padding to a multiple of 4. */
  fixed(b: Uint8Array): this {
    const padded = (b.length + 3) & ~3;
    this.ensure(padded);
    this.buf.set(b, this.offset);
    this.buf.fill(0, this.offset + b.length, this.offset + padded);
    this.offset += padded;
    return this;
  }

  opaque(b: Uint8Array): this {
    return this.u32(b.length).fixed(b);
  }

  string(s: string): this {
    return this.opaque(new TextEncoder().encode(s));
  }

  mac(s: string): this {
    return this.fixed(macBytes(s));
  }

  ipv4(s: string): this {
    return this.u32(ipv4FromString(s));
  }

  ipv6(s: string): this {
    return this.fixed(ipv6Bytes(s));
  }

  /** sFlow address union: '' unknown (type 0), IPv6 if it has a ':', else IPv4. */
  address(s: string): this {
    if (s === '') return this.u32(0);
    return s.includes(':') ? this.u32(2).ipv6(s) : this.u32(1).ipv4(s);
  }

  /** A data format word and a length word, then whatever `body` writes (length patched afterwards). */
  tlv(enterprise: number, format: number, body: (w: this) => void): this {
    this.u32(((enterprise << 12) | format) >>> 0);
    const lenAt = this.offset;
    this.u32(0);
    const start = this.offset;
    body(this);
    this.view.setUint32(lenAt, this.offset - start);
    return this;
  }

  /** An opaque TLV whose length is the unpadded data length (XDR padding follows). */
  tlvOpaque(enterprise: number, format: number, data: Uint8Array): this {
    return this.u32(((enterprise << 12) | format) >>> 0).u32(data.length).fixed(data);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
}

function uuidBytes(s: string): Uint8Array {
  const hex = s.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`bad uuid ${s}`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function encodeFlowRecord(w: XdrWriter, rec: FlowRecord): void {
  switch (rec.type) {
    case 'raw_header':
      w.tlv(0, 1, (x) => x.u32(rec.headerProtocol).u32(rec.frameLength).u32(rec.stripped).opaque(rec.header));
      return;
    case 'sampled_ethernet':
      w.tlv(0, 2, (x) => x.u32(rec.length).mac(rec.srcMac).mac(rec.dstMac).u32(rec.ethType));
      return;
    case 'sampled_ipv4':
      w.tlv(0, 3, (x) => x.u32(rec.length).u32(rec.protocol).ipv4(rec.srcIp).ipv4(rec.dstIp).u32(rec.srcPort).u32(rec.dstPort).u32(rec.tcpFlags).u32(rec.tos));
      return;
    case 'sampled_ipv6':
      w.tlv(0, 4, (x) => x.u32(rec.length).u32(rec.protocol).ipv6(rec.srcIp).ipv6(rec.dstIp).u32(rec.srcPort).u32(rec.dstPort).u32(rec.tcpFlags).u32(rec.priority));
      return;
    case 'extended_switch':
      w.tlv(0, 1001, (x) => x.u32(rec.srcVlan).u32(rec.srcPriority).u32(rec.dstVlan).u32(rec.dstPriority));
      return;
    case 'extended_router':
      w.tlv(0, 1002, (x) => x.address(rec.nextHop).u32(rec.srcMaskLen).u32(rec.dstMaskLen));
      return;
    case 'extended_gateway':
      w.tlv(0, 1003, (x) => {
        x.address(rec.nextHop).u32(rec.as).u32(rec.srcAs).u32(rec.srcPeerAs);
        x.u32(rec.dstAsPath.length);
        for (const seg of rec.dstAsPath) {
          x.u32(seg.type).u32(seg.asns.length);
          for (const a of seg.asns) x.u32(a);
        }
        x.u32(rec.communities.length);
        for (const c of rec.communities) x.u32(c);
        x.u32(rec.localPref);
      });
      return;
    case 'unknown':
      w.tlvOpaque(rec.enterprise, rec.format, rec.data);
      return;
  }
}

export function encodeCounterRecord(w: XdrWriter, rec: CounterRecord): void {
  switch (rec.type) {
    case 'generic_interface':
      w.tlv(0, 1, (x) =>
        x
          .u32(rec.ifIndex).u32(rec.ifType).u64(rec.ifSpeed).u32(rec.ifDirection).u32(rec.ifStatus)
          .u64(rec.ifInOctets).u32(rec.ifInUcastPkts).u32(rec.ifInMulticastPkts).u32(rec.ifInBroadcastPkts)
          .u32(rec.ifInDiscards).u32(rec.ifInErrors).u32(rec.ifInUnknownProtos)
          .u64(rec.ifOutOctets).u32(rec.ifOutUcastPkts).u32(rec.ifOutMulticastPkts).u32(rec.ifOutBroadcastPkts)
          .u32(rec.ifOutDiscards).u32(rec.ifOutErrors).u32(rec.ifPromiscuousMode),
      );
      return;
    case 'ethernet':
      w.tlv(0, 2, (x) =>
        x
          .u32(rec.dot3StatsAlignmentErrors).u32(rec.dot3StatsFCSErrors).u32(rec.dot3StatsSingleCollisionFrames)
          .u32(rec.dot3StatsMultipleCollisionFrames).u32(rec.dot3StatsSQETestErrors).u32(rec.dot3StatsDeferredTransmissions)
          .u32(rec.dot3StatsLateCollisions).u32(rec.dot3StatsExcessiveCollisions).u32(rec.dot3StatsInternalMacTransmitErrors)
          .u32(rec.dot3StatsCarrierSenseErrors).u32(rec.dot3StatsFrameTooLongs).u32(rec.dot3StatsInternalMacReceiveErrors)
          .u32(rec.dot3StatsSymbolErrors),
      );
      return;
    case 'vlan':
      w.tlv(0, 5, (x) => x.u32(rec.vlanId).u64(rec.octets).u32(rec.ucastPkts).u32(rec.multicastPkts).u32(rec.broadcastPkts).u32(rec.discards));
      return;
    case 'processor':
      w.tlv(0, 1001, (x) => x.u32(rec.cpu5s).u32(rec.cpu1m).u32(rec.cpu5m).u64(rec.totalMemory).u64(rec.freeMemory));
      return;
    case 'openflow_port':
      w.tlv(0, 1004, (x) => x.u64(rec.datapathId).u32(rec.portNo));
      return;
    case 'port_name':
      w.tlv(0, 1005, (x) => x.string(rec.name));
      return;
    case 'host_description':
      w.tlv(0, 2000, (x) => x.string(rec.hostname).fixed(uuidBytes(rec.uuid)).u32(rec.machineType).u32(rec.osName).string(rec.osRelease));
      return;
    case 'host_adapters':
      w.tlv(0, 2001, (x) => {
        x.u32(rec.adapters.length);
        for (const a of rec.adapters) {
          x.u32(a.ifIndex).u32(a.macs.length);
          for (const m of a.macs) x.mac(m);
        }
      });
      return;
    case 'host_parent':
      w.tlv(0, 2002, (x) => x.u32(rec.containerType).u32(rec.containerIndex));
      return;
    case 'host_cpu':
      w.tlv(0, 2003, (x) => {
        x.f32(rec.loadOne).f32(rec.loadFive).f32(rec.loadFifteen).u32(rec.procRun).u32(rec.procTotal).u32(rec.cpuNum).u32(rec.cpuSpeed)
          .u32(rec.uptime).u32(rec.cpuUser).u32(rec.cpuNice).u32(rec.cpuSystem).u32(rec.cpuIdle).u32(rec.cpuWio).u32(rec.cpuIntr)
          .u32(rec.cpuSintr).u32(rec.interrupts).u32(rec.contexts);
        if (rec.cpuSteal !== undefined) x.u32(rec.cpuSteal).u32(rec.cpuGuest ?? 0).u32(rec.cpuGuestNice ?? 0);
      });
      return;
    case 'host_memory':
      w.tlv(0, 2004, (x) =>
        x.u64(rec.memTotal).u64(rec.memFree).u64(rec.memShared).u64(rec.memBuffers).u64(rec.memCached).u64(rec.swapTotal).u64(rec.swapFree)
          .u32(rec.pageIn).u32(rec.pageOut).u32(rec.swapIn).u32(rec.swapOut),
      );
      return;
    case 'host_disk_io':
      w.tlv(0, 2005, (x) =>
        x.u64(rec.diskTotal).u64(rec.diskFree).u32(rec.partMaxUsed).u32(rec.reads).u64(rec.bytesRead).u32(rec.readTime)
          .u32(rec.writes).u64(rec.bytesWritten).u32(rec.writeTime),
      );
      return;
    case 'host_net_io':
    case 'virt_net_io':
      w.tlv(0, rec.type === 'host_net_io' ? 2006 : 2104, (x) =>
        x.u64(rec.bytesIn).u32(rec.pktsIn).u32(rec.errsIn).u32(rec.dropsIn).u64(rec.bytesOut).u32(rec.pktsOut).u32(rec.errsOut).u32(rec.dropsOut),
      );
      return;
    case 'virt_node':
      w.tlv(0, 2100, (x) => x.u32(rec.mhz).u32(rec.cpus).u64(rec.memory).u64(rec.memoryFree).u32(rec.numDomains));
      return;
    case 'virt_cpu':
      w.tlv(0, 2101, (x) => x.u32(rec.state).u32(rec.cpuTime).u32(rec.nrVirtCpu));
      return;
    case 'virt_memory':
      w.tlv(0, 2102, (x) => x.u64(rec.memory).u64(rec.maxMemory));
      return;
    case 'virt_disk_io':
      w.tlv(0, 2103, (x) =>
        x.u64(rec.capacity).u64(rec.allocation).u64(rec.available).u32(rec.rdReq).u64(rec.rdBytes).u32(rec.wrReq).u64(rec.wrBytes).u32(rec.errs),
      );
      return;
    case 'unknown':
      w.tlvOpaque(rec.enterprise, rec.format, rec.data);
      return;
  }
}

export function encodeSample(w: XdrWriter, s: SflowSample): void {
  switch (s.kind) {
    case 'flow':
      w.tlv(0, s.expanded ? 3 : 1, (x) => {
        x.u32(s.sequence);
        if (s.expanded) x.u32(s.sourceIdType).u32(s.sourceIdIndex);
        else x.u32(((s.sourceIdType << 24) | s.sourceIdIndex) >>> 0);
        x.u32(s.samplingRate).u32(s.samplePool).u32(s.drops);
        if (s.expanded) x.u32(s.input.format).u32(s.input.value).u32(s.output.format).u32(s.output.value);
        else x.u32(((s.input.format << 30) | s.input.value) >>> 0).u32(((s.output.format << 30) | s.output.value) >>> 0);
        x.u32(s.records.length);
        for (const r of s.records) encodeFlowRecord(x, r);
      });
      return;
    case 'counters':
      w.tlv(0, s.expanded ? 4 : 2, (x) => {
        x.u32(s.sequence);
        if (s.expanded) x.u32(s.sourceIdType).u32(s.sourceIdIndex);
        else x.u32(((s.sourceIdType << 24) | s.sourceIdIndex) >>> 0);
        x.u32(s.records.length);
        for (const r of s.records) encodeCounterRecord(x, r);
      });
      return;
    case 'unknown':
      w.tlvOpaque(s.enterprise, s.format, s.data);
      return;
  }
}

/** Encodes a datagram (version 5; the agent's address type follows from its text). */
export function encodeDatagram(d: Omit<SflowDatagram, 'version'> & { version?: number }): Uint8Array {
  const w = new XdrWriter();
  w.u32(d.version ?? 5).address(d.agent).u32(d.subAgentId).u32(d.sequence).u32(d.uptime).u32(d.samples.length);
  for (const s of d.samples) encodeSample(w, s);
  return w.bytes();
}

/**
 * A classic pcap file (Ethernet link type) holding each payload as a UDP datagram 127.0.0.1:srcPort ->
 * 127.0.0.1:dstPort, so tshark (`-d udp.port==PORT,sflow` for ports other than 6343) can decode them.
 */
export function udpPcap(payloads: Uint8Array[], dstPort = 6343, srcPort = 40000): Uint8Array {
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  parts.push(gh);
  payloads.forEach((p, i) => {
    const frame = Buffer.alloc(14 + 20 + 8 + p.length);
    frame.writeUInt16BE(0x0800, 12);
    frame[14] = 0x45;
    frame.writeUInt16BE(20 + 8 + p.length, 16);
    frame.writeUInt16BE(i & 0xffff, 18);
    frame[22] = 64;
    frame[23] = 17;
    frame.writeUInt32BE(0x7f000001, 26);
    frame.writeUInt32BE(0x7f000001, 30);
    let sum = 0;
    for (let k = 14; k < 34; k += 2) sum += frame.readUInt16BE(k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    frame.writeUInt16BE(~sum & 0xffff, 24);
    frame.writeUInt16BE(srcPort, 34);
    frame.writeUInt16BE(dstPort, 36);
    frame.writeUInt16BE(8 + p.length, 38);
    frame.set(p, 42);
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(1_700_000_000 + i, 0);
    rh.writeUInt32LE(frame.length, 8);
    rh.writeUInt32LE(frame.length, 12);
    parts.push(rh, frame);
  });
  return Uint8Array.from(Buffer.concat(parts));
}
