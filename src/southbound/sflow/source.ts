/**
 * A UDP datagram source for the collector. Two implementations share one contract (and one test suite):
 * the native recvmmsg ring (native-source.ts) and Node's dgram (dgram-source.ts), the fallback when the
 * addon cannot be loaded.
 */

export interface DatagramSink {
  /**
   * One datagram: bytes[offset, offset + length) (default: all of `bytes`), valid only during the call.
   * `oversize`: cut short at maxDatagramBytes. The native source passes its ring with an offset (no
   * subarray per datagram); the walker then reads the ring in place.
   */
  datagram(bytes: Uint8Array, oversize: boolean, offset?: number, length?: number): void;
  /** The source has handed over everything it had queued: a batch boundary. */
  flush(): void;
}

export interface SourceOptions {
  /** A literal IPv4 or IPv6 address ('0.0.0.0', '::', '127.0.0.1', '::1'...). */
  host: string;
  /** 0: an ephemeral port. */
  port: number;
  /** SO_RCVBUF asked for (the kernel may cap it; the bound address reports what it gave). */
  receiveBufferBytes: number;
  /** Longest datagram accepted whole (native source; longer ones are counted as oversize). Default 65535. */
  maxDatagramBytes?: number;
  /** Native source: bytes of the ring between the receive thread and JavaScript. Default 32 MiB. */
  ringBytes?: number;
  /** Datagrams handed to the sink per event-loop turn before yielding. Default 4096. */
  maxPerTurn?: number;
}

export interface BoundSource {
  address: string;
  port: number;
  family: 4 | 6;
  /** What the kernel reports for SO_RCVBUF (Linux doubles the request for its bookkeeping). */
  receiveBufferBytes: number;
}

export interface SourceStats {
  /** Datagrams the source read from the socket. */
  datagrams: number;
  bytes: number;
  /** Datagrams the kernel dropped on this socket because its receive buffer was full (-1: unknown). */
  kernelDrops: number;
  /** Datagrams longer than maxDatagramBytes. */
  oversize: number;
}

export interface DatagramSource {
  readonly kind: 'native' | 'dgram';
  start(sink: DatagramSink): Promise<BoundSource>;
  stats(): SourceStats;
  close(): Promise<void>;
}
