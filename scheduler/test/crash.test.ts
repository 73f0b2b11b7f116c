// Workers that die: replaced, their compute rerun, and after the retry limit an error that
// lists every attempt. Both pools.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayed } from '@dusk/core';
import { closePools, compute, getPool, WorkerCrashError } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { t } from './fixtures/pool-tasks.mjs';

afterAll(() => closePools());

describe.each(['threads', 'processes'] as const)('%s: crashed workers', (name) => {
  it('replaces a worker killed by process.exit in a task and reruns its tasks', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dusk-')), 'crashed');
    const add = delayed((a: number, b: number) => a + b);
    await compute(delayed(t.spin!)(0, 0), { scheduler: name, workers: 2 });
    const before = getPool(name).workerIds();
    const [r] = await compute(add(delayed(t.exitOnce!)(marker, 20), delayed(t.spin!)(1, 0)), {
      scheduler: name,
      workers: 2,
    });
    expect(r).toBe(41);
    const after = getPool(name).workerIds();
    expect(after.filter((id) => !before.includes(id))).toHaveLength(1);
    expect(after.some((id) => id.includes('#2'))).toBe(true);
  });

  it('fails after the retry limit with an error listing every attempt', async () => {
    const err = await compute(delayed(t.exitAlways!)(7), { scheduler: name, workers: 1 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(WorkerCrashError);
    expect(err.code).toBe('E_WORKER');
    expect(err.key).toMatch(/^exitAlways-/);
    expect(err.attempts).toHaveLength(4);
    for (const a of err.attempts) {
      expect(a.reason).toBe('exited with code 7');
      expect(a.keys).toEqual([err.key]);
    }
    expect(err.message).toMatch(/was running on a worker that died 4 times \(retry limit 3\)/);
    expect(err.message).toMatch(/ {2}4\. \w+-0#\d+ exited with code 7 while running 'exitAlways-/);
    // The pool is whole again afterwards.
    expect(await compute(delayed(t.spin!)(5, 0), { scheduler: name, workers: 1 })).toEqual([5]);
  });

  it('treats an uncaught error thrown from a timer as a crash and names it', async () => {
    // The timer fires once the task has returned, while the compute still runs (a small
    // output alone would already be back with its report: the compute would be over).
    const add = delayed((a: number, b: number) => a + b);
    const later = add(delayed(t.throwLater!)(1), delayed(t.spin!)(2, 10));
    const err = await compute(later, { scheduler: name, workers: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkerCrashError);
    expect(err.attempts.length).toBeGreaterThanOrEqual(1);
    expect(err.attempts[0].reason).toBe('died of an uncaught Error: thrown from a timer');
  });
});
