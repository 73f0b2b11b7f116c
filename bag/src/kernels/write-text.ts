/**
 * toTextFiles kernel: one partition to one file, one element per line, gzip-compressed when
 * asked. Strings are written as they are; other values as JSON, so records round-trip
 * through readText(...).map(JSON.parse).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '@dusk/core';

/** Writes the partition and returns the path written. */
export function writeTextPartition(part: unknown[], path: string, gzip: boolean): string {
  const lines = new Array<string>(part.length);
  for (let i = 0; i < part.length; i++) {
    const x = part[i];
    lines[i] = typeof x === 'string' ? x : (JSON.stringify(x) ?? String(x));
  }
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  const bytes = Buffer.from(text, 'utf8');
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  } catch (e) {
    throw new InputError(`Cannot write '${path}': ${(e as Error).message}.`, { cause: e });
  }
  return path;
}
