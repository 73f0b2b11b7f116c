/**
 * Output buffers for kernels. Large typed arrays are allocated on SharedArrayBuffer so a
 * chunk made on one worker thread can be read by another thread or the caller without a
 * copy (DESIGN: no copy of a large payload between threads). Small ones stay ordinary:
 * sharing them saves nothing and SharedArrayBuffer allocation has a fixed cost.
 */

export type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray
  | BigInt64Array
  | BigUint64Array;

export interface TypedArrayConstructor<T extends TypedArray = TypedArray> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Below this many bytes, buffers are ordinary ArrayBuffers. */
export const SHARED_MIN_BYTES = 64 * 1024;

let sharingEnabled = typeof SharedArrayBuffer === 'function';

/**
 * A zero-filled typed array of `length` elements; shared memory when large.
 * @example const out = allocate(Float64Array, chunk.length);
 */
export function allocate<T extends TypedArray>(ctor: TypedArrayConstructor<T>, length: number): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  if (sharingEnabled && bytes >= SHARED_MIN_BYTES)
    return new ctor(new SharedArrayBuffer(bytes), 0, length);
  return new ctor(length);
}

/** Turns shared allocation off or on (off: for tests that compare with plain buffers). */
export function setSharedAllocation(on: boolean): void {
  sharingEnabled = on && typeof SharedArrayBuffer === 'function';
}

/** Whether a typed array lives on shared memory (crosses threads without a copy). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
}
