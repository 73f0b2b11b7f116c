/** Entry point of a pool worker thread: the worker runtime on the parent port. */
import { parentPort, workerData } from 'node:worker_threads';
import { ring, waitForPost } from './doorbell.js';
import type { ToWorker } from './protocol.js';
import type { ThreadData } from './thread-transport.js';
import { createWorkerRuntime } from './worker-runtime.js';

// How long this thread, woken as a compute starts, spins for its first message (doorbell.ts)
// while the caller builds and places the graph (0.3-0.8 ms on a 50-partition reduction).
// The pool marks the thread inactive as its computes end, which ends a spin. A worker whose
// queue ran dry does not spin: its refills mostly come before it runs dry (it asks at low
// water), and spinning 2 ms there caught a message in ~12% of waits, gained nothing
// measurable and cost ~1.2 CPU-ms per compute.
const WAKE_SPIN_MS = 3;

const port = parentPort!;
const { bell, callerBell } = workerData as ThreadData;
let took = 0;
const onMessage = createWorkerRuntime((m, transfer) => {
  port.postMessage(m, transfer);
  ring(callerBell);
}, true);
port.on('message', (m: ToWorker | { t: 'spin' }) => {
  took++;
  if (m.t === 'spin') waitForPost(bell, took, WAKE_SPIN_MS, true);
  else onMessage(m);
});
