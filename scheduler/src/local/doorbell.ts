/**
 * Waiting for the next message by spinning instead of sleeping, for a bounded time, between
 * threads of one process. A thread that goes back to its event loop with nothing to do
 * sleeps, and on these VMs waking it is slow: a message posted to a thread idle for 20 ms
 * reached its handler ~0.22-0.25 ms later, where a thread spinning on shared memory saw it
 * within 0.03-0.04 ms (medians of 380 posts each). A compute on a thread pool waits like
 * that at least twice: a worker for its first tasks (the caller builds and places the graph
 * meanwhile), and the caller for the report of a worker's last partition.
 *
 * A doorbell is a pair of counters on a SharedArrayBuffer: how many messages the sender
 * has posted (rung after each post) and, on the receiver's side, how many it has taken. A
 * waiter spins while the two are equal (nothing posted that it has not taken), so a message
 * posted between its last one and the wait ends the wait at once. A message that is never
 * delivered (its sender died) leaves the count ahead, and the receiver would stop spinning;
 * thread-transport.ts catches the count up when a worker exits. Either way a wrong count
 * costs at most a wait's time, never a message.
 */

/** Slots of a worker's bell: messages posted to it, and whether a compute may use it. */
const POSTED = 0;
const ACTIVE = 1;

/** A new bell on shared memory, to hand to the receiving thread. */
export function newBell(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** The sender's side: rings after each post. */
export function ring(bell: Int32Array): void {
  Atomics.add(bell, POSTED, 1);
}

/** Sets whether a compute may send work to the bell's thread soon (its waits spin). */
export function setActive(bell: Int32Array, on: boolean): void {
  Atomics.store(bell, ACTIVE, on ? 1 : 0);
}

function isActive(bell: Int32Array): boolean {
  return Atomics.load(bell, ACTIVE) === 1;
}

/** Messages posted so far. */
export function posted(bell: Int32Array): number {
  return Atomics.load(bell, POSTED);
}

/**
 * Spins until a message beyond the `taken` first ones is posted, for at most `ms`; with
 * `whileActive`, only while the bell is marked active. Returns whether one was posted.
 */
export function waitForPost(bell: Int32Array, taken: number, ms: number, whileActive: boolean) {
  const end = performance.now() + ms;
  for (let spins = 0; ; spins++) {
    if (Atomics.load(bell, POSTED) !== taken) return true;
    // performance.now() costs more than a load: check the time every 64 turns (~1 us).
    if ((spins & 63) !== 63) continue;
    if ((whileActive && !isActive(bell)) || performance.now() > end) return false;
  }
}
