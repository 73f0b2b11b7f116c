/**
 * Every error a Dusk user can meet: one base class, a subclass per kind, a stable `code`.
 * Errors cross thread, process and network boundaries as plain objects
 * (`toPlainError` / `fromPlainError`), never by `instanceof` across that boundary.
 */

/** Plain, cloneable description of an error, as sent between workers and the caller. */
export interface PlainError {
  name: string;
  code: string;
  message: string;
  stack?: string;
  key?: string;
  worker?: string;
}

const BRAND = Symbol.for('dusk.error');

/**
 * Base of all Dusk errors.
 * @example
 * try { await x.compute(); } catch (e) { if (isDuskError(e)) console.log(e.code); }
 */
export class DuskError extends Error {
  readonly code: string;
  readonly [BRAND] = true;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** True for any Dusk error, even one made by another copy of this package. */
export function isDuskError(e: unknown): e is DuskError {
  return typeof e === 'object' && e !== null && (e as any)[BRAND] === true;
}

/** A graph has a cycle; `cycle` lists the keys in order, first repeated at the end. */
export class GraphCycleError extends DuskError {
  constructor(readonly cycle: readonly string[]) {
    super(
      'E_GRAPH_CYCLE',
      `The task graph has a cycle: ${cycle.join(' -> ')}. A task cannot depend on itself, ` +
        'directly or through others; check how these keys were built.',
    );
  }
}

/** A task refers to a key that is not in the graph. */
export class MissingKeyError extends DuskError {
  constructor(
    readonly key: string,
    readonly neededBy?: string,
  ) {
    super(
      'E_MISSING_KEY',
      neededBy === undefined
        ? `Key '${key}' is not in the graph. Request only keys of the collections you compute.`
        : `Task '${neededBy}' refers to key '${key}', which is not in the graph. ` +
            'Merge the graph that defines it, or build the task from a collection that has it.',
    );
  }
}

/** A task raised an error while running; carries the key and the original stack. */
export class TaskError extends DuskError {
  readonly key: string;
  readonly originalName: string;
  readonly originalStack?: string;
  readonly worker?: string;
  constructor(
    key: string,
    original: { name?: string; message: string; stack?: string },
    worker?: string,
    options?: { cause?: unknown },
  ) {
    const where = worker ? ` on ${worker}` : '';
    super('E_TASK_FAILED', `Task '${key}' failed${where}: ${original.message}`, options);
    this.key = key;
    this.originalName = original.name ?? 'Error';
    this.originalStack = original.stack;
    this.worker = worker;
    if (original.stack)
      this.stack = `${this.name}: ${this.message}\n--- original stack ---\n${original.stack}`;
  }
}

/** A lambda uses a variable from its surroundings, so it cannot be sent to a worker. */
export class FreeVariableError extends DuskError {
  constructor(
    readonly names: readonly string[],
    readonly source: string,
  ) {
    const list = names.map((n) => `'${n}'`).join(', ');
    super(
      'E_FREE_VARIABLE',
      `The function \`${abbreviate(source)}\` uses ${list} from its surroundings. Functions are sent ` +
        'to workers as source text, so they can only use their own arguments and globals. Pass ' +
        `${names.length > 1 ? 'these values' : 'the value'} as an argument, or export the function ` +
        'from a module and use it with tasks(import.meta.url, { fn }).',
    );
  }
}

/** A function reference could not be turned into a function. */
export class FunctionResolveError extends DuskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_FUNCTION_RESOLVE', message, options);
  }
}

/** The caller aborted a computation through its AbortSignal. */
export class AbortError extends DuskError {
  constructor(reason?: unknown) {
    super('E_ABORTED', `The computation was aborted${reason ? `: ${String(reason)}` : ''}.`);
  }
}

/** An argument given to a Dusk API is not valid; the message says which and why. */
export class InvalidArgumentError extends DuskError {
  constructor(message: string) {
    super('E_INVALID_ARGUMENT', message);
  }
}

/** Two shapes do not fit together (broadcasting, concatenation, matmul, ...). */
export class ShapeError extends DuskError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** A dtype is not accepted by an operation, or two dtypes do not mix. */
export class DtypeError extends DuskError {
  constructor(message: string) {
    super('E_DTYPE', message);
  }
}

/** A column or field name that does not exist. */
export class ColumnNotFoundError extends DuskError {
  constructor(
    readonly column: string,
    readonly available: readonly string[],
    where = 'the frame',
  ) {
    super(
      'E_COLUMN_NOT_FOUND',
      `Column '${column}' is not in ${where}. Available columns: ${available.map((c) => `'${c}'`).join(', ') || '(none)'}.`,
    );
  }
}

/** Bad input data: a malformed file, a value of the wrong type, a broken message. */
export class InputError extends DuskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_INPUT', message, options);
  }
}

/** A value cannot be serialized to cross a thread, process or network boundary. */
export class SerializationError extends DuskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_SERIALIZATION', message, options);
  }
}

/** A worker died or stopped answering, more often than the retry limit allows. */
export class WorkerError extends DuskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_WORKER', message, options);
  }
}

function abbreviate(source: string): string {
  const flat = source.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** Turns any thrown value into a plain, cloneable error description. */
export function toPlainError(e: unknown, key?: string): PlainError {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const err = e as Error & { code?: unknown; key?: unknown };
    return {
      name: err.name ?? 'Error',
      code: typeof err.code === 'string' ? err.code : 'E_TASK_FAILED',
      message: String(err.message),
      stack: err.stack,
      key: key ?? (typeof err.key === 'string' ? err.key : undefined),
    };
  }
  return { name: 'Error', code: 'E_TASK_FAILED', message: String(e), key };
}

/**
 * Rebuilds an error that failed inside a task elsewhere: a TaskError naming the key and
 * keeping the original name, message and stack.
 */
export function fromPlainError(p: PlainError): DuskError {
  if (p.name === 'TaskError' && p.code === 'E_TASK_FAILED' && p.key) {
    return new TaskError(p.key, { name: p.name, message: p.message, stack: p.stack }, p.worker);
  }
  if (p.key) return new TaskError(p.key, p, p.worker);
  const err = new DuskError(p.code, p.message);
  err.name = p.name;
  if (p.stack) err.stack = p.stack;
  return err;
}
