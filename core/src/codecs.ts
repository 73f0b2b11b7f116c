/**
 * The serialization registry: how values that structured clone or msgpack cannot carry
 * faithfully (Arrow tables, class-backed chunks) cross thread, process and network
 * boundaries. A codec turns a value into a plain header plus raw byte buffers and back.
 * Workers find a codec by name; `module` names the module whose import registers it, so a
 * worker that has never seen the codec imports that module first.
 */
import { InvalidArgumentError } from './errors.js';

export interface Encoded {
  /** Plain data (msgpack/structured-clone safe) describing the value. */
  header: unknown;
  /** Raw bytes, sent without copying where the transport allows (transfer, SAB, out of band). */
  buffers: ArrayBufferView[];
}

export interface Codec<T = unknown> {
  /** Stable name, e.g. 'arrow-table'. */
  readonly name: string;
  /** Module whose import registers this codec, e.g. '@dusk/dataframe/kernels'. */
  readonly module: string;
  test(value: unknown): value is T;
  encode(value: T): Encoded;
  decode(header: unknown, buffers: Uint8Array[]): T;
  /**
   * Bytes the value holds, for placing tasks near their inputs (optional). Without it a
   * value is sized by walking its objects, which for an Arrow table took 3.4 us and counted
   * the objects' keys rather than its buffers.
   */
  nbytes?(value: T): number;
}

const codecs = new Map<string, Codec>();

/**
 * Registers a codec. Registering the same name again from the same module is a no-op
 * (a module imported twice); from another module it is refused.
 * @example registerCodec({ name: 'arrow-table', module: '@dusk/dataframe/kernels', test, encode, decode })
 */
export function registerCodec<T>(codec: Codec<T>): void {
  const existing = codecs.get(codec.name);
  if (existing && existing.module !== codec.module) {
    throw new InvalidArgumentError(
      `Codec '${codec.name}' is already registered by '${existing.module}'; '${codec.module}' cannot replace it.`,
    );
  }
  codecs.set(codec.name, codec as Codec);
}

/** The codec that handles `value`, if any. */
export function codecFor(value: unknown): Codec | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const c of codecs.values()) if (c.test(value)) return c;
  return undefined;
}

/** A codec by name; imports `module` first when the codec is not registered yet. */
export async function loadCodec(name: string, module?: string): Promise<Codec> {
  let c = codecs.get(name);
  if (!c && module) {
    await import(module);
    c = codecs.get(name);
  }
  if (!c)
    throw new InvalidArgumentError(
      `No codec named '${name}' is registered${module ? ` by '${module}'` : ''}.`,
    );
  return c;
}

/** Whether any codec is registered (if none, values need no walk before they move). */
export function hasCodecs(): boolean {
  return codecs.size > 0;
}

/** A registered codec by name, without importing. */
export function getCodec(name: string): Codec | undefined {
  return codecs.get(name);
}
