/**
 * Sizes of results, for placing tasks near their inputs, and the buffers a worker may hand
 * over without copying. Estimates only: a sample of a large array stands for the rest.
 */

import { codecFor } from '@dusk/core';

// Elements of an array or keys of an object looked at before extrapolating.
const SAMPLE = 32;
// Below this, copying a buffer costs less than transferring it.
const TRANSFER_MIN_BYTES = 64 * 1024;

/** Approximate bytes of a value (typed arrays exactly, containers by sampling). */
export function sizeOf(v: unknown, depth = 0): number {
  switch (typeof v) {
    case 'number':
      return 8;
    case 'string':
      return 2 * v.length;
    case 'object':
      break;
    default:
      return 8;
  }
  if (v === null) return 8;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return v.byteLength;
  const byteLength = (v as { byteLength?: unknown }).byteLength;
  if (typeof byteLength === 'number') return byteLength;
  if (depth > 3) return 64;
  // Class instances a codec handles (Arrow tables) say what their buffers hold. An estimate
  // is not worth a task: a codec whose nbytes throws is walked like any other value.
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null && !Array.isArray(v)) {
    const codec = codecFor(v);
    if (codec?.nbytes) {
      try {
        return codec.nbytes(v);
      } catch {
        // walked below
      }
    }
  }
  if (Array.isArray(v)) {
    const n = Math.min(v.length, SAMPLE);
    let s = 0;
    for (let i = 0; i < n; i++) s += sizeOf(v[i], depth + 1);
    return n === 0 ? 16 : Math.round((s * v.length) / n);
  }
  let s = 16;
  let k = 0;
  for (const key in v as object) {
    if (k++ >= SAMPLE) break;
    s += 2 * key.length + sizeOf((v as Record<string, unknown>)[key], depth + 1);
  }
  return s;
}

/** The buffers inside values on their way somewhere: what to transfer, and byte counts. */
export interface BufferScan {
  /** Ordinary ArrayBuffers of at least 64 KB, each once: a transfer list. */
  transfer: ArrayBuffer[];
  /** Bytes on ordinary buffers (copied by structured clone unless transferred). */
  plainBytes: number;
  /** Bytes on SharedArrayBuffers (shared between threads, never copied). */
  sharedBytes: number;
}

/** Walks `values` for typed arrays, counting their bytes and listing transferable buffers. */
export function scanBuffers(values: unknown[]): BufferScan {
  const seen = new Set<ArrayBufferLike>();
  const walked = new Set<object>();
  const scan: BufferScan = { transfer: [], plainBytes: 0, sharedBytes: 0 };
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || depth > 16 || walked.has(v)) return;
    walked.add(v);
    if (ArrayBuffer.isView(v)) {
      const b = v.buffer;
      if (seen.has(b)) return;
      seen.add(b);
      if (b instanceof ArrayBuffer) {
        scan.plainBytes += b.byteLength;
        if (b.byteLength >= TRANSFER_MIN_BYTES) scan.transfer.push(b);
      } else scan.sharedBytes += b.byteLength;
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], depth + 1);
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return;
    for (const k in v as object) visit((v as Record<string, unknown>)[k], depth + 1);
  };
  for (const v of values) visit(v, 0);
  return scan;
}

/**
 * Ordinary (not shared) ArrayBuffers of at least 64 KB inside `values`, each once: the
 * transfer list for values their sender is about to drop.
 */
export function transferables(values: unknown[]): ArrayBuffer[] {
  return scanBuffers(values).transfer;
}
