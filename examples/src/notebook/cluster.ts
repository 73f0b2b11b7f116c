/**
 * The local cluster a notebook starts for `--cluster local` (Python's
 * `Client(LocalCluster())`): a scheduler server in this process and one worker process per
 * worker, closed with the scheduler at the end of the notebook.
 */
import { LocalCluster } from '@dusk/scheduler';

let running: LocalCluster | undefined;

/** Starts the cluster; returns the address computes connect to. */
export async function startLocalCluster(workers: number): Promise<string> {
  await closeLocalCluster();
  running = await LocalCluster.start({ workers });
  return running.address;
}

/** Closes the cluster, if one is running. */
export async function closeLocalCluster(): Promise<void> {
  const cluster = running;
  running = undefined;
  await cluster?.close();
}
