#!/usr/bin/env node
/** `vigil` command line: run the controller, decode OpenFlow, run the lab demo. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { OPTIONS } from '../config/options.js';
import { createLogger } from '../observability/log.js';
import { Registry } from '../observability/metrics.js';
import { startController } from '../pipeline/controller.js';
import { SflowCollectorError } from '../southbound/sflow/collector.js';
import { printOpenFlow } from './ofp-print.js';
import { ATTACH_HELP, attachCommand, DETACH_HELP, detachCommand } from './attach.js';
import { SFLOW_HELP, sflowCommand } from './sflow.js';
import { TOPOLOGY_HELP, topologyCommand } from './topology.js';

const HELP: Record<string, string> = {
  main: `vigil — SDN security controller for Open vSwitch

Usage: vigil <command> [options]

Commands:
  run                 start the controller (OpenFlow listener, pipeline on every switch, sFlow collector)
  ofp print <file|->  decode binary OpenFlow messages to text (or JSON)
  attach <bridge>     point an OVS bridge at Vigil over OVSDB (controller, fail_mode=secure, OpenFlow13, sFlow)
  detach <bridge>     undo exactly what attach did
  sflow decode <pcap> decode the sFlow v5 datagrams of a capture (one JSON object per sample)
  sflow listen        receive sFlow on a UDP port and print each sample as it arrives
  topology            summarize the topology (switches, links, hosts) from a running Vigil's GraphQL API
  demo                bring up the Mininet lab, run Vigil on it, show the pipeline, pingAll, tear down
  help [command]      show help for a command

Run 'vigil <command> --help' for a command's options.`,
  run: `Usage: vigil run [--config FILE] [--verbose]

Starts the controller. Settings: defaults < YAML file < environment.
  -c, --config FILE   YAML configuration file
  -v, --verbose       debug logging (explains every step)
  -h, --help          this help

Environment overrides:
${OPTIONS.filter((o) => 'env' in o)
  .map((o) => `  ${(o as { env: string }).env.padEnd(20)} ${o.path.join('.')} (default ${JSON.stringify(o.default)})`)
  .join('\n')}`,
  ofp: `Usage: vigil ofp print <file|-> [--json] [--hex]

Decodes one or more OpenFlow 1.3 messages (a raw byte stream, as on TCP port 6653).
  --json      one JSON object per message
  --hex       the input is hex text (whitespace ignored) instead of binary
  -h, --help  this help
Exit status: 0 if every message decoded, 1 if any was malformed.`,
  sflow: SFLOW_HELP,
  topology: TOPOLOGY_HELP,
  attach: ATTACH_HELP,
  detach: DETACH_HELP,
  demo: `Usage: vigil demo [--keep]

Runs lab/demo: installs what is missing, starts Open vSwitch (userspace datapath), starts Vigil,
brings up the 'fabric' Mininet topology (3 switches in a loop, 9 hosts), shows each switch's
pipeline, runs pingAll through it, then tears everything down.
  --keep      leave the lab and Vigil running
  -h, --help  this help`,
};

function repoRoot(): string {
  // dist/cli/main.js -> repo root (also works from src/cli under ts runners)
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

async function cmdRun(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' }, verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return help('run');
  const config = loadConfig({ file: values.config });
  const metrics = new Registry();
  const logger = createLogger(values.verbose ? 'debug' : config.log.level);
  let controller;
  try {
    controller = await startController(config, { logger, metrics });
  } catch (e) {
    if (e instanceof SflowCollectorError) {
      // Already logged by the controller; said plainly here too, as for OpenFlow.
      process.stderr.write(`vigil: ${e.message} (set sflow.port or VIGIL_SFLOW_PORT, or sflow.enabled: false)\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
      process.stderr.write(`vigil: cannot listen for OpenFlow on [${config.openflow.host}]:${config.openflow.port}: ${err.code} (set openflow.port or VIGIL_OPENFLOW_PORT)\n`);
      return 1;
    }
    throw e;
  }
  const addr = controller.openflow.address;
  const sflow = controller.sflow?.address;
  logger.info('vigil running', { openflow: addr ? `${addr.address}:${addr.port}` : undefined, sflow: sflow ? `${sflow.address}:${sflow.port}` : undefined, pid: process.pid });
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      logger.info('shutting down', { signal: sig });
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await controller.close();
  return 0;
}

function cmdOfp(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') return help('ofp');
  if (sub !== 'print') {
    if (sub !== undefined) process.stderr.write(`vigil ofp: unknown subcommand '${sub}'\n`);
    return help('ofp', 2);
  }
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, hex: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return help('ofp');
  const src = positionals[0];
  if (src === undefined) {
    process.stderr.write('vigil ofp print: name a file, or - for standard input\n');
    return 2;
  }
  const raw = readFileSync(src === '-' ? 0 : src);
  const bytes = values.hex ? Uint8Array.from(Buffer.from(raw.toString('utf8').replace(/[^0-9a-fA-F]/g, ''), 'hex')) : new Uint8Array(raw);
  const result = printOpenFlow(bytes, { json: values.json ?? false });
  process.stdout.write(result.text);
  return result.ok ? 0 : 1;
}

function cmdDemo(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) return help('demo');
  const script = join(repoRoot(), 'lab', 'demo');
  if (!existsSync(script)) {
    process.stderr.write(`vigil demo: ${script} not found (the demo runs from a checkout of the repository)\n`);
    return 2;
  }
  return spawnSync(script, args, { stdio: 'inherit' }).status ?? 1;
}

function help(cmd: string, status = 0): number {
  (status === 0 ? process.stdout : process.stderr).write((HELP[cmd] ?? HELP.main) + '\n');
  return status;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest);
      case 'ofp':
        return cmdOfp(rest);
      case 'attach':
        return await attachCommand(rest);
      case 'detach':
        return await detachCommand(rest);
      case 'sflow':
        return await sflowCommand(rest);
      case 'topology':
        return await topologyCommand(rest);
      case 'demo':
        return cmdDemo(rest);
      case 'help':
        return help(rest[0] ?? 'main');
      case undefined:
      case '-h':
      case '--help':
        return help('main');
      default:
        process.stderr.write(`vigil: unknown command '${cmd}'\n`);
        return help('main', 2);
    }
  } catch (e) {
    if (e instanceof ConfigError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`vigil: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`vigil: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
