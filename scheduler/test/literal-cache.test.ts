// Literals a thread worker keeps between computes (literal-cache.ts): a value on shared
// memory goes to a worker whole once, then by number; what the worker keeps follows what
// the pool believes it keeps, across evictions, garbage and worker crashes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeValue,
  encodeValue,
  graphFrom,
  literal,
  ref,
  registerCodec,
  task,
  toFnRef,
} from '@dusk/core';
import { closePools, getPool, getScheduler } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { KeptLiterals } from '../src/local/literal-cache.js';
import { Box, sharedBox, t } from './fixtures/pool-tasks.mjs';

afterAll(() => closePools());

describe('kept literals: encoding', () => {
  it('sends a shared value whole once, then by number, and the receiver reuses its copy', async () => {
    const box = sharedBox('s', [1, 2, 3]);
    const sent: number[][] = [];
    const cache = new KeptLiterals((ids) => sent.push(ids));
    const kept = new Map<number, unknown>();

    const first = structuredClone(encodeValue([box, box], cache).value) as any[];
    expect(first[0]).toMatchObject({ __duskCodec: 'test-box', header: { label: 's' } });
    const id = first[0].ref;
    expect(typeof id).toBe('number');
    const a = (await decodeValue(first, kept)) as Box[];
    expect(a[0]).toBeInstanceOf(Box);
    expect(a[1]).toBe(a[0]);
    expect(kept.size).toBe(1);

    const second = structuredClone(encodeValue({ again: box }, cache).value) as any;
    expect(second.again.header).toBeUndefined();
    expect(second.again.buffers).toBeUndefined();
    expect(second.again.ref).toBe(id);
    const b = (await decodeValue(second, kept)) as { again: Box };
    expect(b.again).toBe(a[0]);
    expect(b.again.total()).toBe(6);
    cache.close();
  });

  it('keeps nothing from a message that fails to encode (it is never sent)', () => {
    class Bomb {}
    registerCodec<Bomb>({
      name: 'test-bomb',
      module: 'test-bomb-module',
      test: (v): v is Bomb => v instanceof Bomb,
      encode: () => {
        throw new Error('cannot encode a bomb');
      },
      decode: () => new Bomb(),
    });
    const cache = new KeptLiterals(() => {});
    const box = sharedBox('before', [1, 2]);
    expect(() => encodeValue([box, new Bomb()], cache)).toThrow(/cannot encode a bomb/);
    expect(cache.size).toBe(0);
    const again = encodeValue([box], cache).value as any[];
    expect(again[0].header).toEqual({ label: 'before' });
    expect(cache.size).toBe(1);
    cache.close();
  });

  it('does not keep values on ordinary memory (a kept copy would double them)', () => {
    const box = new Box('plain', new Float64Array([1, 2]));
    const cache = new KeptLiterals(() => {});
    for (let i = 0; i < 2; i++) {
      const out = encodeValue([box], cache).value as any[];
      expect(out[0].header).toEqual({ label: 'plain' });
      expect(out[0].ref).toBeUndefined();
    }
    expect(cache.size).toBe(0);
    cache.close();
  });

  it('refuses a value sent by number to a receiver that does not keep it, naming the codec', async () => {
    const marker = { __duskCodec: 'test-box', module: undefined, ref: 12345 };
    await expect(decodeValue([marker], new Map())).rejects.toThrow(
      /'test-box' value arrived by number \(12345\) but this receiver does not keep it/,
    );
    await expect(decodeValue([marker])).rejects.toThrow(/does not keep it/);
  });
});

describe('kept literals: what the pool believes the worker keeps', () => {
  it('evicts the least recently sent beyond its size, riding on the next message', () => {
    const cache = new KeptLiterals(() => {}, 2);
    cache.add(1);
    cache.add(2);
    expect(cache.has(1)).toBe(true); // 1 is now the most recent
    cache.add(3);
    expect(cache.takeEvicted()).toEqual([2]);
    expect(cache.takeEvicted()).toBeUndefined();
    expect(cache.has(2)).toBe(false);
    expect([cache.has(1), cache.has(3)]).toEqual([true, true]);
    cache.close();
  });

  it('keeps a value evicted and sent whole again within one message', () => {
    const cache = new KeptLiterals(() => {}, 2);
    cache.add(1);
    cache.add(2);
    cache.add(3); // evicts 1
    cache.add(1); // sent whole again in the same message: evicts 2, and 1 stays kept
    expect(cache.takeEvicted()).toEqual([2]);
    expect(cache.has(1)).toBe(true);
    cache.close();
  });

  it('tells the worker to let go of values that are garbage here, in one message', async () => {
    const sent: number[][] = [];
    const cache = new KeptLiterals((ids) => sent.push(ids));
    cache.add(7);
    cache.add(8);
    cache.forget(7);
    cache.forget(8);
    cache.forget(9); // never kept: nothing to say
    expect(sent).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([[7, 8]]);
    expect(cache.size).toBe(0);
    cache.close();
  });
});

describe('kept literals on the thread pool', () => {
  it('moves a shared literal to a worker once over several computes, with the same results', async () => {
    const n = 50_000;
    const box = sharedBox(
      'lit',
      Array.from({ length: n }, (_, i) => i),
    );
    const g = graphFrom({ box: literal(box), total: task(toFnRef(t.boxTotal!), [ref('box')]) });
    const pool = getPool('threads');
    const bytes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = pool.stats.taskBytes;
      const [total] = await getScheduler('threads', { workers: 1 }).run(g, ['total']);
      expect(total).toBe(`lit:${(n * (n - 1)) / 2}`);
      bytes.push(pool.stats.taskBytes - before);
    }
    expect(bytes[0]).toBeGreaterThanOrEqual(8 * n);
    expect(bytes.slice(1)).toEqual([0, 0, 0]);
  });

  it('tells the worker to let go of a kept literal once it is garbage here', () => {
    // In a child process run with --expose-gc, so the test can collect the literal.
    const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'kept-gc.mjs');
    const out = JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' }).trim(),
    );
    expect(out.first).toBe(`gc:${(10_000 * 9_999) / 2}`);
    expect(out.second).toBe(out.first);
    expect(out.after).toBeGreaterThan(out.before);
  });

  it('starts over when a message fails to post, so the next compute needs no crash to recover', async () => {
    const box = sharedBox('unsent', [1, 2, 3]);
    const pool = getPool('threads');
    const sched = getScheduler('threads', { workers: 1 });
    const ids = pool.workerIds();
    // The box goes in the same message as an argument structured clone refuses.
    const bad = graphFrom({
      s: task(
        toFnRef((b: Box, _x: unknown) => b.total()),
        [box, Symbol('no clone')],
      ),
    });
    await expect(sched.run(bad, ['s'])).rejects.toThrow(/could not be cloned/);
    const good = graphFrom({ box: literal(box), s: task(toFnRef(t.boxTotal!), [ref('box')]) });
    expect(await sched.run(good, ['s'])).toEqual(['unsent:6']);
    expect(pool.workerIds().slice(0, 1)).toEqual(ids.slice(0, 1));
  });

  it('sends the literal whole again to the worker that replaces a crashed one', async () => {
    const box = sharedBox('crash', [1, 2, 3, 4]);
    const marker = join(mkdtempSync(join(tmpdir(), 'dusk-kept-')), 'crashed');
    const total = (b: Box, x: number) => b.total() + x;
    const warm = graphFrom({ box: literal(box), s: task(toFnRef(t.boxTotal!), [ref('box')]) });
    await getScheduler('threads', { workers: 1 }).run(warm, ['s']);
    // The worker that kept the box dies; its replacement must get the box whole.
    const g = graphFrom({
      box: literal(box),
      crash: task(toFnRef(t.exitOnce!), [marker, 1]),
      out: task(toFnRef(total), [ref('box'), ref('crash')]),
    });
    const [out] = await getScheduler('threads', { workers: 1 }).run(g, ['out']);
    expect(out).toBe(12);
  });
});
