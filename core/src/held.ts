/**
 * Held markers: what a persisted collection's graph holds in place of a partition that
 * stays on a worker (a `processes` pool or a cluster). A marker is plain data, so graphs
 * stay cloneable and printable; the scheduler that owns it reads the partition where it
 * is, any other scheduler asks the owner for the value first.
 */
import type { Graph, Key } from './graph.js';

/** A partition kept on a worker: who owns it, under which key, and its size. */
export interface HeldMarker {
  /** The owner (a pool or a cluster connection), as `heldOwner` names it. */
  readonly __duskHeld: string;
  readonly key: Key;
  readonly nbytes: number;
}

/** @example isHeldMarker({ __duskHeld: 'processes#1', key: 'x-1', nbytes: 8 }) // true */
export function isHeldMarker(v: unknown): v is HeldMarker {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { __duskHeld?: unknown }).__duskHeld === 'string' &&
    typeof (v as { key?: unknown }).key === 'string'
  );
}

/** The marker a graph node stands for, if it is a literal holding one. */
export function heldMarkerOf(node: unknown): HeldMarker | undefined {
  if (typeof node !== 'object' || node === null || !('value' in node)) return undefined;
  const v = (node as { value: unknown }).value;
  return isHeldMarker(v) ? v : undefined;
}

/** Every held marker in a graph, by the key of its node. */
export function heldMarkers(graph: Graph): Map<Key, HeldMarker> {
  const out = new Map<Key, HeldMarker>();
  for (const [k, node] of graph) {
    const m = heldMarkerOf(node);
    if (m) out.set(k, m);
  }
  return out;
}
