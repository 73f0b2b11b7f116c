/**
 * Entry point of a pool child process: the worker runtime on the IPC channel. It exits
 * when the parent goes away, and tells the parent what killed it before dying of an
 * uncaught error.
 */
import type { ToWorker } from './protocol.js';
import { describeFatal } from './transport.js';
import { createWorkerRuntime } from './worker-runtime.js';

const onMessage = createWorkerRuntime((m) => process.send!(m), false);
process.on('message', (m: ToWorker) => onMessage(m));
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (e) => {
  const reason = describeFatal(e as Error & { code?: unknown });
  if (!process.connected) process.exit(70);
  process.send!({ t: 'fatal', reason }, () => process.exit(70));
});
