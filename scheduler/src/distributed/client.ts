/**
 * The 'distributed' scheduler as a client sees it: `compute(x, { scheduler:
 * 'distributed', address })` (or config `address` / DUSK_SCHEDULER_ADDRESS) sends the
 * optimized graph to a scheduler server and waits for the outputs. Functions are resolved
 * here first, as on every scheduler, so a missing export fails before work is sent.
 */
import {
  AbortError,
  config,
  decodeValue,
  encodeValue,
  type Graph,
  InvalidArgumentError,
  type Key,
  preloadFns,
} from '@dusk/core';
import { insidePoolWorker } from '../local/worker-flag.js';
import type { RunOptions, Scheduler, SchedulerSettings } from '../scheduler.js';
import { SyncScheduler } from '../sync.js';
import { SchedulerConnection } from './connection.js';

const connections = new Map<string, Promise<SchedulerConnection>>();

/** The shared connection to `address` (opened on first use, reopened after a loss). */
export function connectTo(address: string, token?: string): Promise<SchedulerConnection> {
  const id = `${address} ${token ?? ''}`;
  let c = connections.get(id);
  if (!c) {
    c = SchedulerConnection.open(address, token, () => connections.delete(id));
    c.catch(() => connections.delete(id));
    connections.set(id, c);
  }
  return c;
}

/** Closes every connection this process opened to scheduler servers (tests, long-lived programs). */
export async function closeConnections(): Promise<void> {
  const all = [...connections.values()];
  connections.clear();
  for (const c of await Promise.allSettled(all)) if (c.status === 'fulfilled') c.value.close();
}

export class DistributedScheduler implements Scheduler {
  readonly name = 'distributed';

  constructor(private readonly settings: SchedulerSettings = {}) {}

  async run(graph: Graph, keys: readonly Key[], opts: RunOptions = {}): Promise<unknown[]> {
    if (insidePoolWorker()) return new SyncScheduler().run(graph, keys, opts);
    const address = (this.settings.address as string | undefined) ?? config.get('address');
    if (!address) {
      throw new InvalidArgumentError(
        "The 'distributed' scheduler needs the scheduler's address: compute(x, { scheduler: " +
          "'distributed', address: 'ws://host:8786' }), config.set({ address }) or DUSK_SCHEDULER_ADDRESS.",
      );
    }
    const token = (this.settings.token as string | undefined) ?? config.get('token');
    if (opts.signal?.aborted) throw new AbortError(opts.signal.reason);
    await preloadFns(graph.values());
    const conn = await connectTo(address, token);
    const { value, encoded } = encodeValue([...graph]);
    const values = await this.send(conn, value, encoded, keys, opts);
    return (await decodeValue(values)) as unknown[];
  }

  private send(
    conn: SchedulerConnection,
    entries: unknown,
    enc: boolean,
    keys: readonly Key[],
    opts: RunOptions,
  ): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const onAbort = () => conn.cancel(id, new AbortError(opts.signal?.reason));
      const done =
        <T>(f: (x: T) => void) =>
        (x: T) => {
          opts.signal?.removeEventListener('abort', onAbort);
          f(x);
        };
      const id = conn.submit(
        (id) => ({
          t: 'compute',
          id,
          keys,
          graph: entries,
          enc,
          progress: opts.onProgress !== undefined,
          workers: this.settings.workers,
        }),
        { resolve: done(resolve), reject: done(reject), progress: opts.onProgress },
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
