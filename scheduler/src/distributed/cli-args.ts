/**
 * Parsing the command lines of `dusk-scheduler` and `dusk-worker` (node:util parseArgs).
 * A bad value fails with an InvalidArgumentError naming the flag and what it takes.
 */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@dusk/core';
import type { SchedulerServerOptions } from './server.js';
import type { WorkerOptions } from './worker.js';

function whole(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(`--${flag} must be a whole number >= ${min}, got '${text}'.`);
  }
  return n;
}

/** `dusk-scheduler [--port 8786] [--host H] [--token T]`. */
export function parseSchedulerArgs(argv: string[], env = process.env): SchedulerServerOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
    },
  });
  return {
    port: whole('port', values.port, 0),
    host: values.host,
    token: values.token ?? (env.DUSK_SCHEDULER_TOKEN || undefined),
  };
}

/** `dusk-worker ws://host:8786 [--nthreads N] [--name NAME] [--token T] [--quiet]`. */
export function parseWorkerArgs(argv: string[], env = process.env): WorkerOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      nthreads: { type: 'string' },
      name: { type: 'string' },
      token: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const address = positionals[0] ?? env.DUSK_SCHEDULER_ADDRESS;
  if (!address || !/^wss?:\/\//.test(address) || positionals.length > 1) {
    throw new InvalidArgumentError(
      'Usage: dusk-worker ws://<scheduler-host>:8786 [--nthreads N] [--name NAME] [--token T] [--quiet]',
    );
  }
  return {
    address,
    nthreads: whole('nthreads', values.nthreads, 1),
    name: values.name,
    // Quiet: only the reason it stops is printed (a local cluster's workers share a terminal).
    log: values.quiet ? () => {} : undefined,
    token: values.token ?? (env.DUSK_SCHEDULER_TOKEN || undefined),
  };
}
