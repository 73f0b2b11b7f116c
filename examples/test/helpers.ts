/**
 * Shared by the example tests: which schedulers to run each example on (sync, and threads
 * once it is registered), and running a script's main() with its output captured.
 */
import { schedulerNames } from '@dusk/scheduler';
import { memoryIO } from '../dist/notebook/notebook.js';

/** Schedulers every example is tested on, as they become available. */
export function testSchedulers(): string[] {
  const wanted = ['sync', 'threads'];
  return wanted.filter((s) => schedulerNames().includes(s));
}

export interface Captured<R> {
  result: R;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Runs `main(argv, io)` in this process and captures what it prints. */
export async function runCaptured<R>(
  main: (argv: string[], io: ReturnType<typeof memoryIO>) => Promise<R>,
  argv: string[],
): Promise<Captured<R>> {
  const io = memoryIO();
  const result = await main(argv, io);
  const stdout = io.stdout();
  return { result, stdout, stderr: io.stderr(), lines: stdout.split('\n').filter((l) => l !== '') };
}
