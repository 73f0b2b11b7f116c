/** Pool workers as worker_threads: results cross as structured clones, SharedArrayBuffers shared. */
import { Worker } from 'node:worker_threads';
import type { FromWorker } from './protocol.js';
import { describeFatal, type Spawn } from './transport.js';
import { applyWorkerV8Flags } from './worker-v8-flags.js';

const ENTRY = new URL('./thread-entry.js', import.meta.url);

/** Starts one worker thread running the worker runtime. */
export const spawnThread: Spawn = (id, events) => {
  applyWorkerV8Flags();
  const worker = new Worker(ENTRY, { name: id });
  let fatal: string | undefined;
  worker.on('message', (m: FromWorker) => events.message(m));
  worker.on('error', (e) => {
    fatal = describeFatal(e as Error & { code?: unknown });
  });
  worker.on('exit', (code) => events.exit(fatal ?? `exited with code ${code}`));
  return {
    id,
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: async () => {
      await worker.terminate();
    },
  };
};
