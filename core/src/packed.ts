/**
 * Arrays with one hidden class whichever tier of V8 made them. `Array.prototype.map` run as
 * the builtin returns a packed array, but inlined into TurboFan code a holey one (Node 20,
 * V8 11.3). Code reading arrays that its caller made sometimes in one tier and sometimes in
 * the other met a map its optimized code had not seen, deoptimized and was compiled again:
 * groupby's per-partition arrays every ~37 computes in each pool worker (~38 ms of
 * synchronous compile each time), the pool's state in the caller (placement, finish, fill
 * all at once, compiled again on V8's helper threads, which share the two cores with the
 * workers), and Arrow's constructors fed our column lists. Pushing onto an empty array
 * gives a packed one in every tier.
 */

/** `xs.map(f)` as a packed array in every tier. @example mapPacked([1, 2], (x) => x * 2) */
export function mapPacked<T, U>(xs: ArrayLike<T>, f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}

/** An array of `n` copies of `value`, packed (`new Array(n).fill(v)` stays holey). */
export function filledPacked<T>(n: number, value: T): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(value);
  return out;
}
