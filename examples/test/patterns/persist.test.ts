// The notebook pattern: persist a frame once, then ask it several questions. On the
// processes pool and on a local cluster the partitions stay on the workers; every answer
// equals the sync scheduler's, also when sync reads partitions held elsewhere.
import * as da from '@dusk/array';
import { type DataFrame, fromArrays, LocalTable } from '@dusk/dataframe';
import { closeConnections, closePools, getPool, LocalCluster, persist } from '@dusk/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const records = (r: unknown) => (r instanceof LocalTable ? r.toRecords() : r);

function sales(n = 20_000, chunks = 2_500): DataFrame {
  const df = fromArrays(
    {
      product_id: da.arange(n, { chunks }),
      category: da.random.randint(0, 5, { size: n, chunks, seed: 42 }),
      price: da.random.uniform(5, 500, { size: n, chunks, seed: 43 }),
      units_sold: da.random.randint(1, 50, { size: n, chunks, seed: 44 }),
    },
    { categories: { category: ['Electronics', 'Clothing', 'Books', 'Toys', 'Home'] } },
  );
  return df.assign({ total_sales: df.col('price').mul(df.col('units_sold')) });
}

async function questions(df: DataFrame, opts: Record<string, unknown>) {
  return [
    await df.col('total_sales').mean().compute(opts),
    records(await df.groupby('category').col('total_sales').sum().compute(opts)),
    records(await df.nlargest(5, 'total_sales').compute(opts)),
    records(await df.head(3, opts)),
    await df.len().compute(opts),
  ];
}

let cluster: LocalCluster;
beforeAll(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
afterAll(async () => {
  await closeConnections();
  await cluster.close();
  await closePools();
});

describe('persist a frame, then ask it several questions', () => {
  it.each(['processes', 'distributed'])('on %s gives what sync gives', async (scheduler) => {
    const opts = { scheduler, workers: 2, address: cluster.address };
    const reference = await questions(sales(), { scheduler: 'sync' });
    const [held] = await persist(sales(), opts);
    expect(await questions(held!, opts)).toEqual(reference);
    expect(await questions(held!, { scheduler: 'sync' })).toEqual(reference);
  });

  it('sends no partition bytes to the processes pool after the persist', async () => {
    const opts = { scheduler: 'processes', workers: 2 };
    const [held] = await persist(sales(), opts);
    const pool = getPool('processes');
    const sent = pool.stats.taskBytes;
    await questions(held!, opts);
    expect(pool.stats.taskBytes - sent).toBe(0);
  });
});
