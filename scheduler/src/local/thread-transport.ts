/** Pool workers as worker_threads: results cross as structured clones, SharedArrayBuffers shared. */
import { Worker } from 'node:worker_threads';
import { newBell, posted, ring, setActive, waitForPost } from './doorbell.js';
import type { FromWorker } from './protocol.js';
import { describeFatal, type Spawn } from './transport.js';
import { applyWorkerV8Flags } from './worker-v8-flags.js';

const ENTRY = new URL('./thread-entry.js', import.meta.url);

/** What a worker thread is started with (thread-entry.ts). */
export interface ThreadData {
  /** Rung by this thread after each message to the worker (doorbell.ts). */
  bell: Int32Array;
  /** Rung by every worker thread after each message to this thread. */
  callerBell: Int32Array;
}

// Messages worker threads posted to this thread, and those it took (doorbell.ts).
const callerBell = newBell();
let callerTook = 0;

/**
 * Waits up to `ms` for a worker thread's next message by spinning, instead of sleeping
 * (doorbell.ts): call it when this thread is about to go idle while workers will report.
 */
export function awaitWorkerMessage(ms: number): void {
  waitForPost(callerBell, callerTook, ms, false);
}

/** Whether a worker thread has posted this thread a message it has not taken yet. */
export function workerMessagePending(): boolean {
  return posted(callerBell) !== callerTook;
}

/** Starts one worker thread running the worker runtime. */
export const spawnThread: Spawn = (id, events) => {
  applyWorkerV8Flags();
  const bell = newBell();
  const data: ThreadData = { bell, callerBell };
  const worker = new Worker(ENTRY, { name: id, workerData: data });
  let fatal: string | undefined;
  worker.on('message', (m: FromWorker) => {
    callerTook++;
    events.message(m);
  });
  worker.on('error', (e) => {
    fatal = describeFatal(e as Error & { code?: unknown });
  });
  worker.on('exit', (code) => {
    // Its messages rung but never delivered would keep the count ahead (doorbell.ts).
    callerTook = posted(callerBell);
    events.exit(fatal ?? `exited with code ${code}`);
  });
  const post = (msg: unknown, transfer?: readonly ArrayBuffer[]) => {
    worker.postMessage(msg, transfer);
    ring(bell);
  };
  return {
    id,
    post,
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    active: (on) => setActive(bell, on),
    wake: () => {
      setActive(bell, true);
      post({ t: 'spin' });
    },
    terminate: async () => {
      await worker.terminate();
    },
  };
};
