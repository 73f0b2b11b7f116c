/**
 * The logical plan under a frame: a source of partitions, then filters and projections
 * (assign, select, rename, astype... are all projections). `optimizePlan` pushes every
 * filter down to the source and folds the projections into one, so a partition task
 * reads only the columns the result needs and evaluates everything in one fused loop.
 */
import type { GraphPass, Key, Layer } from '@dusk/core';
import type * as A from 'apache-arrow';
import type { Schema } from './dtypes.js';
import { type Expr, exprColumns, exprToString, substitute } from './expr.js';
import type { OutputSpec, PipelineSpec } from './kernels/spec.js';

/** Where partitions come from. */
export type Source =
  | {
      readonly type: 'literal';
      readonly name: string;
      readonly tables: readonly A.Table[];
      readonly label: string;
    }
  | {
      readonly type: 'arrays';
      readonly name: string;
      readonly columns: readonly {
        readonly name: string;
        readonly keys: readonly Key[];
        readonly layer: Layer;
        readonly categories: readonly string[] | null;
      }[];
      readonly passes: readonly GraphPass[];
      readonly label: string;
    }
  | {
      readonly type: 'graph';
      readonly name: string;
      readonly layer: Layer;
      readonly keys: readonly Key[];
      readonly label: string;
      readonly passes?: readonly GraphPass[];
      /**
       * The same result computing only some columns (projection pushdown through
       * nlargest, head, groupby); may keep more columns than asked.
       */
      readonly prune?: (columns: readonly string[]) => Extract<Plan, { kind: 'source' }>;
    };

export type Plan =
  | {
      readonly kind: 'source';
      readonly source: Source;
      readonly schema: Schema;
      /** Rows per partition, where known. */
      readonly lengths: readonly number[] | null;
    }
  | {
      readonly kind: 'project';
      readonly input: Plan;
      readonly outputs: readonly OutputSpec[];
      readonly label: string;
    }
  | { readonly kind: 'filter'; readonly input: Plan; readonly predicate: Expr };

/** A plan in normal form: a source, one filter over its columns, one projection. */
export interface Normal {
  readonly source: Extract<Plan, { kind: 'source' }>;
  readonly pipeline: PipelineSpec;
}

export function planSchema(p: Plan): Schema {
  if (p.kind === 'source') return p.schema;
  if (p.kind === 'filter') return planSchema(p.input);
  return p.outputs.map((o) => ({ name: o.name, dtype: o.dtype }));
}

export function npartitionsOf(p: Plan): number {
  if (p.kind !== 'source') return npartitionsOf(p.input);
  const s = p.source;
  return s.type === 'literal'
    ? s.tables.length
    : s.type === 'arrays'
      ? (s.columns[0]?.keys.length ?? 0)
      : s.keys.length;
}

/** Rows per partition when no filter sits between the frame and a source that knows them. */
export function knownLengths(p: Plan): readonly number[] | null {
  if (p.kind === 'source') return p.lengths;
  if (p.kind === 'filter') return null;
  return knownLengths(p.input);
}

const AND = (a: Expr, b: Expr): Expr => ({ op: 'and', args: [a, b] });

/**
 * Pushes filters to the source and folds projections (substituting each projection's
 * expressions into what reads it). One bottom-up pass reaches the normal form.
 */
export function optimizePlan(p: Plan): Normal {
  const n = normalize(p);
  const src = n.source.source;
  if (src.type !== 'graph' || !src.prune) return n;
  const needed = pipelineColumns(n.pipeline);
  if (needed.size >= n.source.schema.length) return n;
  const pruned = src.prune(n.source.schema.map((f) => f.name).filter((c) => needed.has(c)));
  return { source: pruned, pipeline: n.pipeline };
}

function normalize(p: Plan): Normal {
  if (p.kind === 'source') {
    return {
      source: p,
      pipeline: {
        filter: null,
        outputs: p.schema.map((f) => ({
          name: f.name,
          expr: { op: 'col', name: f.name },
          dtype: f.dtype,
        })),
      },
    };
  }
  const inner = normalize(p.input);
  const byName = new Map(inner.pipeline.outputs.map((o) => [o.name, o.expr]));
  if (p.kind === 'filter') {
    const pred = substitute(p.predicate, byName);
    const filter = inner.pipeline.filter ? AND(inner.pipeline.filter, pred) : pred;
    return { source: inner.source, pipeline: { filter, outputs: inner.pipeline.outputs } };
  }
  const outputs = p.outputs.map((o) => ({ ...o, expr: substitute(o.expr, byName) }));
  return { source: inner.source, pipeline: { filter: inner.pipeline.filter, outputs } };
}

/** Source columns a pipeline reads. */
export function pipelineColumns(spec: PipelineSpec): Set<string> {
  const cols = new Set<string>();
  if (spec.filter) exprColumns(spec.filter, cols);
  for (const o of spec.outputs) exprColumns(o.expr, cols);
  return cols;
}

/** Whether a pipeline returns its input unchanged. */
export function isIdentity(spec: PipelineSpec, schema: Schema): boolean {
  return (
    spec.filter === null &&
    spec.outputs.length === schema.length &&
    spec.outputs.every(
      (o, i) => o.expr.op === 'col' && o.expr.name === schema[i]!.name && o.name === o.expr.name,
    )
  );
}

function sourceLine(s: Extract<Plan, { kind: 'source' }>): string {
  const n =
    s.source.type === 'literal'
      ? s.source.tables.length
      : s.source.type === 'arrays'
        ? (s.source.columns[0]?.keys.length ?? 0)
        : s.source.keys.length;
  return `Source[${s.source.label}, ${n} partitions, columns: ${s.schema.map((f) => f.name).join(', ')}]`;
}

function outputsText(outputs: readonly OutputSpec[]): string {
  return outputs
    .map((o) =>
      o.expr.op === 'col' && o.expr.name === o.name
        ? o.name
        : `${o.name} := ${exprToString(o.expr)}`,
    )
    .join(', ');
}

/** The plan as an indented tree, top operation first. */
export function planToString(p: Plan, depth = 0): string {
  const pad = '  '.repeat(depth);
  if (p.kind === 'source') return `${pad}${sourceLine(p)}`;
  const line =
    p.kind === 'filter'
      ? `Filter[${exprToString(p.predicate)}]`
      : `${p.label}[${outputsText(p.outputs)}]`;
  return `${pad}${line}\n${planToString(p.input, depth + 1)}`;
}

/** The optimized form, as the partition tasks will run it. */
export function normalToString(n: Normal): string {
  const read = [...pipelineColumns(n.pipeline)];
  const lines = [`Project[${outputsText(n.pipeline.outputs)}]`];
  if (n.pipeline.filter) lines.push(`  Filter[${exprToString(n.pipeline.filter)}]`);
  lines.push(
    `${'  '.repeat(lines.length)}${sourceLine(n.source)} reads: ${read.join(', ') || '(no columns)'}`,
  );
  return lines.join('\n');
}
