// The distributed scheduler's wire and message checks, fed raw bytes and plain objects
// with no socket (ws's receiver tests are the model): what round-trips, and the typed
// error every broken or hostile message gets.
import { lambdaFn, literal, moduleFn, quote, ref, task } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { admitGraph } from '../src/distributed/admission.js';
import {
  checkClientMessage,
  checkHello,
  checkServerToClient,
  checkWorkerMessage,
  PROTOCOL_VERSION,
} from '../src/distributed/messages.js';
import {
  decodeFrame,
  encodeFrame,
  FrameReader,
  framesOf,
  PARTIAL,
} from '../src/distributed/wire.js';

const roundTrip = (v: unknown) => decodeFrame(encodeFrame(v));

describe('wire', () => {
  it('keeps typed arrays (views and shared memory too), Map, Set, Date, BigInt, undefined', () => {
    const shared = new Float64Array(new SharedArrayBuffer(32));
    shared.set([1, 2.5, -0, Number.NaN]);
    const view = new Int32Array(new Int32Array([9, 8, 7, 6]).buffer, 4, 2);
    const value = {
      shared,
      view,
      big: new BigInt64Array([5n, -(2n ** 62n)]),
      map: new Map<unknown, unknown>([
        [1, 'a'],
        ['k', { nested: new Uint8Array([3]) }],
      ]),
      set: new Set([1, 'x']),
      date: new Date(86_400_000),
      n: 5n,
      list: [undefined, null, 2 ** 53 - 1],
    };
    const back = roundTrip(value) as typeof value;
    expect(back.shared).toBeInstanceOf(Float64Array);
    expect([...back.shared]).toEqual([1, 2.5, -0, Number.NaN]);
    expect(Object.is(back.shared[2], -0)).toBe(true);
    expect(back.view).toBeInstanceOf(Int32Array);
    expect([...back.view]).toEqual([8, 7]);
    expect(back.map).toBeInstanceOf(Map);
    expect(back.map.get('k')).toEqual({ nested: new Uint8Array([3]) });
    expect(back).toEqual(value);
  });

  it('refuses bytes that are not exactly one msgpack value with E_PROTOCOL', () => {
    for (const bytes of [[0x92, 0x01], [0x01, 0x02], [0xdd, 0xff, 0xff, 0xff, 0xff], []]) {
      expect(() => decodeFrame(new Uint8Array(bytes), 'peer 1')).toThrow(
        expect.objectContaining({ code: 'E_PROTOCOL' }),
      );
    }
    try {
      decodeFrame(new Uint8Array([0x92, 0x01]), 'peer 1');
    } catch (e) {
      expect(e).toMatchObject({ code: 'E_PROTOCOL' });
      expect((e as Error).message).toContain('peer 1');
    }
  });

  it('does not let a key named __proto__ change prototypes', () => {
    const hostile = encodeFrame(JSON.parse('{"__proto__": {"polluted": 1}}'));
    const back = decodeFrame(hostile) as object;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe('messages in parts', () => {
  const readAll = (reader: FrameReader, frames: Uint8Array[]) =>
    frames.map((f) => reader.read(f)).filter((m) => m !== PARTIAL);

  it('sends a long message as a header and parts, and reads it back whole', () => {
    const big = Float64Array.from({ length: 5000 }, (_, i) => i / 7);
    const message = { t: 'result', id: 3, values: [big, 'tail'] };
    const small = { partBytes: 4096, maxMessageBytes: 2 ** 20 };
    const frames = framesOf(message, small);
    expect(frames.length).toBe(1 + Math.ceil(encodeFrame(message).byteLength / 4096));
    expect(frames.slice(1).every((f) => f.byteLength <= 4096)).toBe(true);
    // A short message before and after: one reader keeps them apart.
    const reader = new FrameReader('peer 1');
    const got = readAll(reader, [
      ...framesOf({ t: 'a' }, small),
      ...frames,
      ...framesOf({ t: 'b' }, small),
    ]);
    expect(got).toEqual([{ t: 'a' }, message, { t: 'b' }]);
    expect((got[1] as typeof message).values[0]).toBeInstanceOf(Float64Array);
    // A message that fits is one frame, as before.
    expect(framesOf(message)).toHaveLength(1);
  });

  it('refuses to send a message longer than the receiver takes, naming the limit', () => {
    const message = { t: 'result', id: 1, values: [new Float64Array(20_000)] };
    expect(() =>
      framesOf(message, { partBytes: 4096, maxMessageBytes: 100_000 }, 'the scheduler'),
    ).toThrow(
      expect.objectContaining({
        code: 'E_PROTOCOL',
        message: expect.stringMatching(/longer than the scheduler takes \(100000 bytes\)/),
      }),
    );
  });

  it('refuses a header that asks for too much or names no parts, and parts that do not add up', () => {
    const header = (bytes: unknown, n: unknown) => encodeFrame({ t: '~parts', bytes, n });
    const refused = (frames: Uint8Array[], what: RegExp, max?: number) => {
      const reader = new FrameReader('peer 2', max);
      expect(() => readAll(reader, frames)).toThrow(
        expect.objectContaining({ code: 'E_PROTOCOL', message: expect.stringMatching(what) }),
      );
    };
    refused([header(2 ** 40, 2)], /1 to \d+ bytes/);
    refused([header(100, 2)], /1 to 50 bytes/, 50);
    refused([header(100, 0)], /parts 0/);
    refused([header(100, 1.5)], /parts 1.5/);
    refused([header('100', 1)], /bytes 100/);
    refused([header(8, 1), new Uint8Array(9)], /more than the 8 bytes/);
    refused([header(8, 2), new Uint8Array(3), new Uint8Array(3)], /6 of the 8 bytes/);
    // Announced and delivered, but not msgpack.
    refused([header(2, 1), new Uint8Array([0x92, 0x01])], /not valid msgpack/);
  });
});

describe('message checks', () => {
  const hello = { t: 'hello', v: PROTOCOL_VERSION, role: 'worker', name: 'w', nthreads: 2 };

  it('accepts well-formed hellos and refuses every malformed one by name', () => {
    expect(checkHello(hello, 'p')).toEqual(hello);
    expect(checkHello({ t: 'hello', v: PROTOCOL_VERSION, role: 'client' }, 'p').role).toBe(
      'client',
    );
    const bad: [unknown, string][] = [
      [null, 'not an object'],
      [[1, 2], 'not an object'],
      [{ t: 'compute' }, "expected 'hello'"],
      [{ ...hello, v: 99 }, 'protocol version 99'],
      [{ ...hello, role: 'admin' }, '`role`'],
      [{ ...hello, nthreads: 0 }, '`nthreads`'],
      [{ ...hello, nthreads: 1e9 }, '`nthreads`'],
      [{ ...hello, name: '' }, '`name`'],
      [{ ...hello, token: 5 }, '`token`'],
    ];
    for (const [m, why] of bad) {
      expect(() => checkHello(m, 'p')).toThrow(why);
      expect(() => checkHello(m, 'p')).toThrow(expect.objectContaining({ code: 'E_PROTOCOL' }));
    }
  });

  it('checks client and worker messages field by field', () => {
    const compute = {
      t: 'compute',
      id: 1,
      keys: ['x'],
      graph: [['x', { value: 1 }]],
      enc: false,
      progress: false,
    };
    expect(checkClientMessage(compute, 'c').t).toBe('compute');
    expect(() => checkClientMessage({ ...compute, id: -1 }, 'c')).toThrow('`id`');
    expect(() => checkClientMessage({ ...compute, keys: [1] }, 'c')).toThrow('`keys`');
    expect(() => checkClientMessage({ ...compute, graph: [['x']] }, 'c')).toThrow('[key, node]');
    expect(() => checkClientMessage({ ...compute, t: 'shutdown' }, 'c')).toThrow('unknown');
    expect(() => checkClientMessage({ ...compute, workers: 0 }, 'c')).toThrow('`workers`');
    const done = { t: 'msg', th: 0, msg: { t: 'done', run: '0.0:0', items: [0, 8, 1] } };
    expect(checkWorkerMessage(done, 'w', 1)).toEqual(done);
    expect(() => checkWorkerMessage({ ...done, th: 1 }, 'w', 1)).toThrow('0..0');
    const items = { ...done, msg: { ...done.msg, items: [0, 8] } };
    expect(() => checkWorkerMessage(items, 'w', 1)).toThrow('triples');
    const noRun = { ...done, msg: { t: 'done', items: [] } };
    expect(() => checkWorkerMessage(noRun, 'w', 1)).toThrow('`run`');
    expect(() => checkWorkerMessage({ t: 'exit', th: 0 }, 'w', 1)).toThrow('unknown');
    expect(() => checkServerToClient({ t: 'result', id: 1 }, 's')).toThrow(
      expect.objectContaining({ code: 'E_PROTOCOL' }),
    );
  });
});

describe('admission', () => {
  const at = 'ws://127.0.0.1:8786';
  const kernel = moduleFn('@dusk/core/kernels', 'getItem');
  const entries = (fn: ReturnType<typeof moduleFn> | ReturnType<typeof lambdaFn>) =>
    [
      ['a', literal([1, 2])],
      ['b', task(fn, [ref('a'), 0])],
    ] as [string, unknown][];

  it('admits module exports from anyone and lambdas from trusted clients', () => {
    expect([...admitGraph(entries(kernel), false, at).keys()]).toEqual(['a', 'b']);
    expect(admitGraph(entries(lambdaFn((x: number[]) => x[0])), true, at).size).toBe(2);
  });

  it('refuses a lambda, also one nested inline, from an untrusted client with E_AUTH', () => {
    const lambda = lambdaFn((x: number[]) => x[0]);
    expect(() => admitGraph(entries(lambda), false, at)).toThrow(
      expect.objectContaining({ code: 'E_AUTH' }),
    );
    const nested = [['c', task(kernel, [task(lambda, [1]), 0])]] as [string, unknown][];
    expect(() => admitGraph(nested, false, at)).toThrow(/Task 'c' ships its function as source/);
  });

  it('refuses functions quoted in the arguments of a kernel the same way', () => {
    const spec = quote({ ops: [{ op: 'map', fn: lambdaFn((x: number) => x * 2) }] });
    const mapped = [['m', task(kernel, [spec, 0])]] as [string, unknown][];
    expect(() => admitGraph(mapped, false, at)).toThrow(/Task 'm' carries source text/);
    expect(admitGraph(mapped, true, at).size).toBe(1);
    const exec = quote({ fn: moduleFn('node:child_process', 'execSync') });
    const shell = [['s', task(kernel, [exec, 0])]] as [string, unknown][];
    expect(() => admitGraph(shell, false, at)).toThrow(/built-in module 'node:child_process'/);
    // Data without such fields, typed arrays included, passes.
    const data = [['d', task(kernel, [quote({ rows: [{ a: 1 }], v: new Float64Array(4) }), 0])]];
    expect(admitGraph(data as [string, unknown][], false, at).size).toBe(1);
  });

  it("refuses Node's built-in modules from an untrusted client", () => {
    const exec = moduleFn('node:child_process', 'execSync');
    expect(() => admitGraph(entries(exec), false, at)).toThrow(/built-in module/);
    expect(() => admitGraph(entries(moduleFn('fs', 'rmSync')), false, at)).toThrow(/built-in/);
  });

  it('refuses nodes that are neither literals nor tasks, and malformed function references', () => {
    expect(() => admitGraph([['x', { nope: 1 }]], true, at)).toThrow(
      expect.objectContaining({ code: 'E_PROTOCOL' }),
    );
    const badFn = [['x', { fn: { module: 3 }, args: [] }]] as [string, unknown][];
    expect(() => admitGraph(badFn, true, at)).toThrow(/neither \{ module, name \}/);
  });
});
