/**
 * Running an example script from the command line: detect that the module is the entry
 * point, run its `main(argv)`, and turn an error into a message and exit code 1 (Dusk
 * errors already say what went wrong and how to fix it; no stack unless DUSK_DEBUG=1).
 */
import { isDuskError, isMain } from '@dusk/core';

export { isMain };

/**
 * Runs `main` with the process arguments if `moduleUrl` is the entry point.
 * @example await runIfMain(import.meta.url, main);
 */
export async function runIfMain(
  moduleUrl: string,
  main: (argv: string[]) => unknown,
): Promise<void> {
  if (!isMain(moduleUrl)) return;
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    const err = e as Error;
    const head = isDuskError(e) ? `${err.name} [${(e as { code: string }).code}]` : err.name;
    process.stderr.write(`${head}: ${err.message}\n`);
    if (process.env.DUSK_DEBUG === '1' || !isDuskError(e)) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
