/**
 * Errors of bags that core has no kind for. Each has a stable code; inside a task they reach
 * the caller as a TaskError carrying this message, so the message names the partition.
 */
import { DuskError } from '@dusk/core';

/** `pluck` (or a field key) asked for a key that an element does not have. */
export class KeyNotFoundError extends DuskError {
  constructor(
    readonly key: string | number,
    readonly partition: number,
    readonly element: number,
    available: readonly string[],
  ) {
    const shown = available.slice(0, 10).map((k) => `'${k}'`);
    if (available.length > 10) shown.push('...');
    super(
      'E_KEY_NOT_FOUND',
      `Key '${String(key)}' is missing from element ${element} of partition ${partition} ` +
        `(its keys: ${shown.join(', ') || '(none)'}). Pass a default, e.g. pluck('${String(key)}', null), ` +
        'or filter out elements without it first.',
    );
  }
}
