/**
 * The OpenFlow listener: accepts many concurrent switches (IPv4 and IPv6), runs each session's
 * handshake, keeps one session per datapath id, and exposes sessions coming and going as streams.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Subject } from 'rxjs';
import { silentLogger, type Logger } from '../../observability/log.js';
import { Registry } from '../../observability/metrics.js';
import { SwitchSession, type SessionOptions } from './session.js';

export interface ServerOptions extends Partial<SessionOptions> {
  port: number;
  /** Address to bind; '::' accepts IPv4 and IPv6 (dual stack), '127.0.0.1' loopback only. */
  host: string;
  logger?: Logger;
  metrics?: Registry;
}

export interface SessionDown {
  dpid: bigint | undefined;
  session: SwitchSession;
  reason: string;
}

export class OpenFlowServer {
  /** A switch finished its handshake (datapath id and ports known). */
  readonly up$ = new Subject<SwitchSession>();
  /** A ready switch's session ended. */
  readonly down$ = new Subject<SessionDown>();
  /** Ready sessions by datapath id. */
  readonly sessions = new Map<bigint, SwitchSession>();

  private server: Server | undefined;
  private readonly all = new Set<SwitchSession>();
  private readonly log: Logger;
  private readonly metrics: Registry;

  constructor(private readonly opts: ServerOptions) {
    this.log = opts.logger ?? silentLogger;
    this.metrics = opts.metrics ?? new Registry();
  }

  async listen(): Promise<AddressInfo> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.opts.port, host: this.opts.host, ipv6Only: false }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.log.error('openflow listener error', { error: e }));
    const addr = server.address() as AddressInfo;
    this.log.info('openflow listening', { address: addr.address, port: addr.port });
    return addr;
  }

  get address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  /** Stops accepting, closes every session, and resolves when the listener is closed. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.all) s.close('controller shutting down');
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.up$.complete();
    this.down$.complete();
  }

  private accept(socket: Socket): void {
    this.metrics.counter('vigil_openflow_connections_total', 'TCP connections accepted from switches').inc();
    const session = new SwitchSession(socket, { ...this.opts, logger: this.log, metrics: this.metrics });
    this.all.add(session);
    session.closed$.subscribe((reason) => {
      this.all.delete(session);
      if (session.dpid !== undefined && this.sessions.get(session.dpid) === session) {
        this.sessions.delete(session.dpid);
        this.metrics.gauge('vigil_openflow_switches', 'Switches connected and ready').set(this.sessions.size);
        this.down$.next({ dpid: session.dpid, session, reason });
      }
    });
    session.start().then(
      () => {
        const dpid = session.dpid!;
        const old = this.sessions.get(dpid);
        this.sessions.set(dpid, session);
        // The switch reconnected before we noticed the old connection die: the new one wins.
        if (old && old !== session) old.close('replaced by a new connection from the same datapath');
        this.metrics.gauge('vigil_openflow_switches', 'Switches connected and ready').set(this.sessions.size);
        this.up$.next(session);
      },
      (e: Error) => {
        this.log.warn('switch handshake failed', { remote: session.remote, error: e.message });
        session.close(`handshake failed: ${e.message}`);
      },
    );
  }
}
