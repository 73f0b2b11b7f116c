/**
 * One conformance suite: every case in `*.cases.ts` runs on every registered scheduler
 * with several worker counts and must give what the sync scheduler gives.
 */
import { compute, schedulerNames } from '@dusk/scheduler';
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
  it.each(runs().map((r) => [`${r.scheduler}${r.workers ? ` x${r.workers}` : ''}`, r] as const))(
    'on %s',
    async (_label, opts) => {
      if (c.errorCode) {
        await expect(run(c, opts)).rejects.toMatchObject({ code: c.errorCode });
        return;
      }
      const got = await run(c, opts);
      const reference = await run(c, { scheduler: 'sync' });
      expect(got).toEqual(reference);
      if ('expected' in c) expect(got).toEqual(c.expected);
    },
  );
});
