import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readText } from '@dusk/bag';
import { afterAll, describe, expect, it } from 'vitest';
import { run, SCHEDULERS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dusk-bag-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const POEM = ['the cat sat', 'on the mat', '', 'héllo wörld ✓', 'x', 'last line without newline'];
const poem = file('poem.txt', POEM.join('\n'));

describe('readText', () => {
  it.each(SCHEDULERS)('reads the lines of a file without their line endings (%s)', async (s) => {
    expect(await run(readText(poem, { blocksize: null }), s)).toEqual(POEM);
    const crlf = file('crlf.txt', 'a\r\nb\r\n\r\nc\r\n');
    expect(await run(readText(crlf), s)).toEqual(['a', 'b', '', 'c']);
  });

  it.each([1, 2, 3, 5, 7, 11, 16, 64, 1000])(
    'gives every line exactly once for blocksize %i',
    async (blocksize) => {
      const b = readText(poem, { blocksize });
      const size = Buffer.byteLength(POEM.join('\n'));
      // Equal blocks, floor(size / blocksize) of them (Dask's read_bytes), at least one.
      expect(b.npartitions).toBe(Math.max(1, Math.floor(size / blocksize)));
      expect(await b.compute()).toEqual(POEM);
    },
  );

  it('keeps a trailing empty line and reads empty files as no lines', async () => {
    file('blank-end.txt', 'a\n\n');
    file('empty.txt', '');
    expect(await readText(join(dir, 'blank-end.txt'), { blocksize: 1 }).compute()).toEqual([
      'a',
      '',
    ]);
    expect(await readText(join(dir, 'empty.txt')).compute()).toEqual([]);
  });

  it('never splits a multi-byte character, whatever the block boundaries', async () => {
    const text = `${'ünïcödé ✓✓ '.repeat(5)}\n`.repeat(20);
    const path = file('unicode.txt', text);
    for (const blocksize of [3, 17, 100]) {
      expect(await readText(path, { blocksize }).compute()).toEqual(text.split('\n').slice(0, -1));
    }
  });

  it('expands globs in name order, and lists of paths, each file once', async () => {
    file('logs/b.log', 'b1\nb2\n');
    file('logs/a.log', 'a1\n');
    file('logs/c.txt', 'not me\n');
    const b = readText(join(dir, 'logs/*.log'));
    expect(b.npartitions).toBe(2);
    expect(await b.compute()).toEqual(['a1', 'b1', 'b2']);
    expect(await readText([join(dir, 'logs/c.txt'), join(dir, 'logs/*.txt')]).compute()).toEqual([
      'not me',
    ]);
  });

  it('includes the path with each line on request', async () => {
    const path = file('tiny.txt', 'x\ny\n');
    expect(await readText(path, { includePath: true }).compute()).toEqual([
      ['x', path],
      ['y', path],
    ]);
  });

  it.each(SCHEDULERS)(
    'reads gzip files whole, one partition each, next to plain files (%s)',
    async (s) => {
      file('mixed/1.txt.gz', gzipSync('g1\ng2\n'));
      file('mixed/2.txt', 'p1\np2\n');
      file('mixed/3.gz', Buffer.concat([gzipSync('m1\n'), gzipSync('m2\n')]));
      const b = readText(join(dir, 'mixed/*'), { blocksize: 2 });
      expect(b.npartitions).toBe(1 + 3 + 1);
      expect(await run(b, s)).toEqual(['g1', 'g2', 'p1', 'p2', 'm1', 'm2']);
      expect(
        await run(readText(join(dir, 'mixed/2.txt'), { compression: 'gzip' }).count(), s).catch(
          (e) => e.message,
        ),
      ).toMatch(/is not a valid gzip file: incorrect header check, detected at byte offset/);
    },
  );

  it('names the file and byte offset of a broken gzip stream', async () => {
    const good = gzipSync(Buffer.from('some line of text\n'.repeat(2000)));
    const truncated = file('broken/truncated.gz', good.subarray(0, good.length - 20));
    const err = await readText(truncated)
      .compute()
      .catch((e) => e);
    expect(err.code).toBe('E_TASK_FAILED');
    expect(err.message).toContain(`File '${truncated}' is not a valid gzip file`);
    expect(err.message).toMatch(
      new RegExp(
        `at byte offset ${good.length - 20} of ${good.length - 20} \\(the file ends too early`,
      ),
    );

    const garbage = Buffer.from(good);
    garbage.fill(0xff, 30, 60); // damage inside the deflate data
    const damaged = file('broken/damaged.gz', garbage);
    const err2 = await readText(damaged)
      .compute()
      .catch((e) => e);
    const at = Number(/at byte offset (\d+)/.exec(err2.message)?.[1]);
    expect(err2.message).toContain(`File '${damaged}' is not a valid gzip file`);
    expect(at).toBeGreaterThanOrEqual(30);
    expect(at).toBeLessThan(good.length);
  });

  it('names the file and byte offset of invalid UTF-8, counted from the start of the file', async () => {
    const bytes = Buffer.concat([
      Buffer.from('fine line\nsecond fine line\nbad: '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(' end\n'),
    ]);
    const path = file('latin.txt', bytes);
    const offset = Buffer.byteLength('fine line\nsecond fine line\nbad: ');
    for (const blocksize of [null, 12, 1000]) {
      const err = await readText(path, { blocksize })
        .compute()
        .catch((e) => e);
      expect(err.message).toContain(
        `File '${path}' is not valid UTF-8: the byte sequence at byte offset ${offset} (starting 0xc3)`,
      );
    }
    expect(await readText(path, { encoding: 'latin1' }).compute()).toEqual([
      'fine line',
      'second fine line',
      'bad: Ã( end',
    ]);
    const counted = readText(path, { blocksize: 12 }).str.split().flatten().frequencies();
    await expect(counted.compute()).rejects.toThrow(
      `is not valid UTF-8: the byte sequence at byte offset ${offset}`,
    );
    expect(
      await readText(path, { encoding: 'latin1' }).str.split().flatten().frequencies().compute(),
    ).toEqual([
      ['fine', 2],
      ['line', 2],
      ['second', 1],
      ['bad:', 1],
      ['Ã(', 1],
      ['end', 1],
    ]);
    const gz = file('latin.txt.gz', gzipSync(bytes));
    await expect(readText(gz).compute()).rejects.toThrow(
      `File '${gz}' (after gunzip) is not valid UTF-8: the byte sequence at byte offset ${offset}`,
    );
  });

  it('drops a UTF-8 byte order mark at the start of a file', async () => {
    const path = file(
      'bom.txt',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\nb\n')]),
    );
    expect(await readText(path, { blocksize: 2 }).compute()).toEqual(['a', 'b']);
  });

  it('fails when the bag is built for missing files, empty globs and bad options', () => {
    expect(() => readText(join(dir, 'nope.txt'))).toThrow(/cannot read '.*nope.txt': no such file/);
    expect(() => readText(join(dir, '*.nothing'))).toThrow(/no files match/);
    expect(() => readText(dir)).toThrow(/is not a file; use a glob/);
    expect(() => readText(poem, { blocksize: 0 })).toThrow(
      /blocksize must be a positive number of bytes or null/,
    );
    expect(() => readText(poem, { encoding: 'utf16' as 'utf8' })).toThrow(
      /encoding must be 'utf8' or 'latin1'/,
    );
  });

  it('gives new keys when a file changes', async () => {
    const path = file('changing.txt', 'v1\n');
    const before = readText(path).name;
    writeFileSync(path, 'version 2\n');
    expect(readText(path).name).not.toBe(before);
    expect(await readText(path).compute()).toEqual(['version 2']);
  });
});
