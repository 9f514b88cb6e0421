/**
 * The fallback datagram source: Node's dgram socket. One 'message' event per datagram, so it tops out far
 * below the native ring under a flood (the kernel then drops, and says so in RcvbufErrors); batches are
 * still formed: the sink is flushed once per event-loop turn, after the messages of that turn.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { BoundSource, DatagramSink, DatagramSource, SourceOptions, SourceStats } from './source.js';

export class DgramSource implements DatagramSource {
  readonly kind = 'dgram' as const;
  private socket: Socket | null = null;
  private datagrams = 0;
  private bytes = 0;
  private flushScheduled = false;

  constructor(private readonly options: SourceOptions) {}

  start(sink: DatagramSink): Promise<BoundSource> {
    if (this.socket) return Promise.reject(new Error('the dgram source is already started'));
    const { host, port, receiveBufferBytes } = this.options;
    const v6 = isIPv6(host);
    const socket = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: false, recvBufferSize: receiveBufferBytes > 0 ? receiveBufferBytes : undefined });
    this.socket = socket;
    const flush = (): void => {
      this.flushScheduled = false;
      sink.flush();
    };
    socket.on('message', (msg: Buffer) => {
      this.datagrams++;
      this.bytes += msg.length;
      sink.datagram(msg, false);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(flush);
      }
    });
    return new Promise<BoundSource>((resolve, reject) => {
      const onError = (err: Error): void => {
        this.socket = null;
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind({ address: host, port, exclusive: true }, () => {
        socket.off('error', onError);
        // After bind, errors (ICMP-triggered etc.) are not fatal to a receive-only socket.
        socket.on('error', () => undefined);
        const a = socket.address();
        resolve({ address: a.address, port: a.port, family: v6 ? 6 : 4, receiveBufferBytes: socket.getRecvBufferSize() });
      });
    });
  }

  stats(): SourceStats {
    return { datagrams: this.datagrams, bytes: this.bytes, kernelDrops: -1, oversize: 0 };
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = null;
    if (!s) return Promise.resolve();
    return new Promise((r) => s.close(() => r()));
  }
}
