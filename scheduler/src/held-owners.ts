/**
 * Owners of held data (a processes pool, a connection to a cluster), by the id their
 * markers carry, and the finalizer that tells an owner when a persisted collection is
 * gone: markers live in the persisted collection's graph, so once no graph refers to one,
 * its partition can be dropped from its worker.
 */
import type { HeldMarker, Key } from '@dusk/core';

export interface HeldOwner {
  /** The values of held keys, brought to the caller (for another scheduler's compute). */
  fetch(keys: readonly Key[]): Promise<unknown[]>;
  /** No graph refers to these keys any more. */
  drop(keys: readonly Key[]): void;
}

const owners = new Map<string, HeldOwner>();

const finalizer = new FinalizationRegistry<{ owner: string; key: Key }>(({ owner, key }) =>
  owners.get(owner)?.drop([key]),
);

/** Makes an owner's markers readable by every scheduler of this process. */
export function registerHeldOwner(id: string, owner: HeldOwner): void {
  owners.set(id, owner);
}

/** The owner is gone (pool closed, connection lost): its markers point at nothing. */
export function unregisterHeldOwner(id: string): void {
  owners.delete(id);
}

export function heldOwner(id: string): HeldOwner | undefined {
  return owners.get(id);
}

/** Drops each marker's key from its owner once the marker is garbage collected. */
export function trackHeld(markers: readonly HeldMarker[]): void {
  for (const m of markers) finalizer.register(m, { owner: m.__duskHeld, key: m.key });
}
