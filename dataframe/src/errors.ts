/**
 * Errors of the dataframe package that core has no kind for: a user function whose output
 * does not match the meta it was declared with, and meta that cannot be inferred.
 */
import { ColumnNotFoundError, DuskError } from '@dusk/core';

/** A user function returned values that do not fit the declared meta. */
export class MetaMismatchError extends DuskError {
  constructor(message: string) {
    super('E_META_MISMATCH', message);
  }
}

/** Meta was not given and could not be inferred; the message says what to pass. */
export class MetaRequiredError extends DuskError {
  constructor(message: string) {
    super('E_META_REQUIRED', message);
  }
}

/** Throws ColumnNotFoundError unless `name` is one of `available`. */
export function checkColumn(name: string, available: readonly string[], where?: string): void {
  if (!available.includes(name)) throw new ColumnNotFoundError(name, available, where);
}
