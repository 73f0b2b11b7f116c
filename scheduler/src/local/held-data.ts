/**
 * Persisted data held on workers, as one pool or cluster sees it: which worker holds which
 * key (ref-counted), the markers handed to persisted collections, fetches of held values
 * for computes on other schedulers, and drops (batched, one message per worker) when no
 * collection refers to a key any more. Shared by the processes pool (holders are slots)
 * and the cluster (holders are worker threads).
 */
import { type Graph, type HeldMarker, heldMarkers, type Key, type PlainError } from '@dusk/core';
import { HeldDataLostError } from './errors.js';
import { HeldRegistry } from './held-registry.js';
import { HELD_RUN, type ToWorker } from './protocol.js';

export interface HeldLink<H> {
  post(holder: H, msg: ToWorker): void;
  /** Whether the process should stay alive for fetches in flight (local pools). */
  waiting?(busy: boolean): void;
}

interface Fetch<H> {
  holder: H;
  resolve(values: unknown[]): void;
  reject(e: Error): void;
}

/** A reply from a worker to a request outside any compute. */
export interface HeldReply {
  req: number;
  values: unknown[];
  error?: PlainError;
}

export class HeldData<H> {
  readonly registry = new HeldRegistry<H>();
  private readonly fetches = new Map<number, Fetch<H>>();
  private readonly drops = new Map<H, Key[]>();
  private nextReq = 0;

  constructor(
    /** The id markers carry (unique in this process). */
    readonly owner: string,
    /** How errors name the owner: "the processes pool". */
    private readonly describe: string,
    private readonly link: HeldLink<H>,
  ) {}

  /** Markers for a persist's outputs, now held where `kept` says. */
  record(keys: readonly Key[], kept: readonly { holder: H; nbytes: number }[]): HeldMarker[] {
    return keys.map((key, i) => {
      const { holder, nbytes } = kept[i]!;
      // A key already held elsewhere keeps its first copy; the new one is redundant.
      const at = this.registry.add(key, holder, nbytes);
      if (at !== holder) this.queueDrop(holder, key);
      return { __duskHeld: this.owner, key, nbytes };
    });
  }

  /**
   * The held inputs of a graph (its markers of this owner) and their holders.
   * Throws HeldDataLostError for a key that is no longer held.
   */
  inputs(graph: Graph, anyOwner = false): Map<Key, { holder: H; nbytes: number }> {
    const out = new Map<Key, { holder: H; nbytes: number }>();
    for (const [k, m] of heldMarkers(graph)) {
      if ((!anyOwner && m.__duskHeld !== this.owner) || m.key !== k) continue;
      const holder = this.registry.holderOf(k);
      if (holder === undefined) {
        throw new HeldDataLostError(k, this.registry.lostWhy(k) ?? `${this.describe} dropped it`);
      }
      out.set(k, { holder, nbytes: m.nbytes });
    }
    return out;
  }

  /** The values of held keys, in order, from their holders (still encoded if they were). */
  async fetchRaw(keys: readonly Key[]): Promise<unknown[]> {
    const byHolder = this.registry.keysByHolder(keys);
    const missing = keys.find((k) => this.registry.holderOf(k) === undefined);
    if (missing !== undefined) {
      throw new HeldDataLostError(
        missing,
        this.registry.lostWhy(missing) ?? `${this.describe} dropped it`,
      );
    }
    const got = new Map<Key, unknown>();
    await Promise.all(
      [...byHolder].map(async ([holder, ks]) => {
        const values = await this.request(holder, ks);
        for (let i = 0; i < ks.length; i++) got.set(ks[i]!, values[i]);
      }),
    );
    return keys.map((k) => got.get(k));
  }

  /** A reply to `fetchRaw`'s request (a `data` message with run HELD_RUN). */
  onReply(m: HeldReply): void {
    const f = this.fetches.get(m.req);
    if (!f) return;
    this.settle(m.req);
    if (m.error) f.reject(new HeldDataLostError('?', `${this.describe}: ${m.error.message}`));
    else f.resolve(m.values);
  }

  /** One reference fewer to each key; holders drop keys nobody refers to. */
  drop(keys: readonly Key[]): void {
    for (const k of keys) {
      const holder = this.registry.release(k);
      if (holder !== undefined) this.queueDrop(holder, k);
    }
  }

  /** `holder` died: what it held is lost, fetches from it fail. */
  holderGone(holder: H, why: string): void {
    this.registry.lose(holder, why);
    this.drops.delete(holder);
    for (const [req, f] of [...this.fetches]) {
      if (f.holder !== holder) continue;
      this.settle(req);
      f.reject(new HeldDataLostError('?', why));
    }
  }

  /** Everything is gone (the pool or connection is closing). */
  clear(why: string): void {
    this.registry.clear();
    this.drops.clear();
    for (const [req, f] of [...this.fetches]) {
      this.settle(req);
      f.reject(new HeldDataLostError('?', why));
    }
  }

  /** Bytes held per holder (tests, dashboards). */
  bytesByHolder(): Map<H, number> {
    return this.registry.bytesByHolder();
  }

  private request(holder: H, keys: Key[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const req = this.nextReq++;
      this.fetches.set(req, { holder, resolve, reject });
      this.link.waiting?.(true);
      this.link.post(holder, { t: 'send', run: HELD_RUN, req, keys });
    });
  }

  private settle(req: number): void {
    this.fetches.delete(req);
    if (this.fetches.size === 0) this.link.waiting?.(false);
  }

  // Collections are collected in bursts (one marker per partition): one message per worker.
  private queueDrop(holder: H, key: Key): void {
    const list = this.drops.get(holder);
    if (list) {
      list.push(key);
      return;
    }
    this.drops.set(holder, [key]);
    if (this.drops.size === 1) setImmediate(() => this.flushDrops());
  }

  private flushDrops(): void {
    const all = [...this.drops];
    this.drops.clear();
    for (const [holder, keys] of all) this.link.post(holder, { t: 'drop', run: HELD_RUN, keys });
  }
}
