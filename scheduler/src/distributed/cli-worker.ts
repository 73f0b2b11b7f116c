#!/usr/bin/env node
/**
 * `dusk-worker ws://host:8786`: runs a cluster worker until the scheduler goes away for
 * good, or until interrupted. Started by LocalCluster, it also ends with its parent.
 */
import { parseWorkerArgs } from './cli-args.js';
import { DuskWorker } from './worker.js';

try {
  const worker = DuskWorker.start(parseWorkerArgs(process.argv.slice(2)));
  if (process.connected) process.on('disconnect', () => void worker.close());
  process.on('SIGINT', () => void worker.close());
  process.on('SIGTERM', () => void worker.close());
  const exit = await worker.exited;
  if (exit.code !== 0) process.stderr.write(`dusk-worker: ${exit.message}\n`);
  process.exit(exit.code);
} catch (e) {
  process.stderr.write(`dusk-worker: ${(e as Error).message}\n`);
  process.exit(1);
}
