/**
 * dtypes: names, sizes, and the result dtype of an operation, following NumPy's promotion
 * rules (NEP 50: a JS number operand is "weak" and does not widen an array's dtype, except
 * that a fractional number makes an integer array float64). int64/uint64 are stored in
 * BigInt arrays: creation, indexing, rechunking, `astype`, and the exact operations of
 * big.ts; they do not mix with other dtypes.
 */
import { DtypeError } from '@dusk/core';
import { DTYPE_CTORS, type Dtype, isBigDtype } from './kernels/chunk.js';

export { DTYPE_CTORS, type Dtype, isBigDtype };

/** Every dtype name. @example DTYPES.includes('float32') // true */
export const DTYPES = Object.keys(DTYPE_CTORS) as Dtype[];

/** Bytes per element. @example itemsize('float32') // 4 */
export function itemsize(dtype: Dtype): number {
  return DTYPE_CTORS[dtype].BYTES_PER_ELEMENT;
}

/** Checks a user-given dtype name. */
export function checkDtype(dtype: unknown, where: string): Dtype {
  if (typeof dtype === 'string' && dtype in DTYPE_CTORS) return dtype as Dtype;
  throw new DtypeError(
    `${where}: unknown dtype '${String(dtype)}'. Known dtypes: ${DTYPES.join(', ')}.`,
  );
}

/** The dtype of a typed array (Uint8Array is uint8; pass dtype 'bool' to mean booleans). */
export function dtypeOfArray(a: ArrayBufferView): Dtype {
  for (const d of DTYPES) if (d !== 'bool' && a instanceof DTYPE_CTORS[d]) return d;
  throw new DtypeError(
    `Unsupported typed array ${a.constructor.name}; use one of ${DTYPES.join(', ')}.`,
  );
}

export const isFloat = (d: Dtype) => d === 'float64' || d === 'float32';
const isSigned = (d: Dtype) => d.startsWith('int');
const bits = (d: Dtype) => (d === 'bool' ? 1 : itemsize(d) * 8);

/**
 * The common dtype of two arrays, as NumPy's `result_type` (int32 with uint32 gives float64,
 * where NumPy gives int64: 64-bit integers do not mix with other dtypes here).
 * @example promoteTypes('int16', 'float32') // 'float32'
 */
export function promoteTypes(a: Dtype, b: Dtype, where = 'promoteTypes'): Dtype {
  if (isBigDtype(a) || isBigDtype(b)) {
    if (a === b) return a;
    throw new DtypeError(
      `${where}: mismatched dtypes ${a} and ${b}. 64-bit integer arrays do not mix with other dtypes; convert one with .astype('${isBigDtype(a) ? b : a}').`,
    );
  }
  if (a === b) return a;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  if (isFloat(a) || isFloat(b)) {
    if (a === 'float64' || b === 'float64') return 'float64';
    const other = a === 'float32' ? b : a;
    return bits(other) <= 16 ? 'float32' : 'float64';
  }
  if (isSigned(a) === isSigned(b)) return bits(a) >= bits(b) ? a : b;
  const [s, u] = isSigned(a) ? [a, b] : [b, a];
  if (bits(s) > bits(u)) return s;
  return bits(u) === 8 ? 'int16' : bits(u) === 16 ? 'int32' : 'float64';
}

/** The dtype of `array op scalar` for a JS number or boolean (weak scalar). */
export function promoteScalar(d: Dtype, v: number | boolean): Dtype {
  if (typeof v === 'boolean') return d;
  if (d === 'bool') return Number.isInteger(v) ? 'int32' : 'float64';
  if (!isFloat(d) && !Number.isInteger(v)) return 'float64';
  return d;
}

/** The dtype of a reduction's result. */
export function reductionDtype(op: string, d: Dtype): Dtype {
  if (isBigDtype(d)) return d;
  switch (op) {
    case 'min':
    case 'max':
      return d;
    case 'any':
    case 'all':
      return 'bool';
    case 'mean':
    case 'var':
    case 'std':
      return d === 'float32' ? 'float32' : 'float64';
    default:
      // sum, prod (float64 holds every int32 sum exactly up to 2**53), argmin/argmax, counts.
      return d === 'float32' && (op === 'sum' || op === 'prod') ? 'float32' : 'float64';
  }
}
