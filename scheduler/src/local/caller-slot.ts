/**
 * The thread pool's slot in the calling thread. On a machine whose cores the worker threads
 * fill, the pool's own thread had to take a core from a worker each time a worker reported,
 * and every compute ran one thread more than there are cores. So a thread pool of N workers
 * is the caller's thread and N - 1 worker threads: the caller runs tasks in slices of the
 * worker runtime (worker-runtime.ts, a macrotask at a time, so the event loop turns between
 * them) and handles the other workers' messages in between. Messages to and from this slot
 * are not cloned: tasks go by reference, unencoded, and results stay where they were made.
 *
 * Only Dusk's own kernels run here. A task that calls user code (a module of the user's, a
 * lambda) may crash its thread (`process.exit`, an uncaught error in a callback, running out
 * of memory), which a worker thread survives by being replaced and the caller's thread does
 * not: a compute that names any such function runs on N worker threads instead.
 */
import type { Graph } from '@dusk/core';
import { everyFnRef, type FoundRef } from '../fn-refs.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { describeFatal, type WorkerEvents, type WorkerHandle } from './transport.js';
import { createWorkerRuntime } from './worker-runtime.js';

/** Modules whose exports may run in the caller's thread: Dusk's own packages. */
const OWN_MODULE = /^@dusk\//;
// A node with more objects and arrays than this in its arguments is not looked through:
// its compute runs on worker threads alone (a bag partition of plain objects given as a
// literal can hold millions).
const MAX_VISITS = 2_000;

/** How the caller's slot waits for the other workers' messages. */
export interface CallerWaits {
  /** Called on the event loop's turn after the slot ran dry, if it still has nothing to run. */
  idle(): void;
  /** Whether a worker has posted this thread a message not yet taken: the slot yields for it. */
  messagePending(): boolean;
}

/**
 * Starts the caller's slot: the worker runtime on this thread. Its reports reach `events`
 * as microtasks, never inside the pool's own call that caused them; a failure of the
 * runtime itself reaches `events.exit`, and the slot takes no more messages. `waits`: how
 * the slot waits for the other workers' messages (thread pools, doorbell.ts).
 */
export function startCallerSlot(
  id: string,
  events: WorkerEvents,
  waits?: CallerWaits,
): WorkerHandle {
  let dead = false;
  const onMessage = createWorkerRuntime(
    (m: FromWorker) => queueMicrotask(() => dead || events.message(m)),
    false,
    {
      onFatal: (e) => {
        if (dead) return;
        dead = true;
        events.exit(describeFatal(e as Error & { code?: unknown }));
      },
      messagePending: waits?.messagePending,
      // The slot's report went out as a microtask: the pool may answer it with more work.
      onIdle: waits && ((stillIdle) => setImmediate(() => dead || (stillIdle() && waits.idle()))),
    },
  );
  return {
    id,
    // Values the pool puts here from its copies of small results (a put with no transfer
    // list) are also kept there, and decoding replaces markers in place: this slot decodes
    // a copy of its own. Values that need no decoding are shared as they are, as the sync
    // scheduler shares a result between the tasks that take it (kernels never change their
    // inputs); cloning an nlargest partial of three small typed arrays took ~60 us, ~0.3 ms
    // of the caller's thread a compute. Relayed values (with a transfer list) are the
    // relay's copy already.
    post: (msg: ToWorker, transfer?: ArrayBuffer[]) => {
      if (dead) return;
      const own = msg.t === 'put' && msg.enc && transfer === undefined;
      onMessage(own ? { ...msg, values: structuredClone(msg.values) } : msg);
    },
    ref: () => {},
    unref: () => {},
    terminate: async () => {},
  };
}

/**
 * Whether every function `graph` names, in its tasks and quoted in their arguments, is one
 * of Dusk's own: then its tasks may run in the caller's thread.
 */
export function callerMayRun(graph: Graph): boolean {
  const own = (f: FoundRef) => 'module' in f && OWN_MODULE.test(f.module);
  for (const node of graph.values()) if (!everyFnRef(node, own, { left: MAX_VISITS })) return false;
  return true;
}
