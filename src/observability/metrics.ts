/**
 * Counters and gauges with Prometheus text exposition. Every drop, error and decision is counted
 * (ARCHITECTURE §12); labels are fixed at creation so the hot path is one Map lookup at most.
 */
export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Record<string, string> = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Record<string, string> = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += v;
    return t;
  }

  expose(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${v}`);
    return lines.join('\n');
  }
}

export class Gauge {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(v: number, labels: Record<string, string> = {}): void {
    this.values.set(labelKey(labels), v);
  }

  get(labels: Record<string, string> = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  expose(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${v}`);
    return lines.join('\n');
  }
}

function labelKey(labels: Record<string, string>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  keys.sort();
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}

export class Registry {
  private readonly metrics = new Map<string, Counter | Gauge>();

  counter(name: string, help: string): Counter {
    const m = this.metrics.get(name);
    if (m instanceof Counter) return m;
    const c = new Counter(name, help);
    this.metrics.set(name, c);
    return c;
  }

  gauge(name: string, help: string): Gauge {
    const m = this.metrics.get(name);
    if (m instanceof Gauge) return m;
    const g = new Gauge(name, help);
    this.metrics.set(name, g);
    return g;
  }

  expose(): string {
    return [...this.metrics.values()].map((m) => m.expose()).join('\n') + '\n';
  }
}
