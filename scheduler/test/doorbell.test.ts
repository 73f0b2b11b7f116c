// Spinning for the next message (doorbell.ts): rung from another thread, given up after
// its time or once the bell is marked inactive; and where the pool's threads spin.
import { Worker } from 'node:worker_threads';
import { literal } from '@dusk/core';
import { expect, it } from 'vitest';
import { newBell, posted, ring, setActive, waitForPost } from '../src/local/doorbell.js';
import { createWorkerRuntime } from '../src/local/worker-runtime.js';

/** A thread that, after `ms`, adds one to slot `slot` of `bell` (0: rings, 1: sets active). */
function later(bell: Int32Array, ms: number, slot: number, value: number): Promise<void> {
  const w = new Worker(
    `const { workerData: d } = require('node:worker_threads');
     const t = Date.now(); while (Date.now() - t < d.ms);
     Atomics.store(d.bell, d.slot, d.value);`,
    { eval: true, workerData: { bell, ms, slot, value } },
  );
  return new Promise((res, rej) => {
    w.on('exit', () => res());
    w.on('error', rej);
  });
}

/** A wait for a post beyond the first `taken`, ended by another thread after ~30 ms. */
async function waitEndedBy(bell: Int32Array, taken: number, slot: number, value: number) {
  const ended = later(bell, 30, slot, value);
  const t0 = performance.now();
  const rung = waitForPost(bell, taken, 10_000, true);
  const ms = performance.now() - t0;
  await ended;
  return { rung, long: ms > 25 && ms < 5_000 };
}

it('spins until another thread rings, and no longer', async () => {
  const bell = newBell();
  setActive(bell, true);
  // Nothing posted yet beyond what was taken: the wait lasts until the other thread rings.
  expect(await waitEndedBy(bell, 0, 0, 1)).toEqual({ rung: true, long: true });
  expect(posted(bell)).toBe(1);
  // A post not yet taken ends a wait at once.
  ring(bell);
  expect(waitForPost(bell, 1, 10_000, true)).toBe(true);
});

it('gives up after its time, or as soon as the bell is marked inactive', async () => {
  const bell = newBell();
  const t0 = performance.now();
  expect(waitForPost(bell, 0, 20, false)).toBe(false);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
  // Inactive from the start: no spin at all (checked every 64 turns).
  expect(waitForPost(bell, 0, 10_000, true)).toBe(false);
  setActive(bell, true);
  expect(await waitEndedBy(bell, 0, 1, 0)).toEqual({ rung: false, long: true });
});

it('tells its idle hook when the queue ran dry, after the report, and whether it still is', async () => {
  const seen: string[] = [];
  let stillIdle!: () => boolean;
  let dry!: () => void;
  const idle = (test: () => boolean) => {
    seen.push('idle');
    stillIdle = test;
    dry();
  };
  const onMessage = createWorkerRuntime((m) => seen.push(m.t), false, {
    onFatal: (e) => {
      throw e;
    },
    onIdle: idle,
  });
  const run = (index: number) => {
    const ranDry = new Promise<void>((res) => {
      dry = res;
    });
    onMessage({ t: 'run', run: '0.0', tasks: [[index, `a-${index}`, literal(index)]], enc: false });
    return ranDry;
  };
  await run(0);
  expect(seen).toEqual(['done', 'idle']);
  expect(stillIdle()).toBe(true);
  const again = run(1);
  for (let i = 0; i < 10; i++) await Promise.resolve();
  expect(stillIdle()).toBe(false); // its next task is queued
  await again;
  expect(seen).toEqual(['done', 'idle', 'done', 'idle']);
  expect(stillIdle()).toBe(true);
});
