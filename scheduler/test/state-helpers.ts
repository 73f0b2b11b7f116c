// Building and driving the local pools' state machine in tests, with no thread: a fresh
// state for a graph, reports of finished tasks, instructions of one kind.
import { dependencies, type Graph, order } from '@dusk/core';
import { handle } from '../src/local/machine.js';
import {
  createState,
  type HeldInput,
  type Instruction,
  type LocalState,
} from '../src/local/state.js';

export interface StateOptions {
  workers?: number;
  retryLimit?: number;
  /** Keys persisted earlier: key -> the worker holding it (1000 bytes each). */
  held?: Record<string, number>;
  transferMsPerMB?: number;
  progress?: boolean;
  /** Tasks in flight can be taken back (thread pools). */
  stealFlight?: boolean;
  /** Group durations learned by earlier computes. */
  priorMs?: Record<string, number>;
  /** Milliseconds of estimated work in flight per worker. */
  inflightMs?: number;
  /** The slot running in the caller's thread (thread pools). */
  callerSlot?: number;
}

/** A fresh state for `graph` with the requested `outputs` (2 workers, retry limit 1). */
export function stateOf(graph: Graph, outputs: string[], opts: StateOptions = {}): LocalState {
  const {
    workers = 2,
    retryLimit = 1,
    held,
    transferMsPerMB,
    progress = false,
    stealFlight,
    priorMs,
    inflightMs,
    callerSlot,
  } = opts;
  const deps = dependencies(graph);
  const inputs =
    held &&
    new Map<string, HeldInput>(
      Object.entries(held).map(([k, worker]) => [k, { worker, nbytes: 1000 }]),
    );
  return createState(
    order(graph, outputs, deps),
    deps,
    outputs,
    ['w0', 'w1', 'w2'].slice(0, workers),
    {
      retryLimit,
      progress,
      transferMsPerMB,
      stealFlight,
      inflightMs,
      callerSlot,
      priorMs: priorMs && new Map(Object.entries(priorMs)),
    },
    inputs,
  );
}

export const idx = (s: LocalState, key: string) => s.index.get(key)!;
export const names = (s: LocalState, tasks: number[]) => tasks.map((i) => s.keys[i]);
export const ofType = <T extends Instruction['type']>(out: Instruction[], type: T) =>
  out.filter((i): i is Extract<Instruction, { type: T }> => i.type === type);

/** Reports tasks as finished on worker `w`, each with `bytes` of result and `ms` of work. */
export function done(s: LocalState, w: number, keys: string[], bytes = 8, ms = 1): Instruction[] {
  return handle(s, {
    type: 'task-done',
    worker: w,
    items: keys.flatMap((k) => [idx(s, k), bytes, ms]),
  });
}
