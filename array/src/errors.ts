/**
 * Errors that only arrays raise; the rest (ShapeError, DtypeError, InvalidArgumentError)
 * come from @dusk/core. Each has a stable code and a message saying what, where, and how
 * to fix it.
 */
import { DuskError } from '@dusk/core';

/** An axis outside `[-ndim, ndim)`. @example x.sum(5) // AxisError: sum: axis 5 is out of range for an array with ndim 2 ... */
export class AxisError extends DuskError {
  constructor(
    readonly axis: number,
    readonly ndim: number,
    where: string,
  ) {
    super(
      'E_AXIS',
      `${where}: axis ${axis} is out of range for an array with ndim ${ndim}; ` +
        `use an axis in [${-ndim}, ${ndim - 1}].`,
    );
  }
}

/** An operation needs chunk sizes that are unknown (after a boolean mask). @example x.mask(m).rechunk(10) // UnknownChunksError */
export class UnknownChunksError extends DuskError {
  constructor(where: string) {
    super(
      'E_UNKNOWN_CHUNKS',
      `${where} needs known chunk sizes, but this array's chunk sizes are unknown (NaN) ` +
        'after boolean-mask selection. Call `await x.computeChunkSizes()` first.',
    );
  }
}
