"""Step timings for the Python comparison notebooks: each step's wall time, the whole
run and peak RSS, written as the same JSON the Dusk notebooks write with --timings-json."""
import json
import resource
import time


class Steps:
    def __init__(self, title):
        self.title = title
        self.steps = []
        self.started = time.perf_counter()

    def run(self, title, fn):
        """Runs fn() as one timed step and returns its value."""
        t0 = time.perf_counter()
        value = fn()
        self.steps.append({"title": title, "ms": (time.perf_counter() - t0) * 1000})
        return value

    def write(self, path):
        """Writes the summary to path (nothing when path is None)."""
        if not path:
            return
        summary = {
            "title": self.title,
            "steps": self.steps,
            "totalMs": (time.perf_counter() - self.started) * 1000,
            "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        with open(path, "w") as f:
            json.dump(summary, f, indent=2)
