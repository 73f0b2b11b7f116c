import { type Graph, graphFrom, lambdaFn, literal, type Node, order, ref, task } from '@dusk/core';
import { SyncScheduler } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';

const leaf = lambdaFn((i: number) => new Float64Array(16).fill(i));
const combine = lambdaFn((...parts: Float64Array[]) => {
  const out = new Float64Array(16);
  for (const p of parts) for (let i = 0; i < 16; i++) out[i]! += p[i]!;
  return out;
});

/** A tree reduction of `n` leaves combined `splitEvery` at a time; returns the graph and root. */
function treeReduction(
  n: number,
  splitEvery: number,
): { graph: Graph; root: string; depth: number } {
  const nodes: Record<string, Node> = {};
  let level = Array.from({ length: n }, (_, i) => {
    nodes[`leaf:${i}`] = task(leaf, [i]);
    return `leaf:${i}`;
  });
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += splitEvery) {
      const k = `combine-${depth}:${next.length}`;
      nodes[k] = task(combine, level.slice(i, i + splitEvery).map(ref));
      next.push(k);
    }
    level = next;
  }
  return { graph: graphFrom(nodes), root: level[0]!, depth };
}

describe('order', () => {
  it('puts every key after its dependencies', () => {
    const { graph, root } = treeReduction(50, 4);
    const o = order(graph, [root]);
    const pos = new Map(o.map((k, i) => [k, i]));
    expect(o.length).toBe(graph.size);
    for (const [k, node] of graph) {
      if (!('args' in node)) continue;
      for (const a of node.args) {
        if (typeof a === 'object' && a !== null && 'ref' in a)
          expect(pos.get(a.ref as string)!).toBeLessThan(pos.get(k)!);
      }
    }
  });

  it('is deterministic', () => {
    const { graph, root } = treeReduction(200, 8);
    expect(order(graph, [root])).toEqual(order(graph, [root]));
  });

  it('a 1000-leaf tree reduction holds O(splitEvery x depth) results at once on the sync scheduler', async () => {
    const splitEvery = 8;
    const { graph, root, depth } = treeReduction(1000, splitEvery);
    let maxHeld = 0;
    const [result] = await new SyncScheduler().run(graph, [root], {
      onProgress: (p) => {
        maxHeld = Math.max(maxHeld, p.inMemory ?? 0);
      },
    });
    expect((result as Float64Array)[0]).toBe((999 * 1000) / 2);
    expect(depth).toBe(4);
    expect(maxHeld).toBeLessThanOrEqual(splitEvery * depth);
  });

  it('keeps memory small for many independent chains too', async () => {
    const nodes: Record<string, Node> = {};
    const ends: string[] = [];
    for (let i = 0; i < 100; i++) {
      nodes[`a:${i}`] = literal(i);
      nodes[`b:${i}`] = task(leaf, [ref(`a:${i}`)]);
      nodes[`c:${i}`] = task(combine, [ref(`b:${i}`)]);
      ends.push(`c:${i}`);
    }
    nodes.total = task(combine, ends.map(ref));
    let maxHeld = 0;
    await new SyncScheduler().run(graphFrom(nodes), ['total'], {
      onProgress: (p) => {
        maxHeld = Math.max(maxHeld, p.inMemory ?? 0);
      },
    });
    // The 100 chain ends must all be held for the final combine, but no more than that.
    expect(maxHeld).toBeLessThanOrEqual(102);
  });
});
