/**
 * One conformance suite: every case in `*.cases.ts` runs on every registered scheduler
 * with several worker counts (distributed: a local cluster of two worker processes) and
 * must give what the sync scheduler gives; then abort, crash recovery and the retry limit
 * on every scheduler they apply to.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeConnections, compute, delayed, LocalCluster, schedulerNames } from '@dusk/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceCase } from './cases.js';

const modules = import.meta.glob<{ cases: ConformanceCase[] }>('./*.cases.ts', { eager: true });
const allCases = Object.values(modules).flatMap((m) => m.cases);
const WORKER_COUNTS = [1, 2, 3];
// The distributed scheduler runs on one local cluster of two worker processes.
const CLUSTER_WORKERS = 2;
let cluster: LocalCluster | undefined;

beforeAll(async () => {
  cluster = await LocalCluster.start({ workers: CLUSTER_WORKERS });
});
afterAll(async () => {
  await closeConnections();
  await cluster?.close();
});

type Run = { scheduler: string; workers?: number; address?: string };

function runs(): Run[] {
  const out: Run[] = [];
  for (const s of schedulerNames()) {
    if (s === 'sync') out.push({ scheduler: s });
    else if (s === 'threads' || s === 'processes')
      for (const w of WORKER_COUNTS) out.push({ scheduler: s, workers: w });
    else if (s === 'distributed') out.push({ scheduler: s });
  }
  return out;
}

/** The compute options of a run (the cluster's address is known only once it started). */
function withAddress(r: Run): Run {
  return r.scheduler === 'distributed' ? { ...r, address: cluster!.address } : r;
}

async function run(c: ConformanceCase, opts: Run): Promise<unknown> {
  const built = c.build();
  const list = Array.isArray(built) ? built : [built];
  const results = await compute(...list, withAddress(opts));
  const value = Array.isArray(built) ? results : results[0];
  return c.normalize ? c.normalize(value) : value;
}

describe.each(allCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it.each(runs().map((r) => [label(r), r] as const))('on %s', async (_label, opts) => {
    if (c.errorCode) {
      await expect(run(c, opts)).rejects.toMatchObject({ code: c.errorCode });
      return;
    }
    const got = await run(c, opts);
    const reference = await run(c, { scheduler: 'sync' });
    expect(got).toEqual(reference);
    if ('expected' in c) expect(got).toEqual(c.expected);
  });
});

// Control, on every scheduler: an AbortSignal stops a compute with E_ABORTED; on the
// worker pools, a worker killed by its task is replaced and the compute gives the same
// result, and a task that always kills its worker fails with E_WORKER.
const slow = delayed((i: number) => {
  const end = Date.now() + 5;
  while (Date.now() < end);
  return i;
});
const exitOnce = delayed((marker: string, x: number) => {
  const fs = (process as any).getBuiltinModule('node:fs');
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, 'crashed');
    process.exit(3);
  }
  return x * 2;
});
const exitAlways = delayed((code: number) => process.exit(code));
const add = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));

describe('control', () => {
  it.each(runs().map((r) => [label(r), r] as const))('abort on %s', async (_l, opts) => {
    const ac = new AbortController();
    setTimeout(() => ac.abort('stop'), 30);
    const work = add(Array.from({ length: 400 }, (_, i) => slow(i)));
    await expect(compute(work, { ...withAddress(opts), signal: ac.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
  });

  const pools = runs().filter((r) => r.scheduler !== 'sync');
  it.each(pools.map((r) => [label(r), r] as const))('crash recovery on %s', async (_l, opts) => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dusk-conf-')), 'crashed');
    const parts = Array.from({ length: 6 }, (_, i) => (i === 3 ? exitOnce(marker, 21) : slow(i)));
    expect(await compute(add(parts), withAddress(opts))).toEqual([0 + 1 + 2 + 42 + 4 + 5]);
  });

  it.each(pools.map((r) => [label(r), r] as const))('retry limit on %s', async (_l, opts) => {
    await expect(compute(exitAlways(9), withAddress(opts))).rejects.toMatchObject({
      code: 'E_WORKER',
    });
  });
});

function label(r: Run): string {
  if (r.scheduler === 'distributed') return `distributed (local cluster x${CLUSTER_WORKERS})`;
  return `${r.scheduler}${r.workers ? ` x${r.workers}` : ''}`;
}
