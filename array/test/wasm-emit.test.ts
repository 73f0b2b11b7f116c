import { describe, expect, it } from 'vitest';
import { I32, I64, moduleBytes, op, sleb, uleb } from '../src/kernels/wasm-emit.js';

/** @types/node 20 does not declare WebAssembly. */
const wasm = (globalThis as any).WebAssembly;

describe('wasm assembler', () => {
  it('encodes LEB128 as the spec examples do', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456n)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(63n)).toEqual([0x3f]);
    expect(sleb(64n)).toEqual([0xc0, 0x00]);
    expect(sleb(-(1n << 63n))).toHaveLength(10);
  });

  it('emits a module that validates and runs (a loop, i64 memory, an export)', () => {
    // count(p, n): stores n at memory[p] as i64 after counting it down in a loop, returns 7.
    const count = {
      name: 'count',
      params: [I32, I32],
      results: [I32],
      locals: [I64],
      body: [
        ...op.block,
        ...op.loop,
        ...[...op.get(1), ...op.i32Eqz, ...op.brIf(1)],
        ...[...op.get(1), ...op.i32Const(1), ...op.i32Sub, ...op.set(1)],
        ...[...op.get(2), ...op.i64Const(1n), 0x7c /* i64.add */, ...op.set(2)],
        ...op.br(0),
        ...op.end,
        ...op.end,
        ...[...op.get(0), ...op.get(2), ...op.i64Store(0)],
        ...op.i32Const(7),
      ],
    } as const;
    const bytes = moduleBytes([count], 1);
    expect(wasm.validate(bytes)).toBe(true);
    const e = new wasm.Instance(new wasm.Module(bytes)).exports;
    expect(e.count(8, 1000)).toBe(7);
    expect(new BigInt64Array(e.memory.buffer, 8, 1)[0]).toBe(1000n);
  });
});
