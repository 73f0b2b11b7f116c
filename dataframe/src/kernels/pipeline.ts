/**
 * Running a fused pipeline over a partition: the filter becomes a selection vector, and
 * each output column is either the input column itself (zero copy, when nothing filters)
 * or written by one generated loop over the selected rows.
 */
import { allocate, mapPacked, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import { arrowType, type Dtype } from '../dtypes.js';
import { type Expr, exprColumns } from '../expr.js';
import { countNulls, emptyBatch, encodeStrings, makeColumn, tableOf } from './arrow-build.js';
import { badValue, batchKinds, bind, compile, kindsKey, runWhole } from './batch.js';
import { Gen } from './codegen.js';
import type { OutputSpec, PipelineSpec } from './spec.js';

export function gen(batch: A.RecordBatch, cols: Set<string>) {
  const kinds = batchKinds(batch, cols);
  return { kinds, key: kindsKey(kinds), g: new Gen((name) => kinds.get(name)!) };
}

/** Row indices of `batch` passing `filter`, at most `limit` of them. */
export function selectRows(
  batch: A.RecordBatch,
  filter: Expr,
  partition: number,
  base: number,
  limit = Infinity,
): Int32Array {
  const { key, g } = gen(batch, exprColumns(filter));
  const c = compile(`select|${JSON.stringify(filter)}|${key}`, g, () => {
    const p = g.expr(filter);
    const cond = p.ok === null ? p.v : `(${p.ok} & ${p.v})`;
    return {
      code: `let m = 0; const SEL = S.sel, LIM = S.limit;\nfor (let i = 0; i < n && m < LIM; i++) {\n${g.body.join('\n')}\nif (${cond}) SEL[m++] = i;\n}\nreturn m;`,
    };
  });
  const b = bind(c, batch);
  const sel = new Int32Array(Math.min(b.n, limit));
  const m = runWhole(c, b, badValue(c, partition, base), { sel, limit }) as number;
  return sel.subarray(0, m);
}

/**
 * Output columns evaluated at selected rows, before they become Arrow data: per output its
 * kind (how the loop produced it: 'num', 'bool' bit-packed, 'dict' codes into
 * `dictionaries[k]`, 'str' plain strings), values, validity bitmap (null when no row is
 * null) and null count.
 */
export interface RawOutputs {
  readonly m: number;
  readonly kinds: readonly string[];
  readonly out: (TypedArray | unknown[])[];
  readonly valid: (Uint8Array | null)[];
  readonly nulls: Float64Array;
  readonly dictionaries: (readonly string[] | undefined)[];
}

/** Evaluates output columns at selected rows (or all rows when `sel` is null). */
export function evalOutputs(
  batch: A.RecordBatch,
  outputs: readonly OutputSpec[],
  sel: Int32Array | null,
  partition: number,
  base: number,
): RawOutputs {
  const cols = new Set<string>();
  for (const o of outputs) exprColumns(o.expr, cols);
  const { key, g } = gen(batch, cols);
  const m = sel ? sel.length : batch.numRows;
  const c = compile(`write|${sel ? 'sel' : 'all'}|${JSON.stringify(outputs)}|${key}`, g, () => {
    const sinks: string[] = [];
    const kinds: string[] = [];
    const dicts: (number | undefined)[] = [];
    const nullable: boolean[] = [];
    outputs.forEach((o, k) => {
      const v = g.expr(o.expr);
      kinds.push(v.kind);
      dicts.push(v.dict);
      nullable.push(v.ok !== null);
      const write =
        v.kind === 'bool'
          ? `if (${v.v}) W${k}[j >> 3] |= 1 << (j & 7);`
          : o.dtype === 'int64'
            ? `W${k}[j] = BigInt(Math.trunc(${v.v}));`
            : `W${k}[j] = ${v.v};`;
      // Validity starts all-valid: only null rows write a bit, and the bitmap is dropped
      // when none did (a per-row bitmap update would cost as much as the value itself).
      sinks.push(
        v.ok === null
          ? write
          : `${write} if (!(${v.ok})) { N${k}[j >> 3] &= ~(1 << (j & 7)); NC[${k}]++; }`,
      );
    });
    const decl = outputs
      .map((_, k) => `const W${k} = S.out[${k}], N${k} = S.valid[${k}];`)
      .join('\n')
      .concat('\nconst NC = S.nulls;');
    const loop = sel
      ? `const SEL = S.sel;\nfor (let j = 0; j < S.m; j++) { const i = SEL[j];`
      : 'for (let i = 0; i < n; i++) { const j = i;';
    return {
      code: `${decl}\n${loop}\n${g.body.join('\n')}\n${sinks.join('\n')}\n}`,
      info: { kinds, dicts, nullable },
    };
  });
  const { kinds, dicts, nullable } = c.info as {
    kinds: string[];
    dicts: (number | undefined)[];
    nullable: boolean[];
  };
  // Per-call arrays are built packed (core's packed.ts): Arrow's constructors read them.
  const out = mapPacked(outputs, (o, k) => allocOutput(o.dtype, kinds[k]!, m));
  const valid = mapPacked(nullable, (isNullable) =>
    isNullable ? new Uint8Array((m + 7) >> 3).fill(255) : null,
  );
  const nulls = new Float64Array(outputs.length);
  const b = bind(c, batch);
  runWhole(c, b, badValue(c, partition, base), { out, valid, nulls, sel, m });
  for (let k = 0; k < valid.length; k++) if (nulls[k] === 0) valid[k] = null;
  const dictionaries = mapPacked(kinds, (kind, k) =>
    kind === 'dict' ? (b.X[dicts[k]!] as string[]) : undefined,
  );
  return { m, kinds, out, valid, nulls, dictionaries };
}

/** Output columns evaluated at selected rows (or all rows when `sel` is null), as Arrow data. */
function writeOutputs(
  batch: A.RecordBatch,
  outputs: readonly OutputSpec[],
  sel: Int32Array | null,
  partition: number,
  base: number,
): A.Data[] {
  const { m, kinds, out, valid, nulls, dictionaries } = evalOutputs(
    batch,
    outputs,
    sel,
    partition,
    base,
  );
  return mapPacked(outputs, (o, k) => {
    if (kinds[k] === 'str')
      return makeColumn({ ...encodeStrings(maskNulls(out[k] as unknown[], valid[k] ?? null)) });
    return makeColumn({
      dtype: o.dtype,
      length: m,
      values: out[k] as TypedArray,
      validity: valid[k] ?? null,
      nullCount: nulls[k],
      dictionary: dictionaries[k],
    });
  });
}

function maskNulls(values: unknown[], valid: Uint8Array | null): unknown[] {
  if (!valid) return values;
  for (let j = 0; j < values.length; j++)
    if (((valid[j >> 3]! >> (j & 7)) & 1) === 0) values[j] = null;
  return values;
}

function allocOutput(dtype: Dtype, kind: string, m: number): TypedArray | unknown[] {
  if (kind === 'str') return new Array(m).fill(null);
  if (dtype === 'bool') return new Uint8Array((m + 7) >> 3);
  if (dtype === 'string') return allocate(Int32Array, m);
  return allocate((arrowType(dtype) as any).ArrayType, m);
}

/** Runs a pipeline over one batch, reusing input columns where it can. */
function runBatch(
  batch: A.RecordBatch,
  spec: PipelineSpec,
  partition: number,
  base: number,
  limit: number,
): A.Table {
  const sel = spec.filter ? selectRows(batch, spec.filter, partition, base, limit) : null;
  const n = sel ? sel.length : Math.min(batch.numRows, limit);
  const source = !sel && n < batch.numRows ? batch.slice(0, n) : batch;
  const direct: (A.Data | null)[] = mapPacked(spec.outputs, (o) =>
    !sel && o.expr.op === 'col' ? directColumn(source, o.expr.name, o.dtype) : null,
  );
  const computed: OutputSpec[] = [];
  for (let k = 0; k < direct.length; k++) if (direct[k] === null) computed.push(spec.outputs[k]!);
  const written = computed.length > 0 ? writeOutputs(source, computed, sel, partition, base) : [];
  let w = 0;
  const columns = mapPacked(direct, (d) => d ?? written[w++]!);
  return tableOf(
    mapPacked(spec.outputs, (o) => o.name),
    columns,
    n,
  );
}

function directColumn(batch: A.RecordBatch, name: string, dtype: Dtype): A.Data | null {
  const i = batch.schema.fields.findIndex((f) => f.name === name);
  const d = batch.data.children[i]!;
  // Plain utf8 strings are re-encoded as a dictionary by the generic path.
  if (dtype === 'string' && !A.DataType.isDictionary(d.type)) return null;
  return d;
}

/** Runs a pipeline over a partition table: at most `limit` rows, from the start. */
export function runPipeline(
  table: A.Table,
  spec: PipelineSpec,
  partition = 0,
  limit = Infinity,
): A.Table {
  const parts: A.Table[] = [];
  let base = 0;
  let left = limit;
  for (const batch of table.batches) {
    if (left <= 0) break;
    const t = runBatch(batch, spec, partition, base, left);
    parts.push(t);
    left -= t.numRows;
    base += batch.numRows;
  }
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) return runBatch(emptyBatch(table.schema), spec, partition, 0, 0);
  return parts.reduce((a, b) => a.concat(b));
}

export { countNulls };
