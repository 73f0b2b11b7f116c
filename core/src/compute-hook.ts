/**
 * Core does not depend on the scheduler package, yet `delayed(...).compute()` must run.
 * @dusk/scheduler registers itself here when it is loaded; if nothing is registered yet,
 * the first compute imports it.
 */
import type { Collection } from './collection.js';
import { DuskError } from './errors.js';

export interface ComputeOptions {
  scheduler?: string;
  workers?: number;
  /** The scheduler server, for scheduler 'distributed' (`ws://host:8786`). */
  address?: string;
  /** The cluster's token, for scheduler 'distributed'. */
  token?: string;
  optimize?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: {
    done: number;
    total: number;
    key?: string;
    ms?: number;
    inMemory?: number;
  }) => void;
  [option: string]: unknown;
}

export interface ComputeEngine {
  compute(collections: readonly Collection[], opts?: ComputeOptions): Promise<unknown[]>;
  persist(collections: readonly Collection[], opts?: ComputeOptions): Promise<Collection[]>;
}

let engine: ComputeEngine | undefined;

export function setComputeEngine(e: ComputeEngine): void {
  engine = e;
}

const SCHEDULER_PACKAGE = '@dusk/scheduler';

export async function getComputeEngine(): Promise<ComputeEngine> {
  if (engine) return engine;
  try {
    await import(SCHEDULER_PACKAGE);
  } catch (e) {
    throw new DuskError(
      'E_NO_SCHEDULER',
      `compute() needs ${SCHEDULER_PACKAGE}: install it (npm install ${SCHEDULER_PACKAGE}).`,
      { cause: e },
    );
  }
  if (!engine)
    throw new DuskError('E_NO_SCHEDULER', `${SCHEDULER_PACKAGE} did not register itself.`);
  return engine;
}
