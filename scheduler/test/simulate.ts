/**
 * A discrete-event simulation of a local pool around the pure state machine: each worker
 * runs the tasks it is sent, in order, once their inputs are in its store, each taking its
 * given duration; messages and transfers take no time. Values are tracked per worker
 * (a task's value mixes its inputs' values), so a missing fetch, an early release or a
 * lost result shows up as a stall or a wrong output. Workers can be killed mid-run, or
 * stall (descheduled) for a while; with `stealFlight`, a task sent to a worker can be taken
 * back until that worker starts it, as the thread pools' claim board allows.
 */
import { dependencies, type Graph, order } from '@dusk/core';
import { handle } from '../src/local/machine.js';
import { createState, type Event, type Instruction, type LocalState } from '../src/local/state.js';
import { splitWaiting } from '../src/local/steal-flight.js';

export interface Simulation {
  makespan: number;
  ranOn: Map<string, number>;
  /** How many times each task started. */
  runs: Map<string, number>;
  outputs: number[];
  state: LocalState;
}

export interface SimOptions {
  /** Kill worker `worker` once `afterDone` tasks have finished in total. */
  crashes?: { afterDone: number; worker: number }[];
  retryLimit?: number;
  /** The first task worker `worker` starts at or after time `at` takes `ms` longer. */
  stalls?: { worker: number; at: number; ms: number }[];
  stealFlight?: boolean;
}

/** The value the simulation gives a task: its index mixed with its inputs' values. */
function taskValue(i: number, inputs: number[]): number {
  let h = i + 1;
  for (const x of inputs) h = (Math.imul(h ^ x, 2654435761) >>> 0) % 1000003;
  return h;
}

/** Output values computed directly, for comparison. */
export function referenceOutputs(graph: Graph, outputs: string[]): number[] {
  const deps = dependencies(graph);
  const ordered = order(graph, outputs, deps);
  const idx = new Map(ordered.map((k, i) => [k, i]));
  const values = new Map<string, number>();
  for (const k of ordered)
    values.set(
      k,
      taskValue(
        idx.get(k)!,
        deps.get(k)!.map((d) => values.get(d)!),
      ),
    );
  return outputs.map((k) => values.get(k)!);
}

export function simulate(
  graph: Graph,
  outputs: string[],
  workers: number,
  durationMs: (key: string) => number,
  opts: SimOptions = {},
): Simulation {
  const deps = dependencies(graph);
  const ids = Array.from({ length: workers }, (_, w) => `w${w}`);
  const s = createState(order(graph, outputs, deps), deps, outputs, ids, {
    retryLimit: opts.retryLimit ?? 3,
    progress: false,
    stealFlight: opts.stealFlight,
  });
  const queues: number[][] = ids.map(() => []);
  const stores: Map<number, number>[] = ids.map(() => new Map());
  const running: ({ task: number; end: number } | undefined)[] = ids.map(() => undefined);
  const ranOn = new Map<string, number>();
  const runs = new Map<string, number>();
  const crashes = [...(opts.crashes ?? [])];
  const stalls = [...(opts.stalls ?? [])];
  let now = 0;
  let finished = 0;
  let result: number[] | undefined;
  let failed: string | undefined;

  const dispatch = (e: Event) => apply(handle(s, e));
  // A task waits while its worker has not started it (it is still in its queue); the shell
  // takes those that even the two out (compute-run.ts), the worker busy while it runs one.
  const revoke = (ins: Extract<Instruction, { type: 'revoke' }>): Event => {
    const q = queues[ins.worker]!;
    const waits = ins.tasks.map((t) => q.includes(t));
    const busy = ins.busy || running[ins.worker] !== undefined;
    const take = splitWaiting(ins.ms, waits, busy);
    const tasks = ins.tasks.filter((_, j) => take[j]);
    queues[ins.worker] = q.filter((t) => !tasks.includes(t));
    const kept = ins.tasks.filter((_, j) => !waits[j]);
    const left = ins.tasks.filter((_, j) => waits[j] && !take[j]);
    return { type: 'revoked', worker: ins.worker, thief: ins.thief, tasks, kept, left };
  };
  const apply = (out: Instruction[]) => {
    const answers: Event[] = [];
    for (const ins of out) {
      switch (ins.type) {
        case 'revoke':
          answers.push(revoke(ins));
          break;
        case 'run':
          queues[ins.worker]!.push(...ins.tasks);
          break;
        case 'fetch':
          for (const k of ins.keys) {
            if (!stores[ins.from]!.has(k))
              throw new Error(`fetch of ${s.keys[k]} from w${ins.from}, which lacks it`);
            stores[ins.to]!.set(k, stores[ins.from]!.get(k)!);
          }
          dispatch({ type: 'transfer-done', worker: ins.to, keys: ins.keys });
          break;
        case 'release':
          for (const k of ins.keys) stores[ins.worker]!.delete(k);
          break;
        case 'forget':
          queues[ins.worker] = queues[ins.worker]!.filter((t) => !ins.tasks.includes(t));
          break;
        case 'cancel':
          for (const w of ins.workers) {
            stores[w]!.clear();
            queues[w] = [];
            running[w] = undefined;
          }
          break;
        case 'gather':
          result = s.outputs.map((o) => {
            const w = ins.from.find(([, ts]) => ts.includes(o))![0];
            return stores[w]!.get(o)!;
          });
          break;
        case 'fail':
          failed = JSON.stringify(ins.failure);
          break;
      }
    }
    for (const answer of answers) dispatch(answer);
  };

  const stallOf = (w: number) => {
    const at = stalls.findIndex((x) => x.worker === w && x.at <= now);
    return at < 0 ? 0 : stalls.splice(at, 1)[0]!.ms;
  };

  const startTasks = () => {
    for (let w = 0; w < workers; w++) {
      if (running[w]) continue;
      const q = queues[w]!;
      const at = q.findIndex((t) => s.deps[t]!.every((d) => stores[w]!.has(d)));
      if (at < 0) continue;
      const [task] = q.splice(at, 1);
      const key = s.keys[task!]!;
      running[w] = { task: task!, end: now + durationMs(key) + stallOf(w) };
      ranOn.set(key, w);
      runs.set(key, (runs.get(key) ?? 0) + 1);
    }
  };

  const kill = (w: number, generation: number) => {
    stores[w]!.clear();
    queues[w] = [];
    running[w] = undefined;
    dispatch({
      type: 'worker-died',
      worker: w,
      reason: 'killed',
      replacement: `w${w}#${generation}`,
    });
  };

  dispatch({ type: 'start' });
  let generation = 1;
  while (result === undefined && failed === undefined) {
    startTasks();
    let next = -1;
    for (let w = 0; w < workers; w++) {
      const r = running[w];
      if (r && (next < 0 || r.end < running[next]!.end)) next = w;
    }
    if (next < 0) throw new Error(`simulation stalled with ${s.done} of ${s.keys.length} done`);
    const { task, end } = running[next]!;
    running[next] = undefined;
    now = end;
    stores[next]!.set(
      task,
      taskValue(
        task,
        s.deps[task]!.map((d) => stores[next]!.get(d)!),
      ),
    );
    finished++;
    dispatch({ type: 'task-done', worker: next, items: [task, 8, durationMs(s.keys[task]!)] });
    const crash = crashes.findIndex((c) => c.afterDone <= finished);
    if (crash >= 0 && result === undefined) {
      kill(crashes[crash]!.worker, ++generation);
      crashes.splice(crash, 1);
    }
  }
  if (failed !== undefined) throw new Error(`compute failed: ${failed}`);
  return { makespan: now, ranOn, runs, outputs: result!, state: s };
}
