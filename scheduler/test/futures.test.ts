import { asCompleted, Client, closePools, isFuture, progress } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';

afterAll(() => closePools());

describe.each(['sync', 'threads'])('Client on %s', (scheduler) => {
  it('submit runs a function and result() waits for it', async () => {
    const client = new Client({ scheduler, workers: 2 });
    const f = client.submit((a: number, b: number) => a + b, [2, 3]);
    expect(isFuture(f)).toBe(true);
    expect(await f.result()).toBe(5);
    expect(f.status).toBe('finished');
    expect(f.done()).toBe(true);
    await client.close();
  });

  it('map + gather, and futures passed to later submits', async () => {
    const client = new Client({ scheduler, workers: 2 });
    const squares = client.map((x: number) => x * x, [1, 2, 3, 4]);
    const total = client.submit((xs: number[]) => xs.reduce((a, b) => a + b, 0), [squares]);
    expect(await client.gather(squares)).toEqual([1, 4, 9, 16]);
    expect(await total.result()).toBe(30);
    await client.close();
  });

  it('map over several iterables stops at the shortest, with options last', async () => {
    const client = new Client({ scheduler, workers: 2 });
    const futures = client.map((a: number, b: number) => a + b, [1, 2, 3], [10, 20], {
      name: 'plus',
    });
    expect(await client.gather(futures)).toEqual([11, 22]);
    expect(futures[0]!.key.startsWith('plus-')).toBe(true);
    expect(() => client.map((x: number) => x)).toThrow(/at least one iterable/);
    await client.close();
  });

  it('a failing task rejects its future with the key and the message', async () => {
    const client = new Client({ scheduler, workers: 2 });
    const f = client.submit(
      (x: number) => {
        throw new RangeError(`no ${x}`);
      },
      [7],
      { name: 'explode' },
    );
    await expect(f.result()).rejects.toMatchObject({
      code: 'E_TASK_FAILED',
      message: expect.stringMatching(/no 7/),
    });
    expect(f.status).toBe('error');
    expect(f.key.startsWith('explode-')).toBe(true);
    await client.close();
  });

  it('pure submits of the same call share one future', async () => {
    const client = new Client({ scheduler, workers: 2 });
    const inc = (x: number) => x + 1;
    const a = client.submit(inc, [1], { pure: true });
    expect(client.submit(inc, [1], { pure: true })).toBe(a);
    expect(client.submit(inc, [2], { pure: true })).not.toBe(a);
    await client.close();
  });

  it('asCompleted yields every future once; progress counts them all', async () => {
    const client = new Client({ scheduler, workers: 2 });
    const futures = client.map(
      (ms: number) => new Promise((r) => setTimeout(() => r(ms), ms)),
      [30, 1, 10],
    );
    const lines: string[] = [];
    const updates: string[] = [];
    await progress(futures, {
      write: (l) => lines.push(l),
      onUpdate: (d, t) => updates.push(`${d}/${t}`),
    });
    expect(updates).toEqual(['1/3', '2/3', '3/3']);
    expect(lines.at(-2)).toContain('3/3');
    const seen: unknown[] = [];
    for await (const f of asCompleted(futures)) seen.push(await f.result());
    expect(seen.sort((a, b) => (a as number) - (b as number))).toEqual([1, 10, 30]);
    await client.close();
  });

  it('a closed client refuses new work', async () => {
    const client = new Client({ scheduler });
    await client.close();
    expect(() => client.submit((x: number) => x, [1])).toThrow(/client is closed/);
  });
});
