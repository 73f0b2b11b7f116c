"""The weather notebook in Python Dask, timed step by step, for side-by-side comparison
with examples/src/weather.ts (threaded scheduler, Debian's python3-dask 2022.12).
Not a dependency of anything: `python3 examples/compare/weather.py [--rows N] [--json F]`.
"""
import argparse

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from timing import Steps

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=10_000_000)
parser.add_argument("--partitions", type=int, default=10)
parser.add_argument("--json")
args = parser.parse_args()
dask.config.set(scheduler="threads")

steps = Steps("Weather (Python Dask)")
step = steps.run


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

steps.write(args.json)
