import { codecFor, getCodec } from '@dusk/core';
import { fromColumns } from '@dusk/dataframe';
import { decodeTable, encodeTable } from '@dusk/dataframe/kernels';
import type * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';

describe('arrow-table codec', () => {
  const df = fromColumns(
    {
      f: [1.5, null, 3],
      i: Int32Array.of(1, 2, 3),
      s: ['a', null, 'b'],
      b: [true, false, null],
      big: BigInt64Array.of(1n, 2n, 3n),
    },
    { npartitions: 2 },
  );
  const tables = (df.plan as any).source.tables as A.Table[];

  it('is registered by importing the kernels module', () => {
    expect(getCodec('arrow-table')?.module).toBe('@dusk/dataframe/kernels');
    expect(codecFor(tables[0])?.name).toBe('arrow-table');
  });

  it('encodes a table as a plain header and views on its buffers (no copy), and decodes it back', () => {
    for (const t of tables) {
      const { header, buffers } = encodeTable(t);
      expect(JSON.parse(JSON.stringify(header))).toEqual(header);
      const f = t.getChild('f')!.data[0]!;
      expect(buffers.some((b) => b.buffer === (f.values as Float64Array).buffer)).toBe(true);
      const back = decodeTable(
        structuredClone(header),
        buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
      );
      expect(back.toArray().map((r) => r.toJSON())).toEqual(t.toArray().map((r) => r.toJSON()));
      expect(String(back.schema)).toBe(String(t.schema));
    }
  });

  it('copies only buffers that arrive unaligned', () => {
    const { header, buffers } = encodeTable(tables[1]!);
    const shifted = buffers.map((b) => {
      const raw = new Uint8Array(b.byteLength + 1);
      raw.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), 1);
      return raw.subarray(1);
    });
    expect(decodeTable(header, shifted).getChild('f')!.toArray()).toEqual(
      tables[1]!.getChild('f')!.toArray(),
    );
  });

  it('keeps the schema of an empty table', () => {
    const empty = tables[0]!.slice(0, 0);
    const { header, buffers } = encodeTable(empty);
    expect(decodeTable(header, buffers as Uint8Array[]).schema.fields.map((f) => f.name)).toEqual([
      'f',
      'i',
      's',
      'b',
      'big',
    ]);
  });
});
