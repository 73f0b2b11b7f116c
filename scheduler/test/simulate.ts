/**
 * A discrete-event simulation of a local pool around the pure state machine: each worker
 * runs the tasks it is sent in order, each taking its given duration; messages and
 * transfers take no time. Gives the makespan and which worker ran which task, with no
 * thread and no clock.
 */
import { dependencies, type Graph, order } from '@dusk/core';
import { handle } from '../src/local/machine.js';
import { createState, type Instruction } from '../src/local/state.js';

export interface Simulation {
  makespan: number;
  ranOn: Map<string, number>;
}

export function simulate(
  graph: Graph,
  outputs: string[],
  workers: number,
  durationMs: (key: string) => number,
): Simulation {
  const deps = dependencies(graph);
  const ids = Array.from({ length: workers }, (_, w) => `w${w}`);
  const s = createState(order(graph, outputs, deps), deps, outputs, ids, {
    retryLimit: 1,
    progress: false,
  });
  const queues: number[][] = ids.map(() => []);
  const freeAt = ids.map(() => 0);
  const ranOn = new Map<string, number>();
  let now = 0;
  let gathered = false;
  const apply = (out: Instruction[]) => {
    for (const ins of out) {
      if (ins.type === 'run') queues[ins.worker]!.push(...ins.tasks);
      else if (ins.type === 'fetch')
        apply(handle(s, { type: 'transfer-done', worker: ins.to, keys: ins.keys }));
      else if (ins.type === 'gather') gathered = true;
    }
  };
  apply(handle(s, { type: 'start' }));
  const running: ({ task: number; end: number } | undefined)[] = ids.map(() => undefined);
  while (!gathered) {
    for (let w = 0; w < workers; w++) {
      if (running[w] || queues[w]!.length === 0) continue;
      const task = queues[w]!.shift()!;
      const start = Math.max(now, freeAt[w]!);
      running[w] = { task, end: start + durationMs(s.keys[task]!) };
      ranOn.set(s.keys[task]!, w);
    }
    let next = -1;
    for (let w = 0; w < workers; w++) {
      const r = running[w];
      if (r && (next < 0 || r.end < running[next]!.end)) next = w;
    }
    if (next < 0) throw new Error('simulation stalled: no task running and none gathered');
    const { task, end } = running[next]!;
    running[next] = undefined;
    now = end;
    freeAt[next] = end;
    apply(
      handle(s, { type: 'task-done', worker: next, items: [task, 8, durationMs(s.keys[task]!)] }),
    );
  }
  return { makespan: now, ranOn };
}
