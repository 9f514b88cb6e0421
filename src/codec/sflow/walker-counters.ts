/**
 * Reused counter structures the walker fills (plain number fields, no allocation). 64-bit counters are
 * numbers: exact up to 2^53 (9 PB), which a counter reaches only after days at 100 Gb/s line rate; the
 * object API (decodeDatagram) gives them as exact bigints. Callers check bounds; read() trusts them.
 * They read through a DataView (one load per field; byte-by-byte reads were measured 2-3x slower).
 */
/** Big-endian u64 as a number (exact up to 2^53). */
function u64(v: DataView, o: number): number {
  return v.getUint32(o) * 4294967296 + v.getUint32(o + 4);
}


/** Bits of CounterSampleView.present: which records the sample carried. */
export const CounterBit = {
  GENERIC_INTERFACE: 1 << 0,
  ETHERNET: 1 << 1,
  VLAN: 1 << 2,
  PROCESSOR: 1 << 3,
  OPENFLOW_PORT: 1 << 4,
  PORT_NAME: 1 << 5,
  HOST_DESCRIPTION: 1 << 6,
  HOST_ADAPTERS: 1 << 7,
  HOST_PARENT: 1 << 8,
  HOST_CPU: 1 << 9,
  HOST_MEMORY: 1 << 10,
  HOST_DISK_IO: 1 << 11,
  HOST_NET_IO: 1 << 12,
  VIRT_NODE: 1 << 13,
  VIRT_CPU: 1 << 14,
  VIRT_MEMORY: 1 << 15,
  VIRT_DISK_IO: 1 << 16,
  VIRT_NET_IO: 1 << 17,
} as const;

export class InterfaceCountersView {
  ifIndex = 0;
  ifType = 0;
  ifSpeed = 0;
  ifDirection = 0;
  ifStatus = 0;
  ifInOctets = 0;
  ifInUcastPkts = 0;
  ifInMulticastPkts = 0;
  ifInBroadcastPkts = 0;
  ifInDiscards = 0;
  ifInErrors = 0;
  ifInUnknownProtos = 0;
  ifOutOctets = 0;
  ifOutUcastPkts = 0;
  ifOutMulticastPkts = 0;
  ifOutBroadcastPkts = 0;
  ifOutDiscards = 0;
  ifOutErrors = 0;
  ifPromiscuousMode = 0;

  read(b: DataView, o: number): void {
    this.ifIndex = b.getUint32(o);
    this.ifType = b.getUint32(o + 4);
    this.ifSpeed = u64(b, o + 8);
    this.ifDirection = b.getUint32(o + 16);
    this.ifStatus = b.getUint32(o + 20);
    this.ifInOctets = u64(b, o + 24);
    this.ifInUcastPkts = b.getUint32(o + 32);
    this.ifInMulticastPkts = b.getUint32(o + 36);
    this.ifInBroadcastPkts = b.getUint32(o + 40);
    this.ifInDiscards = b.getUint32(o + 44);
    this.ifInErrors = b.getUint32(o + 48);
    this.ifInUnknownProtos = b.getUint32(o + 52);
    this.ifOutOctets = u64(b, o + 56);
    this.ifOutUcastPkts = b.getUint32(o + 64);
    this.ifOutMulticastPkts = b.getUint32(o + 68);
    this.ifOutBroadcastPkts = b.getUint32(o + 72);
    this.ifOutDiscards = b.getUint32(o + 76);
    this.ifOutErrors = b.getUint32(o + 80);
    this.ifPromiscuousMode = b.getUint32(o + 84);
  }
}

export class EthernetCountersView {
  dot3StatsAlignmentErrors = 0;
  dot3StatsFCSErrors = 0;
  dot3StatsSingleCollisionFrames = 0;
  dot3StatsMultipleCollisionFrames = 0;
  dot3StatsSQETestErrors = 0;
  dot3StatsDeferredTransmissions = 0;
  dot3StatsLateCollisions = 0;
  dot3StatsExcessiveCollisions = 0;
  dot3StatsInternalMacTransmitErrors = 0;
  dot3StatsCarrierSenseErrors = 0;
  dot3StatsFrameTooLongs = 0;
  dot3StatsInternalMacReceiveErrors = 0;
  dot3StatsSymbolErrors = 0;

  read(b: DataView, o: number): void {
    this.dot3StatsAlignmentErrors = b.getUint32(o);
    this.dot3StatsFCSErrors = b.getUint32(o + 4);
    this.dot3StatsSingleCollisionFrames = b.getUint32(o + 8);
    this.dot3StatsMultipleCollisionFrames = b.getUint32(o + 12);
    this.dot3StatsSQETestErrors = b.getUint32(o + 16);
    this.dot3StatsDeferredTransmissions = b.getUint32(o + 20);
    this.dot3StatsLateCollisions = b.getUint32(o + 24);
    this.dot3StatsExcessiveCollisions = b.getUint32(o + 28);
    this.dot3StatsInternalMacTransmitErrors = b.getUint32(o + 32);
    this.dot3StatsCarrierSenseErrors = b.getUint32(o + 36);
    this.dot3StatsFrameTooLongs = b.getUint32(o + 40);
    this.dot3StatsInternalMacReceiveErrors = b.getUint32(o + 44);
    this.dot3StatsSymbolErrors = b.getUint32(o + 48);
  }
}

export class VlanCountersView {
  vlanId = 0;
  octets = 0;
  ucastPkts = 0;
  multicastPkts = 0;
  broadcastPkts = 0;
  discards = 0;

  read(b: DataView, o: number): void {
    this.vlanId = b.getUint32(o);
    this.octets = u64(b, o + 4);
    this.ucastPkts = b.getUint32(o + 12);
    this.multicastPkts = b.getUint32(o + 16);
    this.broadcastPkts = b.getUint32(o + 20);
    this.discards = b.getUint32(o + 24);
  }
}

export class ProcessorView {
  cpu5s = 0;
  cpu1m = 0;
  cpu5m = 0;
  totalMemory = 0;
  freeMemory = 0;

  read(b: DataView, o: number): void {
    this.cpu5s = b.getUint32(o);
    this.cpu1m = b.getUint32(o + 4);
    this.cpu5m = b.getUint32(o + 8);
    this.totalMemory = u64(b, o + 12);
    this.freeMemory = u64(b, o + 20);
  }
}

export class OpenflowPortView {
  /** The 64-bit datapath id as two 32-bit halves (exact). */
  datapathIdHi = 0;
  datapathIdLo = 0;
  portNo = 0;

  read(b: DataView, o: number): void {
    this.datapathIdHi = b.getUint32(o);
    this.datapathIdLo = b.getUint32(o + 4);
    this.portNo = b.getUint32(o + 8);
  }
}

/** host_description: strings stay in the datagram (offset/length), so filling it allocates nothing. */
export class HostDescriptionView {
  hostnameOffset = 0;
  hostnameLength = 0;
  /** Offset of the 16 UUID bytes. */
  uuidOffset = 0;
  machineType = 0;
  osName = 0;
  osReleaseOffset = 0;
  osReleaseLength = 0;
}

export class HostParentView {
  containerType = 0;
  containerIndex = 0;

  read(b: DataView, o: number): void {
    this.containerType = b.getUint32(o);
    this.containerIndex = b.getUint32(o + 4);
  }
}

export class HostCpuView {
  loadOne = 0;
  loadFive = 0;
  loadFifteen = 0;
  procRun = 0;
  procTotal = 0;
  cpuNum = 0;
  cpuSpeed = 0;
  uptime = 0;
  cpuUser = 0;
  cpuNice = 0;
  cpuSystem = 0;
  cpuIdle = 0;
  cpuWio = 0;
  cpuIntr = 0;
  cpuSintr = 0;
  interrupts = 0;
  contexts = 0;
  /** The 80-byte revision's fields (hasExtension false: the record had 68 bytes; these are 0). */
  hasExtension = false;
  cpuSteal = 0;
  cpuGuest = 0;
  cpuGuestNice = 0;

  read(b: DataView, o: number, len: number): void {
    this.loadOne = b.getFloat32(o);
    this.loadFive = b.getFloat32(o + 4);
    this.loadFifteen = b.getFloat32(o + 8);
    this.procRun = b.getUint32(o + 12);
    this.procTotal = b.getUint32(o + 16);
    this.cpuNum = b.getUint32(o + 20);
    this.cpuSpeed = b.getUint32(o + 24);
    this.uptime = b.getUint32(o + 28);
    this.cpuUser = b.getUint32(o + 32);
    this.cpuNice = b.getUint32(o + 36);
    this.cpuSystem = b.getUint32(o + 40);
    this.cpuIdle = b.getUint32(o + 44);
    this.cpuWio = b.getUint32(o + 48);
    this.cpuIntr = b.getUint32(o + 52);
    this.cpuSintr = b.getUint32(o + 56);
    this.interrupts = b.getUint32(o + 60);
    this.contexts = b.getUint32(o + 64);
    this.hasExtension = len >= 80;
    this.cpuSteal = this.hasExtension ? b.getUint32(o + 68) : 0;
    this.cpuGuest = this.hasExtension ? b.getUint32(o + 72) : 0;
    this.cpuGuestNice = this.hasExtension ? b.getUint32(o + 76) : 0;
  }
}

export class HostMemoryView {
  memTotal = 0;
  memFree = 0;
  memShared = 0;
  memBuffers = 0;
  memCached = 0;
  swapTotal = 0;
  swapFree = 0;
  pageIn = 0;
  pageOut = 0;
  swapIn = 0;
  swapOut = 0;

  read(b: DataView, o: number): void {
    this.memTotal = u64(b, o);
    this.memFree = u64(b, o + 8);
    this.memShared = u64(b, o + 16);
    this.memBuffers = u64(b, o + 24);
    this.memCached = u64(b, o + 32);
    this.swapTotal = u64(b, o + 40);
    this.swapFree = u64(b, o + 48);
    this.pageIn = b.getUint32(o + 56);
    this.pageOut = b.getUint32(o + 60);
    this.swapIn = b.getUint32(o + 64);
    this.swapOut = b.getUint32(o + 68);
  }
}

export class HostDiskIoView {
  diskTotal = 0;
  diskFree = 0;
  partMaxUsed = 0;
  reads = 0;
  bytesRead = 0;
  readTime = 0;
  writes = 0;
  bytesWritten = 0;
  writeTime = 0;

  read(b: DataView, o: number): void {
    this.diskTotal = u64(b, o);
    this.diskFree = u64(b, o + 8);
    this.partMaxUsed = b.getUint32(o + 16);
    this.reads = b.getUint32(o + 20);
    this.bytesRead = u64(b, o + 24);
    this.readTime = b.getUint32(o + 32);
    this.writes = b.getUint32(o + 36);
    this.bytesWritten = u64(b, o + 40);
    this.writeTime = b.getUint32(o + 48);
  }
}

/** host_net_io and virt_net_io share this layout. */
export class NetIoView {
  bytesIn = 0;
  pktsIn = 0;
  errsIn = 0;
  dropsIn = 0;
  bytesOut = 0;
  pktsOut = 0;
  errsOut = 0;
  dropsOut = 0;

  read(b: DataView, o: number): void {
    this.bytesIn = u64(b, o);
    this.pktsIn = b.getUint32(o + 8);
    this.errsIn = b.getUint32(o + 12);
    this.dropsIn = b.getUint32(o + 16);
    this.bytesOut = u64(b, o + 20);
    this.pktsOut = b.getUint32(o + 28);
    this.errsOut = b.getUint32(o + 32);
    this.dropsOut = b.getUint32(o + 36);
  }
}

export class VirtNodeView {
  mhz = 0;
  cpus = 0;
  memory = 0;
  memoryFree = 0;
  numDomains = 0;

  read(b: DataView, o: number): void {
    this.mhz = b.getUint32(o);
    this.cpus = b.getUint32(o + 4);
    this.memory = u64(b, o + 8);
    this.memoryFree = u64(b, o + 16);
    this.numDomains = b.getUint32(o + 24);
  }
}

export class VirtCpuView {
  state = 0;
  cpuTime = 0;
  nrVirtCpu = 0;

  read(b: DataView, o: number): void {
    this.state = b.getUint32(o);
    this.cpuTime = b.getUint32(o + 4);
    this.nrVirtCpu = b.getUint32(o + 8);
  }
}

export class VirtMemoryView {
  memory = 0;
  maxMemory = 0;

  read(b: DataView, o: number): void {
    this.memory = u64(b, o);
    this.maxMemory = u64(b, o + 8);
  }
}

export class VirtDiskIoView {
  capacity = 0;
  allocation = 0;
  available = 0;
  rdReq = 0;
  rdBytes = 0;
  wrReq = 0;
  wrBytes = 0;
  errs = 0;

  read(b: DataView, o: number): void {
    this.capacity = u64(b, o);
    this.allocation = u64(b, o + 8);
    this.available = u64(b, o + 16);
    this.rdReq = b.getUint32(o + 24);
    this.rdBytes = u64(b, o + 28);
    this.wrReq = b.getUint32(o + 36);
    this.wrBytes = u64(b, o + 40);
    this.errs = b.getUint32(o + 48);
  }
}
