/**
 * The scheduler interface that every scheduler implements (sync, threads, processes,
 * distributed), and the registry compute() looks schedulers up in. Collections never
 * know which scheduler runs them.
 */
import { type Graph, type HeldMarker, InvalidArgumentError, type Key } from '@dusk/core';

/** One progress report: tasks done of total, and the task that just finished. */
export interface Progress {
  done: number;
  total: number;
  key?: string;
  /** Milliseconds the finished task ran. */
  ms?: number;
  /** Results held at this moment (the memory the ordering is meant to keep small). */
  inMemory?: number;
  /** Worker that ran the task, where there are several. */
  worker?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface Scheduler {
  readonly name: string;
  /** Runs `graph` and returns the values of `keys`, in order. Rejects, never throws. */
  run(graph: Graph, keys: readonly Key[], opts?: RunOptions): Promise<unknown[]>;
  /**
   * Runs `graph` and keeps the values of `keys` on the workers that made them; resolves
   * with a marker per key (the persisted collection's graph holds them). Schedulers without
   * it persist by bringing the values to the caller.
   */
  persist?(graph: Graph, keys: readonly Key[], opts?: RunOptions): Promise<HeldMarker[]>;
  /**
   * A compute is about to be handed to this scheduler (its graph is being built): wake what
   * sleeps (thread pools wake their workers, doorbell.ts).
   */
  starting?(): void;
  /** Whether this scheduler reads markers of `owner` where they are held (no fetch first). */
  owns?(owner: string): boolean;
  /** Releases workers and sockets. A closed scheduler may be started again by the registry. */
  close?(): Promise<void>;
}

export interface SchedulerSettings {
  workers?: number;
  [option: string]: unknown;
}

export type SchedulerFactory = (settings: SchedulerSettings) => Scheduler;

const factories = new Map<string, SchedulerFactory>();

/**
 * Makes a scheduler available to compute({ scheduler: name }). Refuses to replace an
 * existing name unless `replace` is set, so two packages cannot silently fight over one.
 * @example registerScheduler('sync', () => new SyncScheduler())
 */
export function registerScheduler(
  name: string,
  factory: SchedulerFactory,
  opts: { replace?: boolean } = {},
): void {
  if (factories.has(name) && !opts.replace) {
    throw new InvalidArgumentError(
      `A scheduler named '${name}' is already registered. Pass { replace: true } to replace it.`,
    );
  }
  factories.set(name, factory);
}

/** The names compute() accepts. */
export function schedulerNames(): string[] {
  return [...factories.keys()];
}

/** Looks a scheduler up by name. */
export function getScheduler(name: string, settings: SchedulerSettings = {}): Scheduler {
  const f = factories.get(name);
  if (!f) {
    throw new InvalidArgumentError(
      `Unknown scheduler '${name}'. Available: ${schedulerNames().join(', ')}.`,
    );
  }
  return f(settings);
}
