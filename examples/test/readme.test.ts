/**
 * Keeps the README true: every ```js block in it runs as an ES module (from examples/, so
 * the @dusk packages resolve) and must print exactly the ```text block that follows it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(examplesDir, '..', 'README.md'), 'utf8');

/** Pairs of (code, expected output): a js fence directly followed by a text fence. */
function snippets(markdown: string): { code: string; expected: string; line: number }[] {
  const out: { code: string; expected: string; line: number }[] = [];
  const re = /```js\n([\s\S]*?)```\s*\n```text\n([\s\S]*?)```/g;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ code: m[1]!, expected: m[2]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

const blocks = snippets(readme);

describe('README', () => {
  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it.each(blocks.map((b) => [b.line, b] as const))(
    'the js block at line %i prints what follows it',
    async (line, b) => {
      const file = join(examplesDir, `readme-${line}.tmp.mjs`);
      writeFileSync(file, b.code);
      try {
        const { stdout } = await run(process.execPath, [file], {
          cwd: examplesDir,
          env: { ...process.env, DUSK_WORKERS: '2' },
          timeout: 60_000,
        });
        expect(stdout.trim()).toBe(b.expected.trim());
      } finally {
        rmSync(file, { force: true });
      }
    },
  );
});
