import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compute } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { backoffMs, flakyReading, main, withRetries } from '../../dist/patterns/retry.js';
import { runCaptured, testSchedulers } from '../helpers.js';

describe.each(testSchedulers())('retry with backoff on %s', (scheduler) => {
  it('retries each flaky task where it runs, doubling the wait, then gives up on a dead one', async () => {
    const { lines } = await runCaptured(main, [
      ...['--scheduler', scheduler, '--base-ms', '5', '--jitter', 'off'],
    ]);
    expect(lines).toEqual([
      'sensor 1: Attempt 1 failed, waiting 0.01s',
      'sensor 2: Attempt 1 failed, waiting 0.01s',
      'sensor 2: Attempt 2 failed, waiting 0.01s',
      'sensor 3: Attempt 1 failed, waiting 0.01s',
      'sensor 3: Attempt 2 failed, waiting 0.01s',
      'sensor 3: Attempt 3 failed, waiting 0.02s',
      'Readings: [0.5, 10.5, 20.5, 30.5]',
      expect.stringMatching(
        /^Gave up: Task 'retry-[0-9a-f]+' failed.*: Gave up after 5 attempts; last error: sensor 99: connection reset \(call 5\)\./,
      ),
    ]);
  });

  it('fails with the task key and the exhausted-retries message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dusk-retry-'));
    const policy = { maxAttempts: 2, baseMs: 1, jitter: false };
    await expect(
      compute(withRetries(flakyReading, [dir, 1, 5], policy), { scheduler }),
    ).rejects.toMatchObject({
      code: 'E_TASK_FAILED',
      message: expect.stringMatching(
        /Gave up after 2 attempts; last error: sensor 1: connection reset \(call 2\)/,
      ),
    });
  });
});

describe('backoffMs', () => {
  it('doubles from the base and adds at most one base of jitter', () => {
    const p = { maxAttempts: 5, baseMs: 100, jitter: false };
    expect([1, 2, 3, 4].map((a) => backoffMs(a, p))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(2, { ...p, jitter: true }, () => 0.5)).toBe(250);
  });
});
