"""Python Dask's own threads-against-sync ratio on the five e-commerce operations that
`npm run bench dataframe` times for Dusk (50M rows in 50 partitions, persisted), for the
side-by-side reading of its "threads vs sync" figures: what the reference tool gains from a
second core on the same machine. Debian's python3-dask (2022.12) and pandas; not a
dependency of anything. The category column is a pandas Categorical (Dusk's is
dictionary-encoded), so the groupby is not slowed by Python strings.

    /usr/bin/python3 examples/compare/threads_vs_sync.py [--rows N] [--rounds R]

Each round runs every operation on the sync scheduler, then on threads; the figure is the
median of the per-round ratios after `--warmup` rounds.
"""
import argparse
import statistics
import time

import dask.dataframe as dd
import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=50_000_000)
parser.add_argument("--partitions", type=int, default=50)
parser.add_argument("--rounds", type=int, default=10)
parser.add_argument("--warmup", type=int, default=3)
args = parser.parse_args()

np.random.seed(42)
n = args.rows
categories = ["Electronics", "Clothing", "Books", "Toys", "Home"]
pdf = pd.DataFrame({
    "product_id": np.arange(n),
    "category": pd.Categorical(np.random.choice(categories, n)),
    "price": np.random.uniform(5, 500, n),
    "units_sold": np.random.randint(1, 50, n),
})
pdf["total_sales"] = pdf["price"] * pdf["units_sold"]
df = dd.from_pandas(pdf, npartitions=args.partitions).persist(scheduler="sync")

ops = {
    "mean(total_sales)": lambda s: df["total_sales"].mean().compute(scheduler=s),
    "max(price)": lambda s: df["price"].max().compute(scheduler=s),
    "min(price)": lambda s: df["price"].min().compute(scheduler=s),
    "groupby(category).sum": lambda s: df.groupby("category", observed=True)["total_sales"]
    .sum()
    .compute(scheduler=s),
    "nlargest(5)": lambda s: df.nlargest(5, "total_sales")[["product_id", "total_sales"]].compute(
        scheduler=s
    ),
}

print(f"Python Dask threads vs sync, {n:,} rows in {args.partitions} partitions, "
      f"median of {args.rounds} per-round ratios after {args.warmup} rounds")
for name, op in ops.items():
    times = {"sync": [], "threads": []}
    for r in range(args.warmup + args.rounds):
        for scheduler in ("sync", "threads"):
            t0 = time.perf_counter()
            op(scheduler)
            if r >= args.warmup:
                times[scheduler].append((time.perf_counter() - t0) * 1000)
    ratios = [a / b for a, b in zip(times["sync"], times["threads"])]
    print(f"{name:24s} sync {statistics.median(times['sync']):7.1f} ms  "
          f"threads {statistics.median(times['threads']):7.1f} ms  "
          f"threads vs sync {statistics.median(ratios):.2f}x "
          f"({min(ratios):.2f}-{max(ratios):.2f})")
