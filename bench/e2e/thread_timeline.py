#!/usr/bin/env python3
"""CPU milliseconds of each tunepack thread, of other tasks and of idle, per time window.

Usage: bench/e2e/thread_timeline.py SCHED_DATA [WINDOW_SECONDS]
SCHED_DATA is a `perf sched record -o SCHED_DATA -- build/tunepack ...` recording. Threads are
grouped by name: tunepack (the main thread: start-up, the reader, the serial end), tp-worker,
tp-writer, helper (other threads of the process), other (anything else on the machine) and
idle. A window where tunepack's threads leave cores idle is time the pipeline waited.
"""
import collections
import subprocess
import sys

NAMES = ["tunepack", "tp-worker", "tp-writer", "helper", "other", "idle"]


def intervals(data):
    """Yields (start, end, group) of every run of a task that `perf sched timehist` lists."""
    out = subprocess.run(["perf", "sched", "timehist", "-i", data], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 6 or not fields[0][0].isdigit():
            continue
        try:
            end, run = float(fields[0]), float(fields[-1]) / 1e3
        except ValueError:
            continue
        task = fields[2]
        name = task.split("[")[0]
        if task.startswith("<idle>"):
            group = "idle"
        elif name in ("tp-worker", "tp-writer"):
            group = name
        elif name == "tunepack":
            group = "helper" if "/" in task else "tunepack"
        else:
            group = "other"
        yield end - run, end, group


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    step = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
    runs = list(intervals(sys.argv[1]))
    ours = [r for r in runs if r[2] not in ("other", "idle")]
    first, last = min(r[0] for r in ours), max(r[1] for r in ours)
    print("window (ms) " + " ".join(f"{n:>10}" for n in NAMES))
    start = first
    while start < last:
        busy = collections.Counter()
        for begin, end, group in runs:
            overlap = min(end, start + step) - max(begin, start)
            if overlap > 0:
                busy[group] += overlap
        print(f"{(start - first) * 1e3:10.0f} " + " ".join(f"{busy[n] * 1e3:10.1f}" for n in NAMES))
        start += step
    print(f"from the first to the last run of a tunepack thread: {(last - first) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
