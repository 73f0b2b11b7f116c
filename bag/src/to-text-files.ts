/**
 * toTextFiles: one file per partition, one element per line. `*` in the pattern becomes
 * the partition number; a pattern without `*` is a directory that gets `0.part`, `1.part`...
 * Files ending in `.gz` are gzip-compressed unless `compression` says otherwise.
 */
import { join, resolve } from 'node:path';
import {
  blockKey,
  type ComputeOptions,
  Delayed,
  getComputeEngine,
  InvalidArgumentError,
  layer,
  ref,
  task,
  tokenize,
} from '@dusk/core';
import type { Bag } from './bag.js';
import { kernel } from './kernel-ref.js';

export interface ToTextFilesOptions extends ComputeOptions {
  /** 'infer' (default: gzip for `.gz`), 'gzip', or null for plain text. */
  compression?: 'infer' | 'gzip' | null;
}

/** The file path of each partition. @example outputPaths('out/*.txt', 2) // ['/abs/out/0.txt', '/abs/out/1.txt'] */
export function outputPaths(pattern: string, npartitions: number): string[] {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new InvalidArgumentError(
      "toTextFiles(pattern): pass a path pattern such as 'out/*.txt' or a directory.",
    );
  }
  const stars = pattern.split('*').length - 1;
  if (stars > 1)
    throw new InvalidArgumentError(
      `toTextFiles: the pattern '${pattern}' has ${stars} '*'; use one, for the partition number.`,
    );
  return Array.from({ length: npartitions }, (_, i) =>
    resolve(stars === 1 ? pattern.replace('*', String(i)) : join(pattern, `${i}.part`)),
  );
}

/** Writes the partitions and resolves to the paths written, in partition order. */
export async function toTextFiles(
  input: Bag<unknown>,
  pattern: string,
  opts: ToTextFilesOptions = {},
): Promise<string[]> {
  const { compression = 'infer', ...computeOpts } = opts;
  const paths = outputPaths(pattern, input.npartitions);
  const name = `to-text-files-${tokenize(input.name, paths, compression)}`;
  const tasks = new Map(
    paths.map((p, i) => {
      const gzip = compression === 'gzip' || (compression === 'infer' && p.endsWith('.gz'));
      return [
        blockKey(name, [i]),
        task(kernel('writeTextPartition'), [ref(blockKey(input.name, [i])), p, gzip]),
      ];
    }),
  );
  const l = layer(name, tasks, [input.layer]);
  const writes = paths.map((_, i) => new Delayed<string>(blockKey(name, [i]), l));
  const engine = await getComputeEngine();
  return (await engine.compute(writes, computeOpts)) as string[];
}
