// Random task graphs (fan-in, fan-out, shared inputs, several outputs, literals, inline
// tasks) on the worker pools must give exactly what the sync scheduler gives.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Graph, lambdaFn, literal, order, ref, task } from '@dusk/core';
import { closePools, getScheduler } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';

afterAll(() => closePools());

// Mixes its inputs into one number, after a little work so tasks interleave on workers.
const mix = lambdaFn((salt: number, spinMs: number, ...xs: number[]) => {
  const end = performance.now() + spinMs;
  while (performance.now() < end);
  let h = salt;
  for (const x of xs) h = (Math.imul(h ^ x, 2654435761) >>> 0) % 1000003;
  return h;
});

// mix, but the first call kills its worker (a marker file says it already did).
const crashOnce = lambdaFn((marker: string, salt: number, spinMs: number, ...xs: number[]) => {
  const fs = (process as any).getBuiltinModule('node:fs');
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, 'crashed');
    process.exit(5);
  }
  const end = performance.now() + spinMs;
  while (performance.now() < end);
  let h = salt;
  for (const x of xs) h = (Math.imul(h ^ x, 2654435761) >>> 0) % 1000003;
  return h;
});

/** The graph with its task `key` replaced by one that kills its worker the first time. */
function withCrash(graph: Graph, key: string, marker: string): Graph {
  const g = new Map(graph);
  const node = g.get(key) as { args: any[] };
  g.set(key, task(crashOnce, [marker, ...node.args]));
  return g;
}

function randomGraph(seed: number): { graph: Graph; outputs: string[] } {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const graph: Graph = new Map();
  const keys: string[] = [];
  const n = 20 + Math.floor(rand() * 60);
  for (let i = 0; i < n; i++) {
    const key = `t${seed}-${i}`;
    if (i < 3 || rand() < 0.1) graph.set(key, literal(i * 7));
    else {
      const fanIn = 1 + Math.floor(rand() * Math.min(6, i));
      const args: any[] = [i, rand() < 0.2 ? 1 : 0];
      for (let j = 0; j < fanIn; j++) args.push(ref(keys[Math.floor(rand() * i)]!));
      // Now and then an inline task among the arguments, as fusion makes them.
      if (rand() < 0.2) args.push(task(mix, [i + 1, 0, ref(keys[Math.floor(rand() * i)]!)]));
      graph.set(key, task(mix, args));
    }
    keys.push(key);
  }
  const outputs = keys.filter(() => rand() < 0.15);
  outputs.push(keys[n - 1]!);
  return { graph, outputs: [...new Set(outputs)] };
}

describe.each([
  ['threads', 3],
  ['processes', 2],
] as const)('random graphs on %s x%i', (name, workers) => {
  it('agree with sync', async () => {
    const sync = getScheduler('sync');
    const pool = getScheduler(name, { workers });
    for (let seed = 1; seed <= 25; seed++) {
      const { graph, outputs } = randomGraph(seed);
      const expected = await sync.run(graph, outputs);
      expect(await pool.run(graph, outputs), `seed ${seed}`).toEqual(expected);
    }
  });

  it('agree with sync when a worker dies halfway through', async () => {
    const sync = getScheduler('sync');
    const pool = getScheduler(name, { workers });
    const dir = mkdtempSync(join(tmpdir(), 'dusk-random-'));
    for (let seed = 1; seed <= 6; seed++) {
      const { graph, outputs } = randomGraph(seed);
      const tasks = order(graph, outputs).filter((k) => 'fn' in graph.get(k)!);
      const victim = tasks[Math.floor(tasks.length / 2)]!;
      const expected = await sync.run(graph, outputs);
      const marker = join(dir, `crash-${seed}`);
      const crashing = withCrash(graph, victim, marker);
      expect(await pool.run(crashing, outputs), `seed ${seed}`).toEqual(expected);
      expect(existsSync(marker)).toBe(true);
    }
  });

  it('agree with sync when all run at once on the same pool', async () => {
    const sync = getScheduler('sync');
    const pool = getScheduler(name, { workers });
    const graphs = Array.from({ length: 25 }, (_, i) => randomGraph(100 + i));
    const expected = await Promise.all(graphs.map((g) => sync.run(g.graph, g.outputs)));
    expect(await Promise.all(graphs.map((g) => pool.run(g.graph, g.outputs)))).toEqual(expected);
  });
});
