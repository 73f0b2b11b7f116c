import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, main } from '../../dist/patterns/checkpoint.js';
import { runCaptured, testSchedulers } from '../helpers.js';

const SCRIPT = fileURLToPath(new URL('../../dist/patterns/checkpoint.js', import.meta.url));

/** Primes below n by a sieve: the independent reference. */
function sieveCount(n: number): number {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

const doneBlocks = (path: string) =>
  existsSync(path) ? Object.keys(JSON.parse(readFileSync(path, 'utf8')).done).length : 0;

describe.each(testSchedulers())('checkpointing on %s', (scheduler) => {
  const size = ['--n', '400000', '--block', '10000'];

  it('runs from scratch and removes its checkpoint when done', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dusk-cp-')), 'cp.json');
    const { lines, result } = await runCaptured(main, [
      ...['--scheduler', scheduler, ...size, '--checkpoint', path],
    ]);
    expect(lines).toEqual([
      'Starting fresh: 40 blocks',
      `Primes below 400000: ${sieveCount(400000)}`,
    ]);
    expect(result).toEqual({ primes: 33860, resumedBlocks: 0, computedBlocks: 40 });
    expect(existsSync(path)).toBe(false);
  });

  it('resumes after being killed mid-run, computing only the missing blocks', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dusk-cp-')), 'cp.json');
    const args = ['--scheduler', scheduler, ...size, '--checkpoint', path];
    const child = spawn(process.execPath, [SCRIPT, ...args, '--batch', '2', '--block-ms', '40'], {
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    // Kill it (no chance to clean up) once a few batches are saved, well before the end.
    while (doneBlocks(path) < 4) {
      if (child.exitCode !== null) throw new Error('the child finished before it was killed');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    const saved = doneBlocks(path);
    expect(saved).toBeGreaterThanOrEqual(4);
    expect(saved).toBeLessThan(40);

    const { lines, result } = await runCaptured(main, args);
    expect(lines[0]).toBe(`Resuming from checkpoint: ${saved} of 40 blocks already done`);
    expect(lines[1]).toBe(`Primes below 400000: ${sieveCount(400000)}`);
    expect(result).toEqual({ primes: 33860, resumedBlocks: saved, computedBlocks: 40 - saved });
  });
});

describe('checkpoint files', () => {
  it('refuses a checkpoint made for other parameters, saying how to fix it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dusk-cp-')), 'cp.json');
    writeFileSync(path, JSON.stringify({ params: { n: 10, block: 5 }, done: { 0: 4 } }));
    expect(() => loadCheckpoint(path, { n: 20, block: 5 })).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_ARGUMENT',
        message: expect.stringMatching(
          /made for n=10, block=5, not n=20, block=5.*delete the file/,
        ),
      }),
    );
    expect(loadCheckpoint(path, { n: 10, block: 5 }).done).toEqual({ 0: 4 });
  });
});
