/**
 * A cluster on this machine: a scheduler server in this process on 127.0.0.1 and N
 * `dusk-worker` child processes, for tests, notebooks (`--cluster local`) and trying the
 * distributed scheduler without a second machine (Dask's LocalCluster).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NoWorkersError } from './errors.js';
import { SchedulerServer, type SchedulerServerOptions } from './server.js';

const WORKER_CLI = fileURLToPath(new URL('./cli-worker.js', import.meta.url));
// Starting Node and importing the runtime takes well under a second; a loaded CI machine more.
const START_TIMEOUT_MS = 30_000;
const POLL_MS = 20;

export interface LocalClusterOptions extends SchedulerServerOptions {
  /** Worker processes (default 2). */
  workers?: number;
  /** Threads per worker (default 1). */
  nthreads?: number;
}

/**
 * @example
 * const cluster = await LocalCluster.start({ workers: 2 });
 * await x.compute({ scheduler: 'distributed', address: cluster.address });
 * await cluster.close();
 */
export class LocalCluster {
  private constructor(
    readonly server: SchedulerServer,
    /** The worker processes, in start order (tests kill one to see recovery). */
    readonly workerProcesses: ChildProcess[],
  ) {}

  /** The address clients connect to. */
  get address(): string {
    return this.server.address;
  }

  /** Starts the server and the workers; resolves when every worker thread has joined. */
  static async start(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
    const workers = opts.workers ?? 2;
    const nthreads = opts.nthreads ?? 1;
    const server = await SchedulerServer.start({
      ...opts,
      host: '127.0.0.1',
      port: opts.port ?? 0,
      log: opts.log ?? (() => {}),
    });
    const procs = Array.from({ length: workers }, (_, i) =>
      startWorker(server.address, `local-${i}`, nthreads, opts.token),
    );
    const cluster = new LocalCluster(server, procs);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (server.pool.threadIds().length < workers * nthreads) {
      if (Date.now() > deadline || procs.some((p) => p.exitCode !== null)) {
        await cluster.close();
        throw new NoWorkersError(
          `The local cluster's ${workers} worker(s) did not all start within ${START_TIMEOUT_MS} ms.`,
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return cluster;
  }

  /** Stops the workers and the server. */
  async close(): Promise<void> {
    await Promise.all(this.workerProcesses.map(stopProcess));
    await this.server.close();
  }
}

function startWorker(address: string, name: string, nthreads: number, token?: string) {
  const args = [address, '--name', name, '--nthreads', String(nthreads), '--quiet'];
  // The token goes by environment, not argv: other users can read a process's arguments.
  const env = { ...process.env, DUSK_SCHEDULER_TOKEN: token ?? '' };
  return fork(WORKER_CLI, args, {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a)),
  });
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill();
  await gone;
}
