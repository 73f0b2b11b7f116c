import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The notebooks are scripts split into `// %%` cells: every timed cell sits under a marker. */
describe.each(['ecommerce', 'weather'])('%s.ts cell markers', (name) => {
  it('puts a `// %%` marker in front of every nb.cell', () => {
    const src = readFileSync(new URL(`../../src/${name}.ts`, import.meta.url), 'utf8').split('\n');
    const cells = src.flatMap((line, i) => (/nb\.cell\('/.test(line) ? [i] : []));
    expect(cells.length).toBeGreaterThanOrEqual(6);
    let lastMarker = -1;
    let markersUsed = 0;
    for (const at of cells) {
      const marker = src.slice(0, at).findLastIndex((l) => l.trim().startsWith('// %%'));
      expect(marker, `cell at line ${at + 1} has no // %% marker before it`).toBeGreaterThan(-1);
      if (marker !== lastMarker) markersUsed++;
      lastMarker = marker;
    }
    // Several cells may share one marker (mean, max, min: one Python cell), but not most.
    expect(markersUsed).toBeGreaterThanOrEqual(cells.length - 2);
  });
});
