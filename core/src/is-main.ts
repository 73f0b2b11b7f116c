/**
 * Dusk's `if __name__ == '__main__'`: workers import a user's module to find the task
 * functions it declares, which runs its top level again on each worker thread. Code that
 * starts computations belongs behind `isMain(import.meta.url)`.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/**
 * Whether the module at `moduleUrl` is the script Node was started with, on the main
 * thread (false inside Dusk's worker threads and child processes).
 * @example if (isMain(import.meta.url)) await main();
 */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!isMainThread || !entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === moduleUrl;
  } catch {
    return false;
  }
}
