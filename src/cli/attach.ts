/**
 * `vigil attach <bridge>` / `vigil detach <bridge>`: point an Open vSwitch bridge at Vigil through OVSDB
 * (controller, fail_mode=secure, OpenFlow 1.3, sFlow), and undo exactly that. Both are idempotent: a
 * second run finds nothing to change and sends nothing.
 */
import { parseArgs } from 'node:util';
import { OvsdbValidationError } from '../codec/ovsdb/errors.js';
import { DEFAULT_CONTROLLER, planAttach, planDetach, type AttachSpec } from '../southbound/ovsdb/bridge-attach.js';
import { DEFAULT_OVSDB_REMOTE, OvsdbClient, parseRemote } from '../southbound/ovsdb/client.js';
import { DEFAULT_SFLOW, DEFAULT_SFLOW_TARGET, type SflowSpec } from '../southbound/ovsdb/sflow-config.js';
import { SwitchChangeError, SwitchConflictError, SwitchNotFoundError, SwitchSpecError } from '../southbound/ovsdb/switch-errors.js';
import { SwitchManager, type ApplyResult } from '../southbound/ovsdb/switch-manager.js';
import type { SwitchPlan, VswitchState } from '../southbound/ovsdb/switch-plan.js';

export const ATTACH_HELP = `Usage: vigil attach <bridge> [options]

Points an Open vSwitch bridge at Vigil in one OVSDB transaction: a controller row (marked
external_ids:vigil-owner=vigil), fail_mode=secure, protocols OpenFlow13 (OpenFlow15 kept when the
bridge has it), and an sFlow export to Vigil's collector. Values Vigil overwrites are recorded in the
bridge's external_ids (vigil-prev-*) so that 'vigil detach' restores them. Running it again changes
nothing.
  --controller TARGET   OpenFlow controller target (default ${DEFAULT_CONTROLLER})
  --sflow-target T      sFlow collector IP:PORT or [IPv6]:PORT, repeatable (default ${DEFAULT_SFLOW_TARGET})
  --sampling N          sample 1 packet in N (default ${DEFAULT_SFLOW.sampling})
  --polling S           interface counters every S seconds (default ${DEFAULT_SFLOW.polling})
  --header B            bytes of each sampled packet header (default ${DEFAULT_SFLOW.header})
  --sflow-agent IF      interface whose address is the sFlow agent address (default: OVS chooses)
  --no-sflow            leave the bridge's sFlow alone
  --ovsdb REMOTE        OVSDB server: unix:PATH or tcp:HOST:PORT (default ${DEFAULT_OVSDB_REMOTE})
  --dry-run             print the changes without making them
  --json                print the result as one JSON object
  -h, --help            this help
Exit status: 0 when attached (or already attached), 1 when the bridge is missing, the change conflicts
with configuration Vigil does not own, OVSDB refuses it or cannot be reached, 2 on a usage error.`;

export const DETACH_HELP = `Usage: vigil detach <bridge> [options]

Removes from a bridge exactly what Vigil set, in one OVSDB transaction: Vigil's controller and sFlow
rows and mirrors, and fail_mode, protocols and ingress policing restored to the values recorded before
Vigil changed them. Configuration Vigil did not create is left alone. Running it again changes nothing.
  --ovsdb REMOTE        OVSDB server: unix:PATH or tcp:HOST:PORT (default ${DEFAULT_OVSDB_REMOTE})
  --dry-run             print the changes without making them
  --json                print the result as one JSON object
  -h, --help            this help
Exit status: 0 when detached (or nothing of Vigil's was there), 1 when the bridge is missing, OVSDB
refuses the change or cannot be reached, 2 on a usage error.`;

export interface CliIo {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
}

const stdio: CliIo = { out: process.stdout, err: process.stderr };

class UsageError extends Error {}

function intOption(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} needs a whole number, not ${JSON.stringify(v)}`);
  return Number(v);
}

interface Parsed {
  bridge: string;
  remote: string;
  dryRun: boolean;
  json: boolean;
}

function common(cmd: string, positionals: string[], values: { ovsdb?: string; 'dry-run'?: boolean; json?: boolean }): Parsed {
  if (positionals.length !== 1) throw new UsageError(`name one bridge (vigil ${cmd} <bridge>)`);
  const remote = values.ovsdb ?? DEFAULT_OVSDB_REMOTE;
  try {
    parseRemote(remote);
  } catch (e) {
    throw new UsageError(`--ovsdb: ${(e as Error).message}`);
  }
  return { bridge: positionals[0]!, remote, dryRun: values['dry-run'] ?? false, json: values.json ?? false };
}

/** Parses `vigil attach` arguments into the bridge and the AttachSpec (throws UsageError/SwitchSpecError). */
export function parseAttachArgs(args: string[]): (Parsed & { spec: AttachSpec }) | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      controller: { type: 'string' },
      'sflow-target': { type: 'string', multiple: true },
      sampling: { type: 'string' },
      polling: { type: 'string' },
      header: { type: 'string' },
      'sflow-agent': { type: 'string' },
      'no-sflow': { type: 'boolean' },
      ovsdb: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const base = common('attach', positionals, values);
  const sflowGiven = ['sflow-target', 'sampling', 'polling', 'header', 'sflow-agent'].filter((k) => values[k as keyof typeof values] !== undefined);
  if (values['no-sflow'] && sflowGiven.length > 0) throw new UsageError(`--no-sflow conflicts with --${sflowGiven.join(', --')}`);
  const sflow: SflowSpec | null = values['no-sflow']
    ? null
    : {
        targets: values['sflow-target'] ?? [DEFAULT_SFLOW_TARGET],
        sampling: intOption('sampling', values.sampling, DEFAULT_SFLOW.sampling),
        polling: intOption('polling', values.polling, DEFAULT_SFLOW.polling),
        header: intOption('header', values.header, DEFAULT_SFLOW.header),
        agent: values['sflow-agent'] ?? null,
      };
  return { ...base, spec: { controller: values.controller ?? DEFAULT_CONTROLLER, sflow } };
}

export function parseDetachArgs(args: string[]): Parsed | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ovsdb: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  return common('detach', positionals, values);
}

interface Outcome {
  plan: SwitchPlan;
  changed: boolean;
  attempts: number;
  applied?: boolean | undefined;
}

function report(cmd: 'attach' | 'detach', p: Parsed, o: Outcome, io: CliIo): void {
  if (p.json) {
    io.out.write(
      JSON.stringify({
        command: cmd,
        bridge: p.bridge,
        dryRun: p.dryRun,
        changed: o.changed,
        changes: o.plan.changes,
        warnings: o.plan.warnings,
        attempts: o.attempts,
        ...(o.applied !== undefined ? { applied: o.applied } : {}),
      }) + '\n',
    );
    return;
  }
  for (const w of o.plan.warnings) io.err.write(`vigil ${cmd}: warning: ${w}\n`);
  if (o.applied === false) io.err.write(`vigil ${cmd}: warning: ovs-vswitchd has not applied the change yet (cur_cfg behind next_cfg): is it running?\n`);
  if (o.plan.changes.length === 0) {
    io.out.write(cmd === 'attach' ? `${p.bridge}: already attached to Vigil as requested; nothing changed\n` : `${p.bridge}: nothing of Vigil's to remove; nothing changed\n`);
    return;
  }
  const head = p.dryRun ? `${p.bridge}: would ${cmd} (dry run, nothing sent):` : `${p.bridge}: ${cmd === 'attach' ? 'attached' : 'detached'} in one transaction:`;
  io.out.write(`${head}\n${o.plan.changes.map((c) => `  ${c}\n`).join('')}`);
}

async function run(cmd: 'attach' | 'detach', p: Parsed, planner: (s: VswitchState) => SwitchPlan, io: CliIo): Promise<number> {
  const client = new OvsdbClient({ remote: p.remote, reconnect: false, echoIntervalMs: 0, deadAfterMs: 0, connectTimeoutMs: 5000, requestTimeoutMs: 15_000 });
  try {
    try {
      await client.connect();
    } catch (e) {
      io.err.write(`vigil ${cmd}: cannot reach OVSDB at ${p.remote}: ${(e as Error).message}\n`);
      return 1;
    }
    const manager = await SwitchManager.open(client);
    let outcome: Outcome;
    if (p.dryRun) {
      outcome = { plan: planner(manager.state), changed: false, attempts: 1 };
    } else {
      const r: ApplyResult = await manager.apply(planner);
      outcome = r;
    }
    report(cmd, p, outcome, io);
    await manager.close();
    return 0;
  } catch (e) {
    if (e instanceof SwitchNotFoundError) {
      io.err.write(`vigil ${cmd}: ${e.message} (ovs-vsctl list-br lists the bridges)\n`);
      return 1;
    }
    if (e instanceof SwitchSpecError) {
      io.err.write(`vigil ${cmd}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SwitchConflictError || e instanceof SwitchChangeError || e instanceof OvsdbValidationError) {
      io.err.write(`vigil ${cmd}: ${e.message}\n`);
      return 1;
    }
    io.err.write(`vigil ${cmd}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

function usage(cmd: string, help: string, e: unknown, io: CliIo): number {
  io.err.write(`vigil ${cmd}: ${(e as Error).message}\n${help}\n`);
  return 2;
}

export async function attachCommand(args: string[], io: CliIo = stdio): Promise<number> {
  let parsed: ReturnType<typeof parseAttachArgs>;
  try {
    parsed = parseAttachArgs(args);
  } catch (e) {
    return usage('attach', ATTACH_HELP, e, io);
  }
  if (parsed === 'help') {
    io.out.write(ATTACH_HELP + '\n');
    return 0;
  }
  const { spec, bridge } = parsed;
  return run('attach', parsed, (s) => planAttach(s, bridge, spec), io);
}

export async function detachCommand(args: string[], io: CliIo = stdio): Promise<number> {
  let parsed: ReturnType<typeof parseDetachArgs>;
  try {
    parsed = parseDetachArgs(args);
  } catch (e) {
    return usage('detach', DETACH_HELP, e, io);
  }
  if (parsed === 'help') {
    io.out.write(DETACH_HELP + '\n');
    return 0;
  }
  const { bridge } = parsed;
  return run('detach', parsed, (s) => planDetach(s, bridge), io);
}
