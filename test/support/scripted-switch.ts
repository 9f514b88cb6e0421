/**
 * A scripted OpenFlow peer over real loopback TCP, for protocol tests of the controller's session
 * (negotiation failure, malformed input, echo, multipart reassembly) that real OVS cannot be made to do.
 */
import { connect, type Socket } from 'node:net';
import { decode, encode } from '../../src/codec/openflow/codec.js';
import { OfpFramer } from '../../src/codec/openflow/framer.js';
import type { OfpMessage } from '../../src/codec/openflow/messages.js';

export class ScriptedSwitch {
  readonly received: OfpMessage[] = [];
  private waiters: { pred: (m: OfpMessage) => boolean; resolve: (m: OfpMessage) => void }[] = [];
  private readonly framer = new OfpFramer();
  closed = false;
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.framer.push(new Uint8Array(chunk))) {
        const m = decode(f);
        this.received.push(m);
        this.waiters = this.waiters.filter((w) => {
          if (!w.pred(m)) return true;
          w.resolve(m);
          return false;
        });
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters) w();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<ScriptedSwitch> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new ScriptedSwitch(s)));
      s.once('error', reject);
    });
  }

  send(m: OfpMessage): void {
    this.socket.write(encode(m));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The first received message (already or later) satisfying `pred`. */
  next<T extends OfpMessage['type']>(type: T, pred: (m: Extract<OfpMessage, { type: T }>) => boolean = () => true, ms = 5000): Promise<Extract<OfpMessage, { type: T }>> {
    const p = (m: OfpMessage): boolean => m.type === type && pred(m as Extract<OfpMessage, { type: T }>);
    const seen = this.received.find(p);
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen as Extract<OfpMessage, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
      this.waiters.push({
        pred: p,
        resolve: (m) => {
          clearTimeout(timer);
          this.received.splice(this.received.indexOf(m), 1);
          resolve(m as Extract<OfpMessage, { type: T }>);
        },
      });
    });
  }

  whenClosed(ms = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`peer did not close within ${ms} ms`)), ms);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Answers the controller's handshake as a 1.3 switch with the given datapath id and no ports. */
  async handshake(dpid: bigint): Promise<void> {
    this.send({ type: 'HELLO', xid: 1, elements: [{ type: 'VERSIONBITMAP', bitmaps: [1 << 4] }] } as OfpMessage);
    const fr = await this.next('FEATURES_REQUEST');
    this.send({ type: 'FEATURES_REPLY', xid: fr.xid, datapathId: dpid, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 } as OfpMessage);
    const pd = await this.next('MULTIPART_REQUEST', (m) => m.body.kind === 'PORT_DESC');
    this.send({ type: 'MULTIPART_REPLY', xid: pd.xid, flags: 0, body: { kind: 'PORT_DESC', ports: [] } } as OfpMessage);
  }

  close(): void {
    this.socket.destroy();
  }
}
