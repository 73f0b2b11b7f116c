import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fromSequence, outputPaths, readText } from '@dusk/bag';
import { afterAll, describe, expect, it } from 'vitest';
import { bagOfParts, SCHEDULERS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dusk-bag-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('toTextFiles', () => {
  it.each(SCHEDULERS)('writes one file per partition, one element per line (%s)', async (s) => {
    const b = bagOfParts([['a', 'b'], [], ['c']]);
    const paths = await b.toTextFiles(join(dir, s, 'part-*.txt'), { scheduler: s });
    expect(paths).toEqual([0, 1, 2].map((i) => join(dir, s, `part-${i}.txt`)));
    expect(paths.map((p) => readFileSync(p, 'utf8'))).toEqual(['a\nb\n', '', 'c\n']);
  });

  it('writes non-strings as JSON, so records round-trip through readText', async () => {
    const records = [{ id: 1, tags: ['x'] }, { id: 2, tags: [] }, 7, null];
    const paths = await fromSequence(records, { npartitions: 2 }).toTextFiles(join(dir, 'json'));
    expect(paths).toEqual([join(dir, 'json', '0.part'), join(dir, 'json', '1.part')]);
    expect(
      await readText(join(dir, 'json/*.part'))
        .map((l) => JSON.parse(l))
        .compute(),
    ).toEqual(records);
  });

  it('compresses .gz files', async () => {
    const [p] = await fromSequence(['x', 'y'], { npartitions: 1 }).toTextFiles(
      join(dir, 'gz', '*.txt.gz'),
    );
    expect(gunzipSync(readFileSync(p!)).toString()).toBe('x\ny\n');
    expect(await readText(p!).compute()).toEqual(['x', 'y']);
  });

  it('refuses a pattern with two stars', () => {
    expect(() => outputPaths('a/*/*.txt', 2)).toThrow(/has 2 '\*'; use one/);
  });
});
