/**
 * Which connected worker threads a compute runs on, pure functions over loads. A compute
 * on the cluster is a local-pool compute whose slots are remote threads: it takes the
 * least busy threads when it starts; a slot whose thread leaves is given to a thread the
 * compute does not use yet if one is connected, else to its least busy thread (two slots
 * then share one thread, told apart by the slot in the run id on the wire).
 */

/**
 * Indices of the threads a new compute uses: all of them, or the `want` least loaded,
 * least loaded first (ties by joining order).
 * @example pickSlots([3, 0, 1], 2) // [1, 2]
 */
export function pickSlots(loads: readonly number[], want?: number): number[] {
  const order = loads.map((_, i) => i).sort((a, b) => loads[a]! - loads[b]! || a - b);
  return order.slice(0, Math.min(want ?? order.length, order.length));
}

/**
 * The thread that takes over a slot: the least loaded thread not in `used`, else the least
 * loaded of all; undefined when none is connected.
 * @example pickReplacement([5, 1, 0], new Set([2])) // 1
 */
export function pickReplacement(
  loads: readonly number[],
  used: ReadonlySet<number>,
): number | undefined {
  const order = pickSlots(loads);
  return order.find((i) => !used.has(i)) ?? order[0];
}

/** The run id a slot's thread sees: the compute's run id and the slot. */
export function wireRun(run: string, slot: number): string {
  return `${run}:${slot}`;
}

/**
 * Splits a run id from a thread into compute id, the compute's run id and the slot.
 * @example parseWireRun('4.0:1') // { compute: 4, run: '4.0', slot: 1 }
 */
export function parseWireRun(
  s: string,
): { compute: number; run: string; slot: number } | undefined {
  const m = /^(\d+)\.\d+:(\d+)$/.exec(s);
  if (!m) return undefined;
  return { compute: Number(m[1]), run: s.slice(0, s.indexOf(':')), slot: Number(m[2]) };
}
