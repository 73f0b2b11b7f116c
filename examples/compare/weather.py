"""The weather notebook in Python Dask, timed step by step, for side-by-side comparison
with examples/src/weather.ts (threaded scheduler, Debian's python3-dask 2022.12).
Not a dependency of anything: `python3 examples/compare/weather.py [--rows N] [--json F]`.
"""
import argparse
import json
import resource
import time

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=10_000_000)
parser.add_argument("--partitions", type=int, default=10)
parser.add_argument("--json")
args = parser.parse_args()
dask.config.set(scheduler="threads")

steps = []
started = time.perf_counter()


def step(title, fn):
    t0 = time.perf_counter()
    value = fn()
    steps.append({"title": title, "ms": (time.perf_counter() - t0) * 1000})
    return value


def generate():
    n_rows = args.rows
    data = {
        "station_id": np.random.randint(1, 1000, n_rows),
        "temperature": np.random.uniform(-10, 50, n_rows),
    }
    df = pd.DataFrame(data)
    return dd.from_pandas(df, npartitions=args.partitions)


dask_df = step("Generate the data", generate)
avg_temp = step("Average temperature", lambda: dask_df["temperature"].mean().compute())
print(f"Average Daily Temperature: {avg_temp:.2f}°C")
max_temp = step("Maximum temperature", lambda: dask_df["temperature"].max().compute())
print(f"Maximum Recorded Temperature: {max_temp:.2f}°C")
total_temp = step("Sum of temperatures", lambda: dask_df["temperature"].sum().compute())
print(f"Total Sum of Temperatures: {total_temp:.2f}°C")


def fahrenheit():
    dask_df["temperature_fahrenheit"] = dask_df["temperature"].map(
        lambda x: x * 9 / 5 + 32, meta=("temperature", "float64")
    )
    return dask_df.compute()


result = step("Fahrenheit column (lambda map) and compute", fahrenheit)
step("First 5 rows", lambda: print(result.head()))

summary = {
    "title": "Weather (Python Dask)",
    "steps": steps,
    "totalMs": (time.perf_counter() - started) * 1000,
    "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}
if args.json:
    with open(args.json, "w") as f:
        json.dump(summary, f, indent=2)
