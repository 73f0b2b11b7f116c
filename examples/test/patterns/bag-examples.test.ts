import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as movielens, SAMPLE } from '../../dist/patterns/movielens.js';
import { main as wordCount } from '../../dist/patterns/word-count.js';
import { runCaptured, testSchedulers } from '../helpers.js';

/** Word counts of every .txt file in `dir` by plain loops: the independent reference. */
function countWords(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    for (const word of readFileSync(join(dir, f), 'utf8').split(/\s+/)) {
      if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

describe.each(testSchedulers())('bag examples on %s', (scheduler) => {
  it('word count: counts every word of the corpus, prints the top words, saves the counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dusk-wc-'));
    const { lines, result } = await runCaptured(wordCount, [
      ...['--scheduler', scheduler, '--dir', dir, '--files', '3', '--lines', '500'],
      ...['--blocksize', '4000', '--top', '3'],
    ]);
    const expected = countWords(dir);
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    const top = [...expected].sort((a, b) => b[1] - a[1]).slice(0, 3);
    expect(lines[0]).toBe(`Total words: ${total}`);
    expect(lines[1]).toBe(`Distinct words: ${expected.size}`);
    expect(lines[2]).toBe(`Top 3 words: [${top.map(([w, c]) => `('${w}', ${c})`).join(', ')}]`);
    expect(result.top).toEqual(top);
    const saved = result.outputs.flatMap((p) =>
      readFileSync(p, 'utf8').split('\n').filter(Boolean),
    );
    expect(new Map(saved.map((l) => [l.split('\t')[0]!, Number(l.split('\t')[1])]))).toEqual(
      expected,
    );
  });

  it('MovieLens: map, shuffle-and-sort and rating counts, on the sample and a generated file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dusk-ml-'));
    const { lines, result } = await runCaptured(movielens, [
      ...['--scheduler', scheduler, '--dir', dir, '--ratings', '3000', '--blocksize', '5000'],
    ]);
    expect(lines.slice(0, 6)).toEqual([
      '196:242 ; 186:302 ; 196:377 ; 244:51 ; 166:346 ; 186:474 ; 186:265',
      '166:346 ; 186:302,474,265 ; 196:242,377 ; 244:51',
      '"1"\t2',
      '"2"\t2',
      '"3"\t2',
      '"4"\t1',
    ]);
    const expected = new Map<string, number>();
    for (const line of readFileSync(join(dir, 'u.data'), 'utf8').split('\n').filter(Boolean)) {
      const rating = line.split('\t')[2]!;
      expected.set(rating, (expected.get(rating) ?? 0) + 1);
    }
    const sorted = [...expected].sort((a, b) => a[0].localeCompare(b[0]));
    expect(result.counts).toEqual(sorted);
    expect(lines.slice(7)).toEqual(sorted.map(([r, n]) => `"${r}"\t${n}`));
    expect(SAMPLE).toHaveLength(7);
  });
});
