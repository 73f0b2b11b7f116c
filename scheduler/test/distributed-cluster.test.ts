// The distributed scheduler end to end, on real sockets on 127.0.0.1: a local cluster of
// two worker processes gives what sync gives, survives a worker killed mid-compute, and a
// server that meets broken frames or missing tokens refuses them with typed errors and
// keeps serving everyone else.
import { delayed } from '@dusk/core';
import {
  Client,
  closeConnections,
  compute,
  DuskWorker,
  LocalCluster,
  SchedulerServer,
} from '@dusk/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { t } from './fixtures/pool-tasks.mjs';

const add = delayed((...xs: number[]) => xs.reduce((a, b) => a + b, 0));
const inc = delayed((x: number) => x + 1);

/** Opens a raw socket, sends `frames`, resolves with how the server closed it. */
function rawSession(address: string, frames: (Buffer | string)[]) {
  return new Promise<{ code: number; reason: string }>((resolve, reject) => {
    const ws = new WebSocket(address);
    ws.on('open', () => {
      for (const f of frames) ws.send(f);
    });
    ws.on('error', reject);
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

describe('a local cluster of two workers', () => {
  let cluster: LocalCluster;
  let opts: { scheduler: string; address: string };
  const logged: string[] = [];

  beforeAll(async () => {
    // A 4 MiB frame limit: workers and this client send anything longer in parts.
    cluster = await LocalCluster.start({
      workers: 2,
      maxFrameBytes: 4 * 2 ** 20,
      log: (l) => logged.push(l),
    });
    opts = { scheduler: 'distributed', address: cluster.address };
  });
  afterAll(async () => {
    await closeConnections();
    await cluster.close();
  });

  it('computes delayed graphs as sync does, on both workers', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => inc(delayed(t.spin!)(i, 2)));
    const seen = new Set<string>();
    const got = await compute(add(...parts), {
      ...opts,
      onProgress: (p) => seen.add((p as { worker?: string }).worker!),
    });
    expect(got).toEqual(await compute(add(...parts), { scheduler: 'sync' }));
    expect(got).toEqual([(39 * 40) / 2 + 40]);
    expect([...seen].sort()).toEqual(['local-0/0', 'local-1/0']);
  });

  it('moves values that need a codec between workers and to the caller', async () => {
    const box = delayed(t.makeBox!)('b', 1000);
    const [total, back] = await compute(delayed(t.boxTotal!)(box), box, opts);
    expect(total).toBe('b:499500');
    expect((back as { total(): number }).total()).toBe(499500);
  });

  it('brings a value longer than a frame to the caller, in parts', async () => {
    // 9M doubles, 72 MB: to the scheduler in 4 MiB parts (its limit), to this client in
    // 64 MiB parts.
    const n = 9_000_000;
    const box = delayed(t.makeBox!)('big', n);
    const [back, total] = await compute(box, delayed(t.boxTotal!)(box), opts);
    const data = (back as { data: Float64Array }).data;
    expect(data).toHaveLength(n);
    expect([data[0], data[1], data[n - 1]]).toEqual([0, 1, n - 1]);
    expect(total).toBe(`big:${(n * (n - 1)) / 2}`);
  });

  it("reports a task's error as a TaskError with the key and the original error", async () => {
    const bad = delayed(
      (x: number) => {
        throw new RangeError(`no ${x}`);
      },
      { name: 'refuse' },
    );
    await expect(compute(bad(3), opts)).rejects.toMatchObject({
      name: 'TaskError',
      code: 'E_TASK_FAILED',
      key: expect.stringMatching(/^refuse-/),
      message: expect.stringContaining('no 3'),
      cause: expect.objectContaining({ name: 'RangeError' }),
    });
  });

  it('aborts with E_ABORTED and keeps the cluster usable', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort('stop'), 30);
    const slow = Array.from({ length: 100 }, (_, i) => delayed(t.spin!)(i, 5));
    await expect(compute(add(...slow), { ...opts, signal: ac.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    expect(await compute(inc(1), opts)).toEqual([2]);
  });

  it('serves futures from a Client given the address', async () => {
    const client = new Client({ address: cluster.address });
    const futures = client.map((x: number) => x * x, [1, 2, 3]);
    expect(await client.gather(futures)).toEqual([1, 4, 9]);
    const where = (await client.submit(t.whereAmI!, [1]).result()) as { pid: number };
    expect(cluster.workerProcesses.map((p) => p.pid)).toContain(where.pid);
    await client.close();
  });

  it('closes a connection that sends broken frames with E_PROTOCOL and serves others', async () => {
    const cases = [
      [Buffer.from([0x92, 0x01])],
      ['not even binary'],
      [Buffer.from([0x81, 0xa1, 0x74, 0xa5, 0x68, 0x65, 0x6c, 0x6c, 0x6f])], // {t:'hello'}
    ];
    for (const frames of cases) {
      const closed = await rawSession(cluster.address, frames);
      expect(closed.code).toBe(1002);
      expect(closed.reason).toMatch(/^E_PROTOCOL: /);
    }
    expect(logged.some((l) => l.includes('E_PROTOCOL'))).toBe(true);
    expect(await compute(inc(41), opts)).toEqual([42]);
  });
});

describe('a worker that dies mid-compute', () => {
  it('is a crash: its tasks run again on the other worker and the result is the same', async () => {
    const cluster = await LocalCluster.start({ workers: 2 });
    try {
      const opts = { scheduler: 'distributed', address: cluster.address };
      const parts = Array.from({ length: 30 }, (_, i) => delayed(t.spin!)(i, 20));
      let killed = false;
      const got = await compute(add(...parts), {
        ...opts,
        onProgress: (p) => {
          if (killed || p.done < 4) return;
          killed = true;
          cluster.workerProcesses[0]!.kill('SIGKILL');
        },
      });
      expect(killed).toBe(true);
      expect(got).toEqual([(29 * 30) / 2]);
      expect(cluster.server.pool.threadIds()).toEqual(['local-1/0']);
    } finally {
      await closeConnections();
      await cluster.close();
    }
  });
});

describe('a cluster with a token', () => {
  const token = 'shared-secret';
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await LocalCluster.start({ workers: 1, token });
  });
  afterAll(async () => {
    await closeConnections();
    await cluster.close();
  });

  it('refuses a client without the token, or with a wrong one, with E_AUTH', async () => {
    const opts = { scheduler: 'distributed', address: cluster.address };
    for (const bad of [undefined, 'guess']) {
      await expect(compute(delayed(t.spin!)(7, 0), { ...opts, token: bad })).rejects.toMatchObject({
        name: 'DistributedAuthError',
        code: 'E_AUTH',
        message: expect.stringMatching(/did not present the scheduler's token|wrong token/),
      });
    }
    // The same calls, and lambdas, run for a client with the token.
    expect(await compute(delayed(t.spin!)(7, 0), { ...opts, token })).toEqual([7]);
    expect(await compute(inc(1), { ...opts, token })).toEqual([2]);
  });

  it('refuses a worker with a wrong token, which then exits saying why', async () => {
    const worker = DuskWorker.start({ address: cluster.address, token: 'guess', log: () => {} });
    const exit = await worker.exited;
    expect(exit.code).toBe(1);
    expect(exit.message).toContain('E_AUTH');
  });
});

describe('edges of a server', () => {
  it('refuses frames above the size limit and keeps listening', async () => {
    await expect(SchedulerServer.start({ port: 0, maxFrameBytes: 1024 })).rejects.toMatchObject({
      code: 'E_INVALID_ARGUMENT',
      message: expect.stringContaining('from 65536 to'),
    });
    const server = await SchedulerServer.start({ port: 0, maxFrameBytes: 2 ** 16, log: () => {} });
    try {
      const closed = await rawSession(server.address, [Buffer.alloc(2 ** 16 + 1)]);
      expect(closed.code).toBe(1009);
      const again = await rawSession(server.address, ['x']);
      expect(again.code).toBe(1002);
    } finally {
      await server.close();
    }
  });

  it('fails only the compute whose message is longer than the scheduler takes', async () => {
    const cluster = await LocalCluster.start({ workers: 1, maxMessageBytes: 2 ** 20 });
    const opts = { scheduler: 'distributed', address: cluster.address };
    try {
      // A worker's result above the limit: an error for that compute, not a crash.
      const big = delayed(t.makeBox!)('big', 200_000); // 1.6 MB
      await expect(compute(big, opts)).rejects.toMatchObject({
        code: 'E_PROTOCOL',
        message: expect.stringMatching(/longer than the scheduler takes \(1048576 bytes\)/),
      });
      // A graph above the limit: refused here, before anything is sent.
      const literal = delayed((a: Float64Array) => a.length)(new Float64Array(200_000));
      await expect(compute(literal, opts)).rejects.toMatchObject({
        code: 'E_PROTOCOL',
        message: expect.stringContaining('1048576 bytes'),
      });
      // The connection, the worker and its thread go on.
      expect(await compute(delayed(t.boxTotal!)(delayed(t.makeBox!)('ok', 1000)), opts)).toEqual([
        'ok:499500',
      ]);
    } finally {
      await closeConnections();
      await cluster.close();
    }
  });

  it('fails a compute with E_NO_WORKERS when no worker joins in time', async () => {
    const server = await SchedulerServer.start({ port: 0, workerWaitMs: 50, log: () => {} });
    try {
      await expect(
        compute(delayed(t.spin!)(1, 0), { scheduler: 'distributed', address: server.address }),
      ).rejects.toMatchObject({ code: 'E_NO_WORKERS' });
    } finally {
      await closeConnections();
      await server.close();
    }
  });

  it('a worker that cannot reach its scheduler exits with a clear message', async () => {
    const server = await SchedulerServer.start({ port: 0, log: () => {} });
    const address = server.address;
    await server.close();
    const worker = DuskWorker.start({ address, reconnectForMs: 0, log: () => {} });
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 1, message: expect.stringContaining('Could not reach') });
  });

  it('says how to fix a compute with no address', async () => {
    await expect(compute(inc(1), { scheduler: 'distributed' })).rejects.toMatchObject({
      code: 'E_INVALID_ARGUMENT',
      message: expect.stringContaining('DUSK_SCHEDULER_ADDRESS'),
    });
  });
});
