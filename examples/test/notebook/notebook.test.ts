import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayed } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { memoryIO, Notebook } from '../../dist/notebook/notebook.js';
import { parseNotebookArgs } from '../../dist/notebook/options.js';

describe('Notebook cell runner', () => {
  it('prints like Python on stdout and times each cell on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dusk-nb-'));
    const timings = join(dir, 't.json');
    const opts = parseNotebookArgs(['--scheduler', 'sync', '--timings-json', timings], {
      rows: 10,
      partitions: 2,
    });
    const io = memoryIO();
    const nb = new Notebook('Tiny', opts, io);
    const total = await nb.cell('Add', (c) =>
      delayed((a: number, b: number) => a + b)(1, 2).compute(c.compute),
    );
    nb.print(`Total: ${total}`);
    await nb.cell('Nothing', () => undefined);
    nb.print('\nDone:\n', [1, 2]);
    const summary = nb.finish();

    expect(io.stdout()).toBe('Total: 3\n\nDone:\n [1, 2]\n');
    expect(io.stderr()).toMatch(/\[step 1\] Add: \d+\.\d{3} s\n/);
    expect(io.stderr()).toMatch(/\[step 2\] Nothing: \d+\.\d{3} s\n/);
    expect(io.stderr()).toMatch(/Tiny: step timings \(sync, 1 worker\(s\)\)/);
    expect(io.stderr()).toMatch(/peak RSS \d+ MB/);
    expect(summary.steps.map((s) => s.title)).toEqual(['Add', 'Nothing']);
    const json = JSON.parse(readFileSync(timings, 'utf8'));
    expect(json.title).toBe('Tiny');
    expect(json.steps).toHaveLength(2);
    expect(json.steps[0].ms).toBeGreaterThanOrEqual(0);
  });

  it('records a failing cell and rethrows its error', async () => {
    const io = memoryIO();
    const nb = new Notebook('Failing', parseNotebookArgs([], { rows: 1, partitions: 1 }), io);
    await expect(
      nb.cell('Boom', () => {
        throw new RangeError('boom');
      }),
    ).rejects.toThrow('boom');
    expect(nb.steps.map((s) => s.title)).toEqual(['Boom']);
  });

  it('describes the scheduler the way Python prints a Client', () => {
    const nb = new Notebook(
      'x',
      parseNotebookArgs(['--scheduler', 'processes', '--workers', '3'], { rows: 1, partitions: 1 }),
      memoryIO(),
    );
    expect(nb.clientLine()).toMatch(
      /^<Client: 'processes' processes=3 threads=3, memory=\d+\.\d\d GiB>$/,
    );
  });
});
