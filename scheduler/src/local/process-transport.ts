/**
 * Pool workers as child processes, over an IPC channel with Node's 'advanced'
 * serialization (V8's format: typed arrays as raw bytes, never JSON).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker } from './protocol.js';
import type { Spawn } from './transport.js';
import { WORKER_V8_FLAGS } from './worker-v8-flags.js';

const ENTRY = fileURLToPath(new URL('./process-entry.js', import.meta.url));

/** A message a dying child sends about the error that kills it. */
export interface FatalMessage {
  t: 'fatal';
  reason: string;
}

/** Starts one child process running the worker runtime. */
export const spawnProcess: Spawn = (id, events) => {
  const child = fork(ENTRY, [id], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The parent's flags (a TypeScript loader, memory limits) apply to workers too, but not
    // an inspector: two processes cannot listen on one debugging port.
    execArgv: [
      ...process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a)),
      ...WORKER_V8_FLAGS,
    ],
  });
  let fatal: string | undefined;
  child.on('message', (m: FromWorker | FatalMessage) => {
    if (m.t === 'fatal') fatal = m.reason;
    else events.message(m);
  });
  child.on('error', (e) => {
    fatal ??= `could not be reached: ${e.message}`;
  });
  child.on('exit', (code, signal) =>
    events.exit(fatal ?? (signal ? `was killed by ${signal}` : `exited with code ${code}`)),
  );
  return {
    id,
    post: (msg) => {
      if (child.connected) child.send(msg);
    },
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    terminate: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      // An idle child is unref'd; while we wait for it to go it must hold the event loop,
      // or `await closePools()` at a script's top level never settles (exit code 13).
      child.ref();
      child.kill();
      await gone;
    },
  };
};
