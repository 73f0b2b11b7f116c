/**
 * Approximate quantiles as a tree reduction: each partition keeps a sorted, weighted
 * sample (every value when the partition is small, so small inputs are exact), samples
 * merge, and the finish interpolates linearly like pandas.
 */
import type * as A from 'apache-arrow';
import { withFns } from './batch.js';
import { runPipeline } from './pipeline.js';
import type { PipelineSpec } from './spec.js';

/** A sorted sample of a partition's non-null values with weights (all values when few). */
export function quantilePart(
  table: A.Table,
  spec: PipelineSpec,
  partition: number,
  sample: number,
): Sample | Promise<Sample> {
  return withFns(spec, () => quantileSample(table, spec, partition, sample));
}

type Sample = { values: Float64Array; weights: Float64Array };

function quantileSample(
  table: A.Table,
  spec: PipelineSpec,
  partition: number,
  sample: number,
): Sample {
  const t = runPipeline(table, spec, partition);
  const v = t.getChild(spec.outputs[0]!.name)!;
  const all: number[] = [];
  for (const d of v.data) {
    const vals = d.values as Float64Array;
    for (let i = 0; i < d.length; i++) {
      const ok =
        d.nullCount === 0 ||
        ((d.nullBitmap![(d.offset + i) >> 3]! >> ((d.offset + i) & 7)) & 1) === 1;
      if (ok && !Number.isNaN(vals[i]!)) all.push(vals[i]!);
    }
  }
  const sorted = Float64Array.from(all).sort();
  if (sorted.length <= sample)
    return { values: sorted, weights: new Float64Array(sorted.length).fill(1) };
  const values = new Float64Array(sample);
  const weights = new Float64Array(sample).fill(sorted.length / sample);
  for (let i = 0; i < sample; i++)
    values[i] = sorted[Math.floor(((i + 0.5) * sorted.length) / sample)]!;
  return { values, weights };
}

/** Merges weighted samples (kept whole: they are small). */
export function quantileCombine(parts: { values: Float64Array; weights: Float64Array }[]): {
  values: Float64Array;
  weights: Float64Array;
} {
  const n = parts.reduce((a, p) => a + p.values.length, 0);
  const idx = new Array<[number, number]>(n);
  let o = 0;
  for (const p of parts)
    for (let i = 0; i < p.values.length; i++) idx[o++] = [p.values[i]!, p.weights[i]!];
  idx.sort((a, b) => a[0] - b[0]);
  return {
    values: Float64Array.from(idx, (x) => x[0]),
    weights: Float64Array.from(idx, (x) => x[1]),
  };
}

/** Quantiles with linear interpolation (pandas' default), exact when all weights are 1. */
export function quantileFinish(
  parts: { values: Float64Array; weights: Float64Array }[],
  qs: number[],
): number[] {
  const { values, weights } = quantileCombine(parts);
  const total = weights.reduce((a, w) => a + w, 0);
  if (values.length === 0) return qs.map(() => Number.NaN);
  // Position of each sample as the mean rank it stands for.
  const at = (rank: number) => {
    let cum = 0;
    for (let i = 0; i < values.length; i++) {
      cum += weights[i]!;
      if (rank < cum - 1e-9) return values[i]!;
    }
    return values[values.length - 1]!;
  };
  return qs.map((q) => {
    const pos = q * (total - 1);
    const lo = Math.floor(pos);
    const a = at(lo);
    const b = at(Math.min(lo + 1, total - 1));
    return a + (b - a) * (pos - lo);
  });
}
