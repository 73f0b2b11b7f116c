/**
 * Where each persisted key is held, for a pool or a cluster: the holder (a pool slot or a
 * cluster thread), its size and how many persisted collections refer to it (the same
 * collection may be persisted twice). Keys lost with their holder are remembered until
 * released, so a later compute can say which worker took them. Plain bookkeeping, no I/O.
 */
import type { Key } from '@dusk/core';

interface Entry<H> {
  holder: H;
  nbytes: number;
  refs: number;
}

export class HeldRegistry<H> {
  private readonly entries = new Map<Key, Entry<H>>();
  /** Keys whose holder died, and how: refs still counted, so release forgets them. */
  private readonly lostKeys = new Map<Key, { why: string; refs: number }>();

  /**
   * One more reference to `key`, kept on `holder`. Returns where the key is held: an
   * earlier holder wins (the new copy is redundant and its holder should drop it).
   * @example reg.add('x-1', 0, 800) // 0
   */
  add(key: Key, holder: H, nbytes: number): H {
    const e = this.entries.get(key);
    if (e) {
      e.refs++;
      return e.holder;
    }
    const lost = this.lostKeys.get(key);
    this.lostKeys.delete(key);
    this.entries.set(key, { holder, nbytes, refs: 1 + (lost?.refs ?? 0) });
    return holder;
  }

  holderOf(key: Key): H | undefined {
    return this.entries.get(key)?.holder;
  }

  /** How `key` was lost, if its holder died. */
  lostWhy(key: Key): string | undefined {
    return this.lostKeys.get(key)?.why;
  }

  /** One reference fewer; returns the holder when nobody refers to the key any more. */
  release(key: Key): H | undefined {
    const lost = this.lostKeys.get(key);
    if (lost) {
      if (--lost.refs <= 0) this.lostKeys.delete(key);
      return undefined;
    }
    const e = this.entries.get(key);
    if (!e || --e.refs > 0) return undefined;
    this.entries.delete(key);
    return e.holder;
  }

  /** `holder` is gone with everything it held; returns the keys lost. */
  lose(holder: H, why: string): Key[] {
    const keys: Key[] = [];
    for (const [k, e] of this.entries) {
      if (e.holder !== holder) continue;
      this.entries.delete(k);
      this.lostKeys.set(k, { why, refs: e.refs });
      keys.push(k);
    }
    return keys;
  }

  /** Bytes held per holder. */
  bytesByHolder(): Map<H, number> {
    const out = new Map<H, number>();
    for (const e of this.entries.values()) out.set(e.holder, (out.get(e.holder) ?? 0) + e.nbytes);
    return out;
  }

  /** Keys held per holder. */
  keysByHolder(keys: Iterable<Key> = this.entries.keys()): Map<H, Key[]> {
    const out = new Map<H, Key[]>();
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e) continue;
      const list = out.get(e.holder);
      if (list) list.push(k);
      else out.set(e.holder, [k]);
    }
    return out;
  }

  /** Forgets everything (the pool or cluster is closing). */
  clear(): void {
    this.entries.clear();
    this.lostKeys.clear();
  }
}
