/**
 * The in-memory result of computing an array: a typed array in C order and a shape, with
 * element access, conversion to nested JS arrays, and a NumPy-like printout.
 */
import { InvalidArgumentError, type TypedArray } from '@dusk/core';
import type { Dtype } from './dtype.js';
import { cStrides, sizeOf } from './kernels/chunk.js';

/** Printed lines are wrapped at this width, as NumPy's `linewidth`. */
const LINE_WIDTH = 75;

/** Joins the items of an innermost row, breaking lines before they pass LINE_WIDTH. */
function wrapRow(parts: readonly string[], indent: string): string {
  let out = '';
  let col = indent.length;
  for (let i = 0; i < parts.length; i++) {
    const item = i < parts.length - 1 ? `${parts[i]},` : parts[i]!;
    if (i > 0 && col + 1 + item.length > LINE_WIDTH) {
      out += `\n${indent}`;
      col = indent.length;
    } else if (i > 0) {
      out += ' ';
      col++;
    }
    out += item;
    col += item.length;
  }
  return out;
}

/** Above this many elements, printing shows the first and last EDGE items of each axis. */
const PRINT_THRESHOLD = 1000;
const EDGE = 3;

export type Scalar = number | boolean | bigint;

/**
 * A computed n-d array.
 * @example
 * const m = await da.arange(6).rechunk(2).compute();
 * m.get(4); // 4
 * m.toArray(); // [0, 1, 2, 3, 4, 5]
 */
export class NdArray {
  constructor(
    readonly data: TypedArray,
    readonly shape: readonly number[],
    readonly dtype: Dtype,
  ) {
    if (sizeOf(shape) !== data.length) {
      throw new InvalidArgumentError(
        `NdArray: shape (${shape.join(', ')}) does not hold ${data.length} elements.`,
      );
    }
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** The element at an index (negative indices count from the end). @example m.get(1, -1) */
  get(...index: number[]): Scalar {
    if (index.length !== this.shape.length) {
      throw new InvalidArgumentError(
        `get() takes ${this.shape.length} indices for shape (${this.shape.join(', ')}), got ${index.length}.`,
      );
    }
    const strides = cStrides(this.shape);
    let off = 0;
    for (let d = 0; d < index.length; d++) {
      const n = this.shape[d]!;
      const i = index[d]! < 0 ? index[d]! + n : index[d]!;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new InvalidArgumentError(
          `get(): index ${index[d]} is out of range for axis ${d} of length ${n}.`,
        );
      }
      off += i * strides[d]!;
    }
    return this.item(off);
  }

  private item(flat: number): Scalar {
    const v = this.data[flat]!;
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /** Nested JS arrays (booleans for bool, bigints for int64/uint64). @example m.toArray() */
  toArray(): unknown {
    if (this.shape.length === 0) return this.item(0);
    const build = (d: number, off: number): unknown[] => {
      const n = this.shape[d]!;
      const stride = sizeOf(this.shape.slice(d + 1));
      const out = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = d === this.shape.length - 1 ? this.item(off + i) : build(d + 1, off + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /** A NumPy-like printout, abbreviated with '...' for large arrays. */
  toString(): string {
    const summarize = this.size > PRINT_THRESHOLD;
    const fmt = (v: Scalar) =>
      typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(8))) : String(v);
    const strides = cStrides(this.shape);
    const render = (d: number, off: number, indent: string): string => {
      if (d === this.shape.length) return fmt(this.item(off));
      const n = this.shape[d]!;
      const picks: (number | null)[] = [];
      if (summarize && n > 2 * EDGE) {
        for (let i = 0; i < EDGE; i++) picks.push(i);
        picks.push(null);
        for (let i = n - EDGE; i < n; i++) picks.push(i);
      } else for (let i = 0; i < n; i++) picks.push(i);
      const inner = `${indent} `;
      const parts = picks.map((i) =>
        i === null ? '...' : render(d + 1, off + i * strides[d]!, inner),
      );
      if (d === this.shape.length - 1) return `[${wrapRow(parts, inner)}]`;
      return `[${parts.join(`,${'\n'.repeat(this.shape.length - 1 - d)}${inner}`)}]`;
    };
    return `array(${render(0, 0, '      ')}, dtype=${this.dtype})`;
  }
}
