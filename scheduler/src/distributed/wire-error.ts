/**
 * Errors crossing the socket from the scheduler to a client: a plain description out,
 * the same error class back in (a task's error stays a TaskError with the original name,
 * message and stack; a crash stays E_WORKER; an abort stays an AbortError).
 */
import {
  AbortError,
  DuskError,
  FunctionResolveError,
  GraphCycleError,
  InvalidArgumentError,
  MissingKeyError,
  SerializationError,
  TaskError,
  toPlainError,
  WorkerError,
} from '@dusk/core';
import {
  DistributedAuthError,
  DistributedProtocolError,
  NoWorkersError,
  SchedulerConnectionError,
} from './errors.js';
import type { WireError } from './messages.js';

/** The class each code is rebuilt as (its prototype; the message is the sender's). */
const CLASSES: Record<string, { prototype: DuskError }> = {
  E_ABORTED: AbortError,
  E_WORKER: WorkerError,
  E_SERIALIZATION: SerializationError,
  E_FUNCTION_RESOLVE: FunctionResolveError,
  E_GRAPH_CYCLE: GraphCycleError,
  E_MISSING_KEY: MissingKeyError,
  E_INVALID_ARGUMENT: InvalidArgumentError,
  E_PROTOCOL: DistributedProtocolError,
  E_AUTH: DistributedAuthError,
  E_CONNECTION: SchedulerConnectionError,
  E_NO_WORKERS: NoWorkersError,
};

/** The plain description of an error, for the client. */
export function toWireError(e: unknown): WireError {
  const plain = toPlainError(e);
  const out: WireError = { ...plain };
  if (e instanceof TaskError) {
    const cause = e.cause as { message?: string; code?: unknown } | undefined;
    out.worker = e.worker;
    out.original = {
      name: e.originalName,
      message: cause?.message ?? e.message,
      stack: e.originalStack,
      code: typeof cause?.code === 'string' ? cause.code : undefined,
    };
  }
  return out;
}

/** The error a client throws for a description from the scheduler. */
export function fromWireError(w: WireError): Error {
  if (w.code === 'E_TASK_FAILED' && w.key && w.original) {
    const { name, message, stack, code } = w.original;
    const cause = Object.assign(new Error(message), { name, stack, code });
    return new TaskError(w.key, { name, message, stack }, w.worker, { cause });
  }
  const err = new DuskError(w.code, w.message);
  const cls = CLASSES[w.code];
  if (cls) Object.setPrototypeOf(err, cls.prototype);
  err.name = w.name;
  if (w.stack) err.stack = w.stack;
  return err;
}
