/** Helpers of the sFlow collector integration tests: batch collection, crafted datagrams, a UDP sender. */
import { createSocket, type Socket } from 'node:dgram';
import type { Subscription } from 'rxjs';
import type { FlowRecord, FlowSample, SflowDatagram } from '../../src/codec/sflow/index.js';
import { flowsOf, type FlowSampleRecord, type SflowBatch, type SflowCollector } from '../../src/southbound/sflow/index.js';
import { encodeDatagram } from '../support/sflow-encode.js';

/** Collects a collector's batches; waits for conditions on them. */
export class Batches {
  readonly all: SflowBatch[] = [];
  completed = false;
  private readonly sub: Subscription;
  private waiters: (() => void)[] = [];

  constructor(c: SflowCollector) {
    this.sub = c.batches$.subscribe({
      next: (b) => {
        this.all.push(b);
        this.wake();
      },
      complete: () => {
        this.completed = true;
        this.wake();
      },
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  flows(): FlowSampleRecord[] {
    return this.all.flatMap((b) => flowsOf(b));
  }

  /** Waits (at most `ms`) until `pred` holds. */
  async until(pred: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  unsubscribe(): void {
    this.sub.unsubscribe();
  }
}

/** An Ethernet/IPv4/UDP header of `len` bytes (zero padded): src 10.1.0.1:1234 -> 10.1.0.2:53. */
export function udpFrame(len = 64, srcPort = 1234): Uint8Array {
  const f = new Uint8Array(len);
  f.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00], 0);
  f.set([0x45, 0, 0, 50, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 0, 1, 10, 1, 0, 2], 14);
  f.set([srcPort >> 8, srcPort & 0xff, 0, 53, 0, 30, 0, 0], 34);
  return f;
}

export interface CraftedFlow {
  sequence: number;
  sourceIdIndex?: number;
  samplingRate?: number;
  samplePool?: number;
  drops?: number;
  input?: number;
  output?: number;
  frame?: Uint8Array;
}

export function flowSample(s: CraftedFlow): FlowSample {
  const frame = s.frame ?? udpFrame();
  const records: FlowRecord[] = [{ type: 'raw_header', headerProtocol: 1, frameLength: 64, stripped: 4, header: frame, packet: null }];
  return {
    kind: 'flow',
    expanded: false,
    sequence: s.sequence,
    sourceIdType: 0,
    sourceIdIndex: s.sourceIdIndex ?? 7,
    samplingRate: s.samplingRate ?? 100,
    samplePool: s.samplePool ?? s.sequence * (s.samplingRate ?? 100),
    drops: s.drops ?? 0,
    input: { format: 0, value: s.input ?? 7 },
    output: { format: 0, value: s.output ?? 8 },
    records,
  };
}

export function crafted(d: Partial<Omit<SflowDatagram, 'version'>> & { sequence: number }): Uint8Array {
  return encodeDatagram({ agent: d.agent ?? '192.0.2.10', subAgentId: d.subAgentId ?? 0, sequence: d.sequence, uptime: d.uptime ?? 100_000 + d.sequence, samples: d.samples ?? [] });
}

/** A UDP sender on loopback (IPv4 or IPv6). */
export class Sender {
  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
    private readonly port: number,
  ) {}

  static async open(host: string, port: number): Promise<Sender> {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((r) => s.bind(0, host, () => r()));
    return new Sender(s, host, port);
  }

  async send(...datagrams: Uint8Array[]): Promise<void> {
    for (const d of datagrams) {
      await new Promise<void>((resolve, reject) => this.socket.send(d, this.port, this.host, (e) => (e ? reject(e) : resolve())));
    }
  }

  close(): void {
    this.socket.close();
  }
}
