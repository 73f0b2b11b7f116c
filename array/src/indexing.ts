/**
 * Advanced indexing: integer arrays along one axis (`take`), boolean masks (`x[mask]`,
 * whose result has unknown chunk sizes, NaN, as in Dask), and learning those sizes.
 */
import {
  COLLECTION,
  type Collection,
  type ComputeOptions,
  DtypeError,
  type Graph,
  getComputeEngine,
  InvalidArgumentError,
  layer,
  quote,
  ref,
  ShapeError,
  task,
  tokenize,
} from '@dusk/core';
import { DuskArray } from './array.js';
import { blockIndices, hasUnknown, offsetsOf, ravel, sameChunks } from './chunks.js';
import { normalizeAxis } from './elementwise.js';
import { UnknownChunksError } from './errors.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import { rechunk } from './rechunk.js';

/**
 * Elements at integer positions along `axis` (negative from the end), in the given order.
 * @example take(x, [0, -1, 0], 1)
 */
export function take(x: DuskArray, indices: ArrayLike<number>, axis = 0): DuskArray {
  const ax = normalizeAxis(axis, x.ndim, 'take');
  if (hasUnknown([x.chunks[ax]!])) throw new UnknownChunksError('take');
  const n = x.shape[ax]!;
  const idx = Array.from(indices, (v, i) => {
    const j = v < 0 ? v + n : v;
    if (!Number.isInteger(v) || j < 0 || j >= n) {
      throw new InvalidArgumentError(
        `take: index ${v} (position ${i}) is out of range for axis ${ax} with length ${n}.`,
      );
    }
    return j;
  });
  const off = offsetsOf(x.chunks[ax]!);
  const locate = (j: number) => {
    let b = 0;
    while (off[b + 1]! <= j) b++;
    return [b, j - off[b]!] as const;
  };
  const per = Math.max(1, Math.max(...x.chunks[ax]!));
  const groups: number[][] = [];
  for (let s = 0; s < idx.length; s += per) groups.push(idx.slice(s, s + per));
  if (groups.length === 0) groups.push([]);
  const chunks = x.chunks.map((c, d) => (d === ax ? groups.map((g) => g.length) : [...c]));
  const shape = x.shape.map((s, d) => (d === ax ? idx.length : s));
  const name = `take-${tokenize(x.name, ax, idx)}`;
  const build = () => {
    const tasks: Graph = new Map();
    for (const out of blockIndices(chunks.map((c) => c.length))) {
      const located = groups[out[ax]!]!.map(locate);
      const sources = [...new Set(located.map(([b]) => b))];
      if (sources.length === 0) sources.push(0);
      const picks = located.map(([b, l]) => [sources.indexOf(b), l]);
      const refs = sources.map((b) => ref(x.blockKey(...out.map((i, d) => (d === ax ? b : i)))));
      tasks.set(blockKeyOf(name, out), task(kernel('takeBlock'), [refs, ax, quote(picks)]));
    }
    return layer(name, tasks, [x.layer]);
  };
  return new DuskArray(name, shape, chunks, x.dtype, build);
}

/**
 * `x[mask]`: the elements (or rows, for a mask over the leading axes) where `mask` is
 * true. The leading axes become one axis of unknown length, chunk sizes NaN.
 * @example booleanMask(x, x.gt(0.5))
 */
export function booleanMask(x: DuskArray, mask: DuskArray): DuskArray {
  if (!(mask instanceof DuskArray))
    throw new InvalidArgumentError('mask: pass a DuskArray of dtype bool (e.g. x.gt(0)).');
  if (mask.dtype !== 'bool')
    throw new DtypeError(
      `mask: the mask must have dtype bool, got ${mask.dtype}; compare (x.gt(0)) or use .astype('bool').`,
    );
  const k = mask.ndim;
  if (k === 0 || k > x.ndim || mask.shape.some((s, d) => !Object.is(s, x.shape[d]))) {
    throw new ShapeError(
      `mask: mask of shape (${mask.shape.join(', ')}) does not match the leading axes of array of shape (${x.shape.join(', ')}).`,
    );
  }
  const lead = x.chunks.slice(0, k);
  let m = mask;
  if (!sameChunks(m.chunks, lead)) {
    if (hasUnknown(lead) || hasUnknown(m.chunks)) throw new UnknownChunksError('mask');
    m = rechunk(m, lead);
  }
  const leadBlocks = lead.map((c) => c.length);
  const nLead = leadBlocks.reduce((a, b) => a * b, 1);
  const chunks = [
    new Array<number>(nLead).fill(Number.NaN),
    ...x.chunks.slice(k).map((c) => [...c]),
  ];
  const shape = [Number.NaN, ...x.shape.slice(k)];
  const name = `mask-${tokenize(x.name, m.name)}`;
  const build = () => {
    const tasks: Graph = new Map();
    for (const idx of blockIndices(x.numblocks)) {
      const out = [ravel(idx.slice(0, k), leadBlocks), ...idx.slice(k)];
      tasks.set(
        blockKeyOf(name, out),
        task(kernel('maskBlock'), [
          ref(x.blockKey(...idx)),
          ref(m.blockKey(...idx.slice(0, k))),
          k,
        ]),
      );
    }
    return layer(name, tasks, [x.layer, m.layer]);
  };
  return new DuskArray(name, shape, chunks, x.dtype, build);
}

/**
 * The same array with its unknown chunk sizes computed (runs the array's graph).
 * @example const y = await x.mask(x.gt(0)).computeChunkSizes(); y.shape // [1234]
 */
export async function computeChunkSizes(x: DuskArray, opts?: ComputeOptions): Promise<DuskArray> {
  if (!hasUnknown(x.chunks)) return x;
  const axes = x.chunks.flatMap((c, d) => (hasUnknown([c]) ? [d] : []));
  const name = `chunk-sizes-${tokenize(x.name)}`;
  const probes = axes.flatMap((d) =>
    x.chunks[d]!.map((_, i) => ({
      d,
      i,
      key: `${name}:${d},${i}`,
      block: x.chunks.map((_c, e) => (e === d ? i : 0)),
    })),
  );
  const tasks: Graph = new Map(
    probes.map((p) => [p.key, task(kernel('blockLength'), [ref(x.blockKey(...p.block)), p.d])]),
  );
  const l = layer(name, tasks, [x.layer]);
  const probe: Collection = {
    [COLLECTION]: () => ({
      layer: l,
      keys: probes.map((p) => p.key),
      finalize: (v) => v,
      rebuild: () => probe,
    }),
  };
  const lengths = (await (await getComputeEngine()).compute([probe], opts))[0] as number[];
  const chunks = x.chunks.map((c) => [...c]);
  probes.forEach((p, j) => {
    chunks[p.d]![p.i] = lengths[j]!;
  });
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  return new DuskArray(x.name, shape, chunks, x.dtype, x.layer);
}
