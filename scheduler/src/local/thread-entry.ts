/** Entry point of a pool worker thread: the worker runtime on the parent port. */
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from './protocol.js';
import { createWorkerRuntime } from './worker-runtime.js';

const port = parentPort!;
const onMessage = createWorkerRuntime((m, transfer) => port.postMessage(m, transfer), true);
port.on('message', (m: ToWorker) => onMessage(m));
