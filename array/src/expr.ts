/**
 * Blockwise fusion, done when an expression is built: an elementwise result keeps its
 * expression tree over "leaf" arrays (arrays made of stored or generated blocks), so
 * `(x * 2 + y.T) / 3` is one tree, and each output block is one task that reads the
 * leaves' blocks (through strides for transposes and broadcasting) or generates them in
 * place. Intermediates never become chunks. Chunk grids of the leaves are unified first.
 */
import {
  type Arg,
  type Graph,
  type Key,
  type Layer,
  layer,
  quote,
  ref,
  ShapeError,
  task,
  tokenize,
} from '@dusk/core';
import type { DuskArray, Leaf } from './array.js';
import {
  blockIndices,
  blockShapeOf,
  type Chunks,
  hasUnknown,
  numblocksOf,
  offsetsOf,
  sameChunks,
} from './chunks.js';
import type { Dtype } from './dtype.js';
import { UnknownChunksError } from './errors.js';
import { kernel } from './kernel-ref.js';
import { cStrides, sizeOf } from './kernels/chunk.js';
import type { BlockProgram, ExprTree, LeafSpec } from './kernels/expr-eval.js';

/** An expression over leaves with the shape it produces. */
export interface ExprParts {
  readonly tree: ExprTree;
  readonly leaves: readonly Leaf[];
  readonly shape: readonly number[];
}

/** The expression an array stands for: its own tree, or itself as a single leaf. */
export function partsOf(x: DuskArray): ExprParts {
  if (x.def.kind === 'expr') return { tree: x.def.tree, leaves: x.def.leaves, shape: x.shape };
  return { tree: { l: 0 }, leaves: [{ base: x, map: x.shape.map((_, i) => i) }], shape: x.shape };
}

/** NumPy broadcasting of several shapes; the error names every shape. @example broadcastShapes([[3, 1], [4]], 'add') // [3, 4] */
export function broadcastShapes(shapes: readonly (readonly number[])[], where: string): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = nd - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else if (!(Number.isNaN(d) && Number.isNaN(out[o]!))) {
        const list = shapes
          .map((x) => `(${x.join(', ')}${x.length === 1 ? ',' : ''})`)
          .join(' and ');
        throw new ShapeError(
          `${where}: operands could not be broadcast together with shapes ${list}: axis ${o} has lengths ${out[o]} and ${d}. Lengths must match or be 1.`,
        );
      }
    }
  }
  return out;
}

/** The same expression seen with output shape `to` (leading axes added, size-1 axes stretched). */
function broadcastParts(p: ExprParts, to: readonly number[]): ExprParts {
  const shift = to.length - p.shape.length;
  if (shift === 0) return { ...p, shape: to };
  const leaves = p.leaves.map((l) => ({
    base: l.base,
    map: [...new Array(shift).fill(-1), ...l.map],
  }));
  return { tree: p.tree, leaves, shape: to };
}

function leafId(l: Leaf): string {
  return `${l.base.name}|${l.map.join(',')}`;
}

function shiftTree(t: ExprTree, remap: readonly number[]): ExprTree {
  if ('l' in t) return { l: remap[t.l]! };
  if ('c' in t) return t;
  return t.p
    ? { op: t.op, a: t.a.map((x) => shiftTree(x, remap)), p: t.p }
    : { op: t.op, a: t.a.map((x) => shiftTree(x, remap)) };
}

/** Operand of an elementwise operation: an array or a scalar. */
export type Operand = DuskArray | number | boolean;

/**
 * One elementwise node over operands (arrays or scalars): their expressions broadcast to
 * the common shape and composed into one tree, with leaves shared where they coincide.
 */
export function combineExpr(
  op: string,
  operands: readonly Operand[],
  isArray: (x: Operand) => x is DuskArray,
  where: string,
  params?: readonly number[],
): { tree: ExprTree; leaves: Leaf[]; shape: number[]; token: string } {
  const arrays = operands.filter(isArray);
  const shape = broadcastShapes(
    arrays.map((a) => a.shape),
    where,
  );
  const leaves: Leaf[] = [];
  const ids = new Map<string, number>();
  const args: ExprTree[] = operands.map((x) => {
    if (!isArray(x)) return { c: typeof x === 'boolean' ? (x ? 1 : 0) : x };
    const p = broadcastParts(partsOf(x), shape);
    const remap = p.leaves.map((l) => {
      const id = leafId(l);
      let k = ids.get(id);
      if (k === undefined) {
        k = leaves.length;
        ids.set(id, k);
        leaves.push(l);
      }
      return k;
    });
    return shiftTree(p.tree, remap);
  });
  const tree: ExprTree = params ? { op, a: args, p: params } : { op, a: args };
  const token = tokenize(
    op,
    params ?? null,
    operands.map((x) => (isArray(x) ? `@${x.name}` : x)),
  );
  return { tree, leaves, shape, token };
}

/** Whether leaf axis `o` reads along the output axis (not broadcast). */
function aligned(l: Leaf, shape: readonly number[], o: number): boolean {
  const s = l.map[o]!;
  return s >= 0 && Object.is(l.base.shape[s], shape[o]);
}

/**
 * The output chunk grid, and the leaves rechunked to it where they disagree (the common
 * refinement of their block boundaries, as Dask's unify_chunks).
 */
export function unifyLeaves(
  leaves: readonly Leaf[],
  shape: readonly number[],
  rechunk: (x: DuskArray, chunks: Chunks) => DuskArray,
  where: string,
): { chunks: number[][]; leaves: Leaf[] } {
  // Unknown lengths are read from the blocks at run time: every leaf must then be laid out
  // like the output (no broadcasting or transposing against them).
  if (shape.some((d) => Number.isNaN(d))) {
    const plain = (l: Leaf) =>
      l.map.length === l.base.ndim && l.map.every((s, o) => s === o && aligned(l, shape, o));
    if (!leaves.every(plain))
      throw new UnknownChunksError(`${where} (broadcasting or transposing)`);
  }
  const chunks = shape.map((dim, o) => {
    const cands = leaves.filter((l) => aligned(l, shape, o)).map((l) => l.base.chunks[l.map[o]!]!);
    if (cands.length === 0) return dim === 0 ? [0] : [dim];
    if (cands.every((c) => sameChunks([c], [cands[0]!]))) return [...cands[0]!];
    if (cands.some((c) => hasUnknown([c]))) throw new UnknownChunksError(where);
    const cuts = new Set<number>();
    for (const c of cands) for (const off of offsetsOf(c)) cuts.add(off);
    const sorted = [...cuts].sort((a, b) => a - b);
    return sorted.slice(1).map((x, i) => x - sorted[i]!);
  });
  const out = leaves.map((l) => {
    const target = l.base.chunks.map((c, s) => {
      const o = l.map.indexOf(s);
      return o >= 0 && aligned(l, shape, o) ? chunks[o]! : c;
    });
    return sameChunks(target, l.base.chunks) ? l : { base: rechunk(l.base, target), map: l.map };
  });
  return { chunks, leaves: out };
}

/**
 * Generated leaves are always made inside the task that reads them (a transposed or
 * broadcast one as a whole block in a reused scratch buffer): generating costs less than
 * storing the block in fresh memory and sending it to the tasks that need it.
 */
function isGenerated(l: Leaf): boolean {
  return l.base.def.kind === 'gen';
}

/** The program, input keys and input arrays of one output block. */
export function blockProgram(
  tree: ExprTree,
  leaves: readonly Leaf[],
  chunks: Chunks,
  dtype: Dtype,
  idx: readonly number[],
): { program: BlockProgram; refs: Key[] } {
  const shape = chunks.map((c) => offsetsOf(c).at(-1)!);
  const outBlock = blockShapeOf(chunks, idx);
  const unknown = outBlock.some((x) => Number.isNaN(x));
  const outCs = cStrides(outBlock);
  const refs: Key[] = [];
  const specs: LeafSpec[] = leaves.map((l) => {
    // A broadcast (length-1) axis reads the block holding its one element, which need not
    // be block 0 when the chunking has empty blocks.
    const baseIdx = l.base.chunks.map((c) =>
      Math.max(
        0,
        c.findIndex((n) => n > 0),
      ),
    );
    l.map.forEach((s, o) => {
      if (aligned(l, shape, o)) baseIdx[s] = idx[o]!;
    });
    const baseBlock = blockShapeOf(l.base.chunks, baseIdx);
    const cs = cStrides(baseBlock);
    const strides = l.map.map((s, o) => (aligned(l, shape, o) ? cs[s]! : 0));
    const contiguous =
      unknown ||
      (sizeOf(baseBlock) === sizeOf(outBlock) &&
        outBlock.every((n, o) => n <= 1 || strides[o] === outCs[o]));
    if (l.base.def.kind === 'gen')
      return { gen: l.base.def.spec(baseIdx), strides, contiguous, source: baseBlock };
    refs.push(l.base.blockKey(...baseIdx));
    return { k: refs.length - 1, strides, contiguous };
  });
  return { program: { tree, leaves: specs, shape: unknown ? null : outBlock, dtype }, refs };
}

/** The layers that blocks of these leaves read (generated leaves read none). */
export function leafLayers(leaves: readonly Leaf[]): Layer[] {
  const seen = new Map<string, Layer>();
  for (const l of leaves) if (!isGenerated(l)) seen.set(l.base.name, l.base.layer);
  return [...seen.values()];
}

/** The layer of an elementwise array: one evalBlock task per output block. */
export function exprLayer(
  name: string,
  tree: ExprTree,
  leaves: readonly Leaf[],
  chunks: Chunks,
  dtype: Dtype,
): Layer {
  const tasks: Graph = new Map();
  for (const idx of blockIndices(numblocksOf(chunks))) {
    const { program, refs } = blockProgram(tree, leaves, chunks, dtype, idx);
    tasks.set(
      blockKeyOf(name, idx),
      task(kernel('evalBlock'), [quote(program), refs.map((k) => ref(k)) as Arg]),
    );
  }
  return layer(name, tasks, leafLayers(leaves));
}

/** Block key of a block index; a 0-d array's single block is the bare name. */
export function blockKeyOf(name: string, idx: readonly number[]): Key {
  return idx.length === 0 ? name : `${name}:${idx.join(',')}`;
}
