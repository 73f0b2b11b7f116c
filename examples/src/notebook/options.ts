/**
 * The command-line options every notebook takes (node:util parseArgs): sizes, scheduler
 * (and a distributed scheduler's address, or a local cluster to start), output folder,
 * chart and progress switches. Numbers accept `50_000_000`, `50000000` and `5e7`. Bad values fail with an InvalidArgumentError naming the option and what it takes.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { config, InvalidArgumentError } from '@dusk/core';
import { schedulerNames } from '@dusk/scheduler';

export type OnOff = 'on' | 'off';

export interface NotebookOptions {
  rows: number;
  partitions: number;
  scheduler: string;
  /** Worker threads or processes; undefined lets the scheduler choose (all cores). */
  workers?: number;
  /** The scheduler server for 'distributed' (else config `address`). */
  address?: string;
  /** 'local': start a local cluster for this run and close it at the end. */
  cluster?: 'local';
  seed: number;
  /** Folder the chart and other files are written to. */
  out: string;
  chart: OnOff;
  /** Progress bars on stderr: 'auto' shows them only on a terminal. */
  progress: OnOff | 'auto';
  /** Write the step timings as JSON to this file (used by the benchmark). */
  timingsJson?: string;
  help: boolean;
  /** Options a notebook declares for itself (e.g. the random-array size), by name. */
  extra: Record<string, number>;
}

export interface NotebookDefaults {
  rows: number;
  partitions: number;
  seed?: number;
  /** Extra numeric options, name -> default (e.g. { 'random-size': 1e9 }). */
  extra?: Record<string, number>;
  /** What each extra option means, for --help. */
  extraHelp?: Record<string, string>;
}

/** examples/out, wherever the script is started from (this file is examples/dist/notebook/). */
export const DEFAULT_OUT = fileURLToPath(new URL('../../out', import.meta.url));

/** Parses `5e7`, `50_000_000` or `50000000` as a positive integer. */
export function parseCount(name: string, text: string, min = 1): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(
      `--${name} must be an integer >= ${min} (e.g. 1000, 1_000_000 or 1e6), got '${text}'.`,
    );
  }
  return n;
}

function parseOnOff(name: string, text: string, allowAuto: boolean): OnOff | 'auto' {
  if (text === 'on' || text === 'off' || (allowAuto && text === 'auto')) return text;
  const allowed = allowAuto ? 'on, off or auto' : 'on or off';
  throw new InvalidArgumentError(`--${name} must be ${allowed}, got '${text}'.`);
}

type Values = Record<string, string | boolean | undefined>;

/** --scheduler, --address and --cluster, checked together. */
function parseScheduler(v: Values): Pick<NotebookOptions, 'scheduler' | 'address' | 'cluster'> {
  if (v.cluster !== undefined && v.cluster !== 'local') {
    throw new InvalidArgumentError(`--cluster takes 'local', got '${String(v.cluster)}'.`);
  }
  const cluster = v.cluster === 'local' ? 'local' : undefined;
  const scheduler = String(v.scheduler ?? (cluster ? 'distributed' : 'threads'));
  if (!schedulerNames().includes(scheduler)) {
    throw new InvalidArgumentError(
      `--scheduler must be one of ${schedulerNames().join(', ')}, got '${scheduler}'.`,
    );
  }
  if (cluster && scheduler !== 'distributed') {
    throw new InvalidArgumentError(
      `--cluster local runs on the distributed scheduler; drop --scheduler ${scheduler}.`,
    );
  }
  const address = v.address === undefined ? undefined : String(v.address);
  if (address !== undefined && (scheduler !== 'distributed' || cluster)) {
    throw new InvalidArgumentError(
      '--address is for --scheduler distributed (without --cluster local, which has its own).',
    );
  }
  if (scheduler === 'distributed' && !cluster && !address && !config.get('address')) {
    throw new InvalidArgumentError(
      '--scheduler distributed needs --address ws://HOST:PORT (or DUSK_SCHEDULER_ADDRESS), ' +
        'or use --cluster local to start a cluster on this machine.',
    );
  }
  return { scheduler, cluster, address };
}

/** The usage text for `--help`. */
export function usage(script: string, defaults: NotebookDefaults): string {
  const extra = Object.entries(defaults.extra ?? {})
    .map(([k, v]) => `${`  --${k} N`.padEnd(28)}${defaults.extraHelp?.[k] ?? ''} (default ${v})`)
    .join('\n');
  return [
    `Usage: node ${script} [options]`,
    `  --rows N                  rows of generated data (default ${defaults.rows})`,
    `  --partitions N            partitions (default ${defaults.partitions})`,
    '  --scheduler NAME          sync | threads | processes | distributed (default threads)',
    '  --workers N               workers for threads/processes/local cluster (default: all cores)',
    '  --address ws://HOST:PORT  scheduler server for --scheduler distributed',
    '  --cluster local           start a local cluster (scheduler + workers) and run on it',
    `  --seed N                  random seed (default ${defaults.seed ?? 42})`,
    `  --out DIR                 output folder for charts (default ${DEFAULT_OUT})`,
    '  --chart on|off            write the chart (default on)',
    '  --progress on|off|auto    progress bars on stderr (default auto: on a terminal)',
    '  --timings-json FILE       write step timings as JSON',
    ...(extra ? [extra] : []),
  ].join('\n');
}

/**
 * Parses a notebook's arguments over its defaults.
 * @example parseNotebookArgs(['--rows', '1e6'], { rows: 5e7, partitions: 50 }).rows // 1000000
 */
export function parseNotebookArgs(
  argv: readonly string[],
  defaults: NotebookDefaults,
): NotebookOptions {
  const extraNames = Object.keys(defaults.extra ?? {});
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      rows: { type: 'string' },
      partitions: { type: 'string' },
      scheduler: { type: 'string' },
      workers: { type: 'string' },
      address: { type: 'string' },
      cluster: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      chart: { type: 'string', default: 'on' },
      progress: { type: 'string', default: 'auto' },
      'timings-json': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...Object.fromEntries(extraNames.map((n) => [n, { type: 'string' as const }])),
    },
  });
  const v = values as Values;
  const count = (name: string, fallback: number, min = 1) =>
    v[name] === undefined ? fallback : parseCount(name, String(v[name]), min);
  const rows = count('rows', defaults.rows);
  const partitions = count('partitions', defaults.partitions);
  if (partitions > rows) {
    throw new InvalidArgumentError(
      `--partitions (${partitions}) must not exceed --rows (${rows}): each partition needs a row.`,
    );
  }
  const { scheduler, cluster, address } = parseScheduler(v);
  return {
    rows,
    partitions,
    scheduler,
    workers: v.workers === undefined ? undefined : count('workers', 0),
    address,
    cluster,
    seed: count('seed', defaults.seed ?? 42, 0),
    out: v.out === undefined ? DEFAULT_OUT : resolve(String(v.out)),
    chart: parseOnOff('chart', String(v.chart), false) as OnOff,
    progress: parseOnOff('progress', String(v.progress), true),
    timingsJson: v['timings-json'] === undefined ? undefined : String(v['timings-json']),
    help: v.help === true,
    extra: Object.fromEntries(extraNames.map((n) => [n, count(n, defaults.extra![n]!)])),
  };
}
