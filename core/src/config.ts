/**
 * Global configuration, read from the environment once and settable in code.
 * `config.set` returns a function that restores the previous values.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from './errors.js';

export interface DuskConfig {
  /** Scheduler used when a compute names none (`DUSK_SCHEDULER`; default 'threads'). */
  scheduler: string;
  /** Workers for local pools (`DUSK_WORKERS`); default: the number of cores. */
  workers: number;
  /** Run the graph optimizer before scheduling (`DUSK_OPTIMIZE=0` turns it off). */
  optimize: boolean;
  /** Partials combined per step of a tree reduction. */
  splitEvery: number;
  /** Whether `delayed` calls get content-based keys by default (Dask: false). */
  delayedPure: boolean;
  /** The scheduler server of the 'distributed' scheduler (`DUSK_SCHEDULER_ADDRESS`). */
  address?: string;
  /** The cluster's shared token, if it has one (`DUSK_SCHEDULER_TOKEN`). */
  token?: string;
}

function fromEnv(): DuskConfig {
  const env = process.env;
  const workers = env.DUSK_WORKERS ? Number(env.DUSK_WORKERS) : availableParallelism();
  return {
    // Worker threads use every core; DUSK_SCHEDULER=sync runs everything in the caller.
    scheduler: env.DUSK_SCHEDULER || 'threads',
    workers: Number.isInteger(workers) && workers > 0 ? workers : availableParallelism(),
    optimize: env.DUSK_OPTIMIZE !== '0',
    // 8 keeps each combine step small while a 1000-partition reduction is 4 levels deep.
    splitEvery: 8,
    delayedPure: env.DUSK_DELAYED_PURE === '1',
    address: env.DUSK_SCHEDULER_ADDRESS || undefined,
    token: env.DUSK_SCHEDULER_TOKEN || undefined,
  };
}

let current: DuskConfig = fromEnv();

/**
 * @example
 * const restore = config.set({ scheduler: 'threads', workers: 2 });
 * try { await x.compute(); } finally { restore(); }
 */
export const config = {
  get<K extends keyof DuskConfig>(key: K): DuskConfig[K] {
    return current[key];
  },
  all(): Readonly<DuskConfig> {
    return current;
  },
  set(values: Partial<DuskConfig>): () => void {
    for (const k of Object.keys(values)) {
      if (!(k in current)) {
        throw new InvalidArgumentError(
          `Unknown config option '${k}'. Known options: ${Object.keys(current).join(', ')}.`,
        );
      }
    }
    const previous = current;
    current = { ...current, ...values };
    return () => {
      current = previous;
    };
  },
  reset(): void {
    current = fromEnv();
  },
};
