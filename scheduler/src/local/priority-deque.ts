/**
 * A worker's deque of ready tasks, ordered by priority (the shared ordering): the worker
 * takes from the front (smallest priority, the depth-first next step) and a thief steals
 * from the back (the work the owner would reach last). Two binary heaps with lazy
 * deletion give O(log n) at both ends.
 */

/** Priority deque of task indices (an index is its priority). */
export class PriorityDeque {
  private readonly min: number[] = [];
  private readonly max: number[] = [];
  private readonly present = new Set<number>();

  get size(): number {
    return this.present.size;
  }

  has(i: number): boolean {
    return this.present.has(i);
  }

  /** Removes `i` wherever it is; says whether it was there. */
  delete(i: number): boolean {
    if (!this.present.delete(i)) return false;
    this.compact();
    return true;
  }

  push(i: number): void {
    if (this.present.has(i)) return;
    this.present.add(i);
    siftUp(this.min, i, less);
    siftUp(this.max, i, greater);
  }

  /** Removes and returns the smallest index (the owner's next task). */
  popFront(): number | undefined {
    return this.pop(this.min, less);
  }

  /** Removes and returns the largest index (what a thief takes). */
  popBack(): number | undefined {
    return this.pop(this.max, greater);
  }

  /** Every index held, in no particular order. */
  values(): number[] {
    return [...this.present];
  }

  clear(): void {
    this.min.length = 0;
    this.max.length = 0;
    this.present.clear();
  }

  private pop(heap: number[], before: (a: number, b: number) => boolean): number | undefined {
    while (heap.length > 0) {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, before);
      }
      if (this.present.delete(top)) {
        this.compact();
        return top;
      }
    }
    return undefined;
  }

  // Lazy deletion leaves stale entries in the other heap; rebuild when they dominate.
  private compact(): void {
    const live = this.present.size;
    if (this.min.length > 2 * live + 32) rebuild(this.min, this.present, less);
    if (this.max.length > 2 * live + 32) rebuild(this.max, this.present, greater);
  }
}

const less = (a: number, b: number) => a < b;
const greater = (a: number, b: number) => a > b;

function siftUp(heap: number[], x: number, before: (a: number, b: number) => boolean): void {
  let i = heap.length;
  heap.push(x);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(x, heap[parent]!)) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = x;
}

function siftDown(heap: number[], before: (a: number, b: number) => boolean): void {
  const n = heap.length;
  const x = heap[0]!;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
    if (!before(heap[c]!, x)) break;
    heap[i] = heap[c]!;
    i = c;
  }
  heap[i] = x;
}

function rebuild(heap: number[], live: Set<number>, before: (a: number, b: number) => boolean) {
  const items = [...live];
  heap.length = 0;
  for (const x of items) siftUp(heap, x, before);
}
