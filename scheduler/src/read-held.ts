/**
 * Before a compute: markers of held data that the chosen scheduler cannot read in place
 * (another pool's, a cluster connection's, any on sync or threads) are replaced by their
 * values, fetched from their owner, so every scheduler gives the same results.
 */
import { type Graph, heldMarkerOf, heldMarkers, type Key } from '@dusk/core';
import { heldOwner } from './held-owners.js';
import { HeldDataLostError } from './local/errors.js';
import { pushTo } from './local/multimap.js';
import type { Scheduler } from './scheduler.js';

/** `graph` with literal values in place of the markers `scheduler` does not own. */
export async function readHeld(graph: Graph, scheduler: Scheduler): Promise<Graph> {
  const foreign = new Map<string, Key[]>();
  for (const [k, m] of heldMarkers(graph)) {
    if (m.key === k && scheduler.owns?.(m.__duskHeld)) continue;
    pushTo(foreign, m.__duskHeld, k);
  }
  if (foreign.size === 0) return graph;
  const out = new Map(graph);
  await Promise.all(
    [...foreign].map(async ([id, nodeKeys]) => {
      const keys = nodeKeys.map((k) => heldMarkerOf(graph.get(k))!.key);
      const owner = heldOwner(id);
      if (!owner) {
        throw new HeldDataLostError(keys[0]!, `it was kept by ${id}, which has been closed`);
      }
      const values = await owner.fetch(keys);
      for (let i = 0; i < nodeKeys.length; i++) out.set(nodeKeys[i]!, { value: values[i] });
    }),
  );
  return out;
}
