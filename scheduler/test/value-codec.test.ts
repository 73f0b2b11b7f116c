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

  it('refuses a marker naming a codec nobody registers', async () => {
    const marker = { __duskCodec: 'no-such-codec', module: undefined, header: null, buffers: [] };
    await expect(decodeValue([marker])).rejects.toThrow(/No codec named 'no-such-codec'/);
  });
});
