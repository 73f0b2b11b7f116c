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

  it('sizes a table by the bytes of its buffers, for placement', () => {
    const nbytes = codecFor(tables[0])!.nbytes!;
    const one = fromColumns({ x: new Float64Array(1000), y: new Int32Array(1000) });
    const t = (one.plan as any).source.tables[0] as A.Table;
    expect(nbytes(t)).toBe(8000 + 4000);
    // A slice of a larger buffer counts the slice, not the buffer it views.
    const half = (fromColumns({ x: new Float64Array(1000) }, { npartitions: 2 }).plan as any).source
      .tables[0] as A.Table;
    expect(nbytes(half)).toBe(4000);
  });

  it('encodes a table as a plain header and views on its buffers (no copy), and decodes it back', () => {
    for (const t of tables) {
      const { header, buffers } = encodeTable(t);
      expect(JSON.parse(JSON.stringify(header))).toEqual(header);
      const back = decodeTable(
        structuredClone(header),
        buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
      );
      expect(back.toArray().map((r) => r.toJSON())).toEqual(t.toArray().map((r) => r.toJSON()));
      expect(String(back.schema)).toBe(String(t.schema));
    }
  });

  it('passes shared buffers as views and copies only the slice of an ordinary buffer', () => {
    const big = new Float64Array(new SharedArrayBuffer(8 * 100_000));
    const shared = (fromColumns({ x: big }, { npartitions: 4 }).plan as any).source
      .tables as A.Table[];
    const enc = encodeTable(shared[2]!);
    expect(enc.buffers[0]!.buffer).toBe(big.buffer);
    const plain = (
      fromColumns({ x: new Float64Array(100_000) }, { npartitions: 4, shared: false }).plan as any
    ).source.tables as A.Table[];
    const b = encodeTable(plain[2]!).buffers[0]!;
    expect(b.byteLength).toBe(8 * 25_000);
    expect(b.buffer.byteLength).toBe(8 * 25_000);
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
