/**
 * One conformance suite: every case in `*.cases.ts` runs on every registered scheduler
 * with several worker counts and must give what the sync scheduler gives; then abort,
 * crash recovery and the retry limit on every scheduler they apply to.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compute, delayed, schedulerNames } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from './cases.js';

const modules = import.meta.glob<{ cases: ConformanceCase[] }>('./*.cases.ts', { eager: true });
const allCases = Object.values(modules).flatMap((m) => m.cases);
const WORKER_COUNTS = [1, 2, 3];

function runs(): { scheduler: string; workers?: number }[] {
  const out: { scheduler: string; workers?: number }[] = [];
  for (const s of schedulerNames()) {
    if (s === 'sync') out.push({ scheduler: s });
    else if (s === 'threads' || s === 'processes')
      for (const w of WORKER_COUNTS) out.push({ scheduler: s, workers: w });
  }
  return out;
}

async function run(
  c: ConformanceCase,
  opts: { scheduler: string; workers?: number },
): Promise<unknown> {
  const built = c.build();
  const list = Array.isArray(built) ? built : [built];
  const results = await compute(...list, opts);
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
    await expect(compute(work, { ...opts, signal: ac.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
  });

  const pools = runs().filter((r) => r.scheduler !== 'sync');
  it.each(pools.map((r) => [label(r), r] as const))('crash recovery on %s', async (_l, opts) => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dusk-conf-')), 'crashed');
    const parts = Array.from({ length: 6 }, (_, i) => (i === 3 ? exitOnce(marker, 21) : slow(i)));
    expect(await compute(add(parts), opts)).toEqual([0 + 1 + 2 + 42 + 4 + 5]);
  });

  it.each(pools.map((r) => [label(r), r] as const))('retry limit on %s', async (_l, opts) => {
    await expect(compute(exitAlways(9), opts)).rejects.toMatchObject({ code: 'E_WORKER' });
  });
});

function label(r: { scheduler: string; workers?: number }): string {
  return `${r.scheduler}${r.workers ? ` x${r.workers}` : ''}`;
}
