import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isMain } from '@dusk/core';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('isMain', () => {
  it('is false for a module that is not the entry script', () => {
    expect(isMain(import.meta.url)).toBe(false);
  });

  it('guards a script whose module workers import: the computation runs once, in the main thread', async () => {
    const script = fileURLToPath(new URL('./fixtures/main-guard.mjs', import.meta.url));
    const { stdout } = await run(process.execPath, [script], { timeout: 30_000 });
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => l === 'result 42')).toHaveLength(1);
    // The top level ran in the main thread and again in the worker that imported it.
    expect(lines.filter((l) => l === 'top level').length).toBeGreaterThanOrEqual(2);
  });
});
