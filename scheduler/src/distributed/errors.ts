/**
 * Errors of the distributed scheduler: broken or hostile messages, refused credentials,
 * a scheduler that cannot be reached, a cluster without workers. Each has a stable `code`
 * and says what happened, where, and what to do.
 */
import { DuskError } from '@dusk/core';

/** A message broke the protocol: not msgpack, unknown type, wrong shape, too large. */
export class DistributedProtocolError extends DuskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_PROTOCOL', message, options);
  }
}

/** A connection or a graph was refused for want of the cluster's token. */
export class DistributedAuthError extends DuskError {
  constructor(message: string) {
    super('E_AUTH', message);
  }
}

/** The scheduler could not be reached, or the connection to it was lost. */
export class SchedulerConnectionError extends DuskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_CONNECTION', message, options);
  }
}

/** No worker was connected to run a compute, or to take over from one that left. */
export class NoWorkersError extends DuskError {
  constructor(message: string) {
    super('E_NO_WORKERS', message);
  }
}
