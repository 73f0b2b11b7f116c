"""The e-commerce notebook in Python Dask, timed step by step, for side-by-side comparison
with examples/src/ecommerce.ts. Runs under Debian's python3-dask (2022.12) with the
threaded scheduler (the course's `Client()` is replaced by it, as the issue specifies).
Not a dependency of anything: `python3 examples/compare/ecommerce.py [--rows N] [--json F]`.
"""
import argparse

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd

from timing import Steps

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=50_000_000)
parser.add_argument("--partitions", type=int, default=50)
parser.add_argument("--random-size", type=int, default=1_000_000_000)
parser.add_argument("--random-chunk", type=int, default=10_000_000)
parser.add_argument("--json")
args = parser.parse_args()
dask.config.set(scheduler="threads")

steps = Steps("E-commerce (Python Dask)")
step = steps.run


def generate():
    np.random.seed(42)
    categories = ["Electronics", "Clothing", "Books", "Toys", "Home"]
    n_records = args.rows
    pdf = pd.DataFrame({
        "product_id": np.arange(n_records),
        "category": np.random.choice(categories, n_records),
        "price": np.random.uniform(5, 500, n_records),
        "units_sold": np.random.randint(1, 50, n_records),
    })
    return dd.from_pandas(pdf, npartitions=args.partitions)


df = step("Generate the data", generate)


def add_total(df):
    df["total_sales"] = df["price"] * df["units_sold"]
    return df


df = step("Add total_sales", lambda: add_total(df))
mean_sales = step("Mean sales", lambda: df["total_sales"].mean().compute())
max_price = step("Max price", lambda: df["price"].max().compute())
min_price = step("Min price", lambda: df["price"].min().compute())
print(f"📊 Mean Sales: {mean_sales:.2f}")
print(f"💰 Max Price: {max_price:.2f}")
print(f"💵 Min Price: {min_price:.2f}")
sales_by_category = step(
    "Total sales by category", lambda: df.groupby("category")["total_sales"].sum().compute()
)
print("\nCategory-wise Total Sales:\n", sales_by_category)
top_products = step(
    "Top 5 products",
    lambda: df.nlargest(5, "total_sales")[["product_id", "total_sales"]].compute(),
)
print("\n🏆 Top 5 Products:\n", top_products)


def random_mean():
    x = da.random.random(size=(args.random_size,), chunks=(args.random_chunk,))
    return x.mean().compute()


mean_value = step("Mean of the random numbers", random_mean)
print(f"\n⚡ Mean of 1 Billion Random Numbers: {mean_value:.4f}")

steps.write(args.json)
