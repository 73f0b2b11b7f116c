// core's value encoder, as the pools use it: codec-handled values anywhere in arrays and
// plain objects become markers and come back; everything else is left as is.
import { decodeValue, encodeValue, isEncodedValue } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { Box } from './fixtures/pool-tasks.mjs';

describe('value codec', () => {
  it('leaves values without codec-handled parts untouched (same object, not a copy)', () => {
    const v = { a: [1, 2, { b: new Float64Array(3) }], s: 'x' };
    const { value, encoded } = encodeValue(v);
    expect(encoded).toBe(false);
    expect(value).toBe(v);
  });

  it('encodes nested codec values without touching the input, and decodes them back', async () => {
    const box = new Box('b', new Float64Array([1, 2, 3]));
    const input = { rows: [1, box], meta: { first: box } };
    const { value, encoded } = encodeValue(input);
    expect(encoded).toBe(true);
    expect(input.rows[1]).toBe(box);
    const sent = structuredClone(value) as any;
    expect(isEncodedValue(sent.rows[1])).toBe(true);
    expect(sent.rows[1]).toMatchObject({ __duskCodec: 'test-box', header: { label: 'b' } });
    const back = (await decodeValue(sent)) as any;
    expect(back.rows[0]).toBe(1);
    expect(back.rows[1]).toBeInstanceOf(Box);
    expect(back.meta.first.total()).toBe(6);
  });

  it('finds codec values however deep they sit, and keeps shared parts shared', async () => {
    const box = new Box('deep', new Float64Array([4]));
    let nested: any = { box };
    for (let i = 0; i < 30; i++) nested = { inner: nested, alsoBox: i === 29 ? box : undefined };
    const shared = { x: 1 };
    const { value } = encodeValue([nested, shared, shared]);
    const back = (await decodeValue(structuredClone(value))) as any[];
    let v = back[0];
    for (let i = 0; i < 30; i++) v = v.inner;
    expect(v.box).toBeInstanceOf(Box);
    expect(back[0].alsoBox).toBe(v.box);
    expect(back[1]).toBe(back[2]);
  });

  it('encodes and decodes a codec value given alone, and counts the bytes a message carries', async () => {
    const box = new Box('alone', new Float64Array([1, 2, 3, 4]));
    const { value, encoded, bytes } = encodeValue(box);
    expect(encoded).toBe(true);
    expect(isEncodedValue(value)).toBe(true);
    expect(bytes).toBe(32);
    const back = (await decodeValue(structuredClone(value))) as Box;
    expect(back).toBeInstanceOf(Box);
    expect(back.total()).toBe(10);
    const plain = encodeValue({ a: new Int32Array(5), b: [new Uint8Array(3), 'x'] });
    expect(plain.bytes).toBe(23);
    expect(plain.encoded).toBe(false);
  });

  it('ends cycles, leaving the object reached again as it is, and copies only what changed', async () => {
    const box = new Box('c', new Float64Array([5]));
    const cyclic: any = { box, list: [1, 2] };
    cyclic.self = cyclic;
    const untouched = { n: 1, deep: { m: [2] } };
    const { value } = encodeValue([cyclic, untouched]);
    const out = value as any[];
    expect(out[1]).toBe(untouched);
    expect(out[0]).not.toBe(cyclic);
    expect(isEncodedValue(out[0].box)).toBe(true);
    expect(out[0].list).toBe(cyclic.list);
    expect(out[0].self).toBe(cyclic);
    expect(cyclic.box).toBe(box);
  });

  it('says where each marker sits, and a receiver given the paths decodes the same', async () => {
    const a = new Box('a', new Float64Array([1]));
    const b = new Box('b', new Float64Array([2, 3]));
    const input = [[0, 'k', { fn: 'f', args: [{ quote: a }, { quote: { spec: [1, 2] } }, b] }], a];
    const { value, paths } = encodeValue(input);
    expect(paths).toEqual([[0, 2, 'args', 0, 'quote'], [0, 2, 'args', 2], [1]]);
    const byPaths = (await decodeValue(structuredClone(value), undefined, paths)) as any[];
    const byWalk = (await decodeValue(structuredClone(value))) as any[];
    for (const out of [byPaths, byWalk]) {
      expect(out[0][2].args[0].quote.total()).toBe(1);
      expect(out[0][2].args[2].total()).toBe(5);
      expect(out[1]).toBe(out[0][2].args[0].quote);
    }
    const alone = encodeValue(a);
    expect(alone.paths).toEqual([[]]);
    expect(((await decodeValue(alone.value, undefined, alone.paths)) as Box).label).toBe('a');
    await expect(decodeValue(structuredClone(value), undefined, [[0, 1]])).rejects.toThrow(
      /marker path \[0, 1\] does not lead to an encoded value/,
    );
  });

  it('refuses a marker naming a codec nobody registers', async () => {
    const marker = { __duskCodec: 'no-such-codec', module: undefined, header: null, buffers: [] };
    await expect(decodeValue([marker])).rejects.toThrow(/No codec named 'no-such-codec'/);
  });
});
