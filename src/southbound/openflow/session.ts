/**
 * One switch connection: OpenFlow 1.3 handshake, keepalive, xid correlation, multipart reassembly,
 * barrier-closed batches, and the switch's asynchronous messages as RxJS streams.
 *
 * The session never throws into its socket callbacks: malformed input is counted and answered with
 * OFPT_ERROR (or closes the session when framing is lost / versions are incompatible), as
 * OpenFlow 1.3.5 §6.3 and §7.5.4 prescribe.
 */
import type { Socket } from 'node:net';
import { ReplaySubject, Subject } from 'rxjs';
import { Writer } from '../../codec/openflow/buffer.js';
import { decode, encodeInto } from '../../codec/openflow/codec.js';
import { ErrType, OfpDecodeError } from '../../codec/openflow/errors.js';
import { OfpFramer } from '../../codec/openflow/framer.js';
import { bitmapsFor, negotiateVersion } from '../../codec/openflow/hello.js';
import { OFP_VERSION } from '../../codec/openflow/header.js';
import type {
  ErrorMessage,
  FeaturesReplyMessage,
  FlowRemovedMessage,
  MultipartReplyMessage,
  OfpMessage,
  PacketInMessage,
  PortStatusMessage,
} from '../../codec/openflow/messages.js';
import { mergeMultipartReplies } from '../../codec/openflow/multipart.js';
import type { Port } from '../../codec/openflow/port.js';
import { silentLogger, type Logger } from '../../observability/log.js';
import { Registry } from '../../observability/metrics.js';
import { BatchRefusedError, RequestTimeoutError, SessionClosedError, SwitchRefusedError } from './errors.js';

export interface SessionOptions {
  /** Send ECHO_REQUEST after this much silence from the switch. */
  echoIntervalMs: number;
  /** Declare the peer dead after this much silence. */
  deadAfterMs: number;
  /** Default timeout of a request/reply exchange. */
  requestTimeoutMs: number;
  /** Hello + features + port description must complete within this. */
  handshakeTimeoutMs: number;
  /** SET_CONFIG miss_send_len: bytes of a packet sent to the controller (0xffff = whole packet). */
  missSendLen: number;
  logger: Logger;
  metrics: Registry;
}

export const defaultSessionOptions: SessionOptions = {
  echoIntervalMs: 5000,
  deadAfterMs: 15000,
  requestTimeoutMs: 10000,
  handshakeTimeoutMs: 10000,
  missSendLen: 0xffff,
  logger: silentLogger,
  metrics: new Registry(),
};

/** A message as the caller hands it over: the session assigns the xid. */
export type Outgoing = OfpMessage extends infer M ? (M extends OfpMessage ? Omit<M, 'xid'> & { xid?: number } : never) : never;

type SessionState = 'hello' | 'features' | 'ready' | 'closed';

interface Pending {
  request: OfpMessage;
  resolve(m: OfpMessage): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  parts?: MultipartReplyMessage[];
}

interface Batch {
  firstXid: number;
  count: number;
  failures: { index: number; error: SwitchRefusedError }[];
  messages: readonly Outgoing[];
}

const MAX_XID = 0xffffffff;
/** Batches are written in chunks of about this size so a big install never builds one huge buffer. */
const WRITE_CHUNK = 256 * 1024;

export class SwitchSession {
  /** Datapath id, known once FEATURES_REPLY arrived. */
  dpid: bigint | undefined;
  features: FeaturesReplyMessage | undefined;
  /** Negotiated version (always 0x04 once ready). */
  version: number | undefined;
  readonly ports = new Map<number, Port>();
  readonly remote: string;

  readonly packetIn$ = new Subject<PacketInMessage>();
  readonly portStatus$ = new Subject<PortStatusMessage>();
  readonly flowRemoved$ = new Subject<FlowRemovedMessage>();
  /** Errors the switch sent that answer nothing we are waiting for. */
  readonly error$ = new Subject<SwitchRefusedError>();
  /** Every decoded inbound message (for tracing and tests). */
  readonly message$ = new Subject<OfpMessage>();
  /** Emits the close reason once. */
  readonly closed$ = new ReplaySubject<string>(1);

  private state: SessionState = 'hello';
  private readonly framer = new OfpFramer();
  private readonly pending = new Map<number, Pending>();
  private readonly batches: Batch[] = [];
  private xid = 0;
  private lastRx = Date.now();
  private keepalive: NodeJS.Timeout | undefined;
  private readonly opts: SessionOptions;
  private readonly log: Logger;
  private helloResolve: ((m: OfpMessage) => void) | undefined;
  private closeReason: string | undefined;

  constructor(
    private readonly socket: Socket,
    options: Partial<SessionOptions> = {},
  ) {
    this.opts = { ...defaultSessionOptions, ...options };
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.log = this.opts.logger.child({ remote: this.remote });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.close(`socket error: ${e.message}`));
    socket.on('close', () => this.close('connection closed by peer'));
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  get dpidHex(): string {
    return this.dpid === undefined ? '?' : this.dpid.toString(16).padStart(16, '0');
  }

  /** Runs the handshake (HELLO, FEATURES, SET_CONFIG, PORT_DESC). Resolves when the session is ready. */
  async start(): Promise<void> {
    const deadline = setTimeout(() => this.close('handshake timeout'), this.opts.handshakeTimeoutMs);
    try {
      const helloP = new Promise<OfpMessage>((resolve) => (this.helloResolve = resolve));
      this.send({ type: 'HELLO', version: OFP_VERSION, elements: [{ type: 'VERSIONBITMAP', bitmaps: bitmapsFor([OFP_VERSION]) }] } as Outgoing);
      const hello = await Promise.race([helloP, this.closedPromise()]);
      if (hello.type !== 'HELLO') throw new SessionClosedError(this.dpid, 'no HELLO');
      const v = negotiateVersion([OFP_VERSION], hello);
      if (v !== OFP_VERSION) {
        this.metric('vigil_openflow_hello_failed_total', 'Version negotiations that failed').inc();
        this.sendRaw({
          type: 'ERROR',
          xid: hello.xid,
          version: OFP_VERSION,
          errType: ErrType.HELLO_FAILED,
          code: 0 /* OFPHFC_INCOMPATIBLE */,
          data: new TextEncoder().encode('Vigil speaks OpenFlow 1.3 (0x04) only'),
        } as OfpMessage);
        this.close(`version negotiation failed (peer offered 0x${hello.version?.toString(16) ?? '?'})`);
        throw new SessionClosedError(undefined, 'version negotiation failed');
      }
      this.version = v;
      this.state = 'features';
      const features = (await this.request({ type: 'FEATURES_REQUEST' })) as FeaturesReplyMessage;
      this.features = features;
      this.dpid = features.datapathId;
      this.send({ type: 'SET_CONFIG', flags: 0, missSendLen: this.opts.missSendLen } as Outgoing);
      const desc = await this.multipart({ type: 'MULTIPART_REQUEST', flags: 0, body: { kind: 'PORT_DESC' } } as Outgoing);
      if (desc.body.kind === 'PORT_DESC') for (const p of desc.body.ports) this.ports.set(p.portNo, p);
      this.state = 'ready';
      this.startKeepalive();
      this.log.info('switch ready', { dpid: this.dpidHex, ports: this.ports.size });
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Sends one message; returns its xid. */
  send(m: Outgoing): number {
    const xid = m.xid ?? this.nextXid();
    this.sendRaw({ ...m, xid } as OfpMessage);
    return xid;
  }

  /** Sends a request and resolves with the correlated reply (OFPT_ERROR rejects with SwitchRefusedError). */
  request(m: Outgoing, timeoutMs = this.opts.requestTimeoutMs, pendingBytes?: Writer): Promise<OfpMessage> {
    if (this.state === 'closed') return Promise.reject(new SessionClosedError(this.dpid, this.closeReason ?? 'closed'));
    const xid = this.nextXid();
    const msg = m as OfpMessage;
    return new Promise<OfpMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(xid);
        this.metric('vigil_openflow_request_timeouts_total', 'Requests the switch did not answer in time').inc();
        reject(new RequestTimeoutError(this.dpid, msg.type, timeoutMs));
      }, timeoutMs);
      this.pending.set(xid, { request: msg, resolve, reject, timer });
      try {
        // `pendingBytes`: messages already encoded that must precede this request (one socket write).
        const w = pendingBytes ?? new Writer(64);
        encodeInto(w, msg, xid);
        if (!this.socket.destroyed) this.socket.write(w.view0()); // the writer is not reused: no copy
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(xid);
        reject(e as Error);
      }
    });
  }

  /** A multipart request; resolves with the reassembled reply (all REPLY_MORE parts merged). */
  async multipart(m: Outgoing, timeoutMs = this.opts.requestTimeoutMs): Promise<MultipartReplyMessage> {
    if (m.type !== 'MULTIPART_REQUEST') throw new TypeError('multipart() takes a MULTIPART_REQUEST');
    const reply = await this.request(m, timeoutMs);
    return reply as MultipartReplyMessage;
  }

  /** Sends a barrier and waits for its reply: everything sent before it has been processed. */
  async barrier(timeoutMs = this.opts.requestTimeoutMs): Promise<void> {
    await this.request({ type: 'BARRIER_REQUEST' }, timeoutMs);
  }

  /**
   * Sends `messages` in order, closed by one barrier. Resolves when the switch has processed all of them
   * without error; rejects with BatchRefusedError naming every refused message (by index) otherwise.
   * OpenFlow processes a connection's messages in order and answers errors before the barrier reply, so
   * the attribution is exact.
   */
  async sendBatch(messages: readonly Outgoing[], timeoutMs?: number): Promise<void> {
    if (this.state === 'closed') throw new SessionClosedError(this.dpid, this.closeReason ?? 'closed');
    if (messages.length === 0) return;
    const firstXid = this.reserveXids(messages.length);
    const batch: Batch = { firstXid, count: messages.length, failures: [], messages };
    this.batches.push(batch);
    try {
      // Sized to the batch: a one-rule change must not allocate a large buffer (GC shows up in p99).
      const w = new Writer(Math.min(WRITE_CHUNK + 4096, 128 + messages.length * 128));
      let xid = firstXid;
      for (const m of messages) {
        encodeInto(w, m as OfpMessage, xid);
        xid = xid === MAX_XID ? 1 : xid + 1;
        if (w.offset >= WRITE_CHUNK) {
          const ok = this.socket.write(w.toBytes());
          w.reset();
          if (!ok) await this.drain();
        }
      }
      // The barrier travels in the same write as the batch's tail.
      await this.request({ type: 'BARRIER_REQUEST' }, timeoutMs ?? this.opts.requestTimeoutMs + Math.ceil(messages.length / 10), w);
    } finally {
      const i = this.batches.indexOf(batch);
      if (i >= 0) this.batches.splice(i, 1);
    }
    if (batch.failures.length > 0) {
      this.metric('vigil_openflow_batch_refusals_total', 'Messages the switch refused inside batches').inc({}, batch.failures.length);
      throw new BatchRefusedError(this.dpid, batch.failures, messages.length);
    }
  }

  /** Closes the session (idempotent). Pending requests fail with SessionClosedError. */
  close(reason = 'closed by controller'): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    if (this.keepalive) clearInterval(this.keepalive);
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new SessionClosedError(this.dpid, reason));
    }
    this.pending.clear();
    this.socket.end();
    // A peer that ignores FIN must not pin the socket.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.log.info('switch session closed', { dpid: this.dpidHex, reason });
    this.closed$.next(reason);
    this.closed$.complete();
    this.packetIn$.complete();
    this.portStatus$.complete();
    this.flowRemoved$.complete();
    this.error$.complete();
    this.message$.complete();
  }

  // ---- inbound ----

  private onData(chunk: Buffer): void {
    this.lastRx = Date.now();
    let frames: Uint8Array[];
    try {
      frames = this.framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (e) {
      // Framing is lost: nothing after this point can be trusted.
      this.countMalformed(e);
      this.close(`framing lost: ${(e as Error).message}`);
      return;
    }
    for (const frame of frames) {
      if (this.state === 'closed') return;
      let m: OfpMessage;
      try {
        m = decode(frame);
      } catch (e) {
        this.onMalformed(frame, e);
        continue;
      }
      try {
        this.dispatch(m);
      } catch (e) {
        // A bug in a handler must not take the session (or the process) down.
        this.log.error('handler failed', { type: m.type, error: e });
        this.metric('vigil_openflow_handler_errors_total', 'Exceptions thrown by inbound message handlers').inc();
      }
    }
  }

  private onMalformed(frame: Uint8Array, e: unknown): void {
    this.countMalformed(e);
    if (!(e instanceof OfpDecodeError)) {
      this.log.error('decoder bug', { error: e });
      return;
    }
    const xid = frame.length >= 8 ? new DataView(frame.buffer, frame.byteOffset).getUint32(4) : 0;
    this.log.warn('malformed message from switch', { dpid: this.dpidHex, error: e.message, errType: e.errType, errCode: e.errCode });
    // §7.4.4: the error carries at least 64 bytes of the offending message.
    this.sendRaw({ type: 'ERROR', xid, errType: e.errType, code: e.errCode, data: frame.slice(0, 64) } as OfpMessage);
  }

  private countMalformed(e: unknown): void {
    const code = e instanceof OfpDecodeError ? `${e.errType}/${e.errCode}` : 'internal';
    this.metric('vigil_openflow_malformed_total', 'Malformed OpenFlow messages received').inc({ code });
  }

  private dispatch(m: OfpMessage): void {
    this.message$.next(m);
    switch (m.type) {
      case 'HELLO':
        if (this.helloResolve) {
          this.helloResolve(m);
          this.helloResolve = undefined;
        }
        return;
      case 'ECHO_REQUEST':
        this.sendRaw({ type: 'ECHO_REPLY', xid: m.xid, data: m.data } as OfpMessage);
        return;
      case 'PACKET_IN':
        this.packetIn$.next(m);
        return;
      case 'PORT_STATUS':
        if (m.reason === 1 /* OFPPR_DELETE */) this.ports.delete(m.port.portNo);
        else this.ports.set(m.port.portNo, m.port);
        this.portStatus$.next(m);
        return;
      case 'FLOW_REMOVED':
        this.flowRemoved$.next(m);
        return;
      case 'ERROR':
        this.onError(m);
        return;
      case 'MULTIPART_REPLY':
        this.onMultipartReply(m);
        return;
      default:
        this.resolvePending(m);
    }
  }

  private onError(m: ErrorMessage): void {
    const err = new SwitchRefusedError(this.dpid, m.errType, m.code ?? 0, m.data ?? new Uint8Array(0), this.pending.get(m.xid)?.request);
    this.metric('vigil_openflow_switch_errors_total', 'OFPT_ERROR messages received from switches').inc({ type: String(m.errType), code: String(m.code ?? 0) });
    const p = this.pending.get(m.xid);
    if (p) {
      this.pending.delete(m.xid);
      clearTimeout(p.timer);
      p.reject(err);
      return;
    }
    for (const b of this.batches) {
      const idx = (m.xid - b.firstXid + 0x100000000) % 0x100000000;
      if (idx < b.count) {
        const refused = new SwitchRefusedError(this.dpid, m.errType, m.code ?? 0, m.data ?? new Uint8Array(0), { ...b.messages[idx], xid: m.xid } as OfpMessage);
        b.failures.push({ index: idx, error: refused });
        return;
      }
    }
    this.log.warn('unsolicited error from switch', { dpid: this.dpidHex, error: err.message });
    if (!this.error$.closed) this.error$.next(err);
  }

  private onMultipartReply(m: MultipartReplyMessage): void {
    const p = this.pending.get(m.xid);
    if (!p) return this.unexpected(m);
    (p.parts ??= []).push(m);
    if (m.flags & 1 /* OFPMPF_REPLY_MORE */) return;
    this.pending.delete(m.xid);
    clearTimeout(p.timer);
    p.resolve(p.parts.length === 1 ? m : mergeMultipartReplies(p.parts));
  }

  private resolvePending(m: OfpMessage): void {
    const p = this.pending.get(m.xid);
    if (!p) return this.unexpected(m);
    this.pending.delete(m.xid);
    clearTimeout(p.timer);
    p.resolve(m);
  }

  private unexpected(m: OfpMessage): void {
    if (m.type === 'ECHO_REPLY' || m.type === 'BARRIER_REPLY') return; // keepalive answers, late barriers
    this.metric('vigil_openflow_unexpected_total', 'Replies that matched no pending request').inc({ type: m.type });
  }

  // ---- outbound ----

  private sendRaw(m: OfpMessage): void {
    if (this.socket.destroyed) return;
    const w = new Writer(64);
    encodeInto(w, m);
    this.socket.write(w.view0());
  }

  private nextXid(): number {
    this.xid = this.xid >= MAX_XID ? 1 : this.xid + 1;
    return this.xid;
  }

  /** Reserves `n` consecutive xids (wrapping past 0) and returns the first. */
  private reserveXids(n: number): number {
    const first = this.nextXid();
    this.xid = ((first - 1 + n - 1) % MAX_XID) + 1;
    return first;
  }

  private drain(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  private startKeepalive(): void {
    const tick = Math.max(100, Math.min(this.opts.echoIntervalMs, this.opts.deadAfterMs) / 2);
    this.keepalive = setInterval(() => {
      const silent = Date.now() - this.lastRx;
      if (silent >= this.opts.deadAfterMs) {
        this.metric('vigil_openflow_dead_peers_total', 'Sessions closed because the switch stopped answering').inc();
        this.close(`no message from switch for ${silent} ms (echo timeout)`);
      } else if (silent >= this.opts.echoIntervalMs) {
        this.send({ type: 'ECHO_REQUEST', data: new Uint8Array(0) } as Outgoing);
      }
    }, tick);
    this.keepalive.unref();
  }

  private closedPromise(): Promise<never> {
    return new Promise((_, reject) => this.closed$.subscribe((reason) => reject(new SessionClosedError(this.dpid, reason))));
  }

  private metric(name: string, help: string) {
    return this.opts.metrics.counter(name, help);
  }
}
