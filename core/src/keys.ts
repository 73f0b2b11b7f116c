/**
 * Key conventions: `name-token` for a single value, `name-token:i,j` for a block of a
 * collection. The name part is readable (the operation), the token makes it unique.
 */
import type { Key } from './graph.js';

/** @example blockKey('sum-ab12', [0, 3]) // 'sum-ab12:0,3' */
export function blockKey(name: string, index: readonly number[]): Key {
  return `${name}:${index.join(',')}`;
}

/** Splits a block key into its name and index; a plain key has an empty index. */
export function parseKey(key: Key): { name: string; index: number[] } {
  const colon = key.lastIndexOf(':');
  if (colon < 0) return { name: key, index: [] };
  const idx = key.slice(colon + 1);
  if (!/^\d+(,\d+)*$/.test(idx)) return { name: key, index: [] };
  return { name: key.slice(0, colon), index: idx.split(',').map(Number) };
}

/** The readable prefix of a key: 'sum' for 'sum-ab12:0,3'. */
export function keyPrefix(key: Key): string {
  const { name } = parseKey(key);
  const dash = name.lastIndexOf('-');
  return dash > 0 ? name.slice(0, dash) : name;
}
