/**
 * V8 settings for pool workers. Concurrent optimizing compilation runs on background
 * threads, and on a machine whose cores are all busy with workers those threads wait for
 * a core while the worker runs the hot loop unoptimized, boxing a number per row: on 2
 * cores a 50M-row mean on two worker threads ran ~32 young-generation GCs per worker per
 * compute and took 68 ms; compiling on the worker's own thread took that to 9 GCs in 30
 * computes and 50 ms (sync: 65 ms). V8 reads the flag when an isolate starts, so it is set
 * before the first worker thread is made and applies to isolates made after it (the
 * caller's own thread keeps compiling in the background).
 */
import { setFlagsFromString } from 'node:v8';

/** The flag, also passed to child-process workers on their command line. */
export const WORKER_V8_FLAGS = ['--no-concurrent-recompilation'];

let applied = false;

/** Makes worker threads started from now on compile optimized code on their own thread. */
export function applyWorkerV8Flags(): void {
  if (applied) return;
  applied = true;
  for (const f of WORKER_V8_FLAGS) setFlagsFromString(f);
}
