/** Entry point of a pool worker thread: the worker runtime on the parent port. */
import { parentPort, workerData } from 'node:worker_threads';
import { ring, waitForPost } from './doorbell.js';
import type { ToWorker } from './protocol.js';
import type { ThreadData } from './thread-transport.js';
import { createWorkerRuntime } from './worker-runtime.js';

// How long this thread spins for its next message (doorbell.ts) while a compute may use it:
// woken at a compute's start, while the caller builds and places the graph (0.3-0.8 ms on
// a 50-partition reduction); after reporting a queue run dry, for a refill or the compute's
// next steps. The pool marks the thread inactive as its computes end, which ends a spin.
const WAKE_SPIN_MS = 3;
const IDLE_SPIN_MS = 2;

const port = parentPort!;
const { bell, callerBell } = workerData as ThreadData;
let took = 0;
const onMessage = createWorkerRuntime(
  (m, transfer) => {
    port.postMessage(m, transfer);
    ring(callerBell);
  },
  true,
  undefined,
  () => waitForPost(bell, took, IDLE_SPIN_MS, true),
);
port.on('message', (m: ToWorker | { t: 'spin' }) => {
  took++;
  if (m.t === 'spin') waitForPost(bell, took, WAKE_SPIN_MS, true);
  else onMessage(m);
});
