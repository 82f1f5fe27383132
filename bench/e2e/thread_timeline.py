#!/usr/bin/env python3
"""CPU milliseconds of each tunepack thread, of other tasks and of idle, per time window.

Usage: bench/e2e/thread_timeline.py SCHED_DATA [WINDOW_SECONDS]
SCHED_DATA is a `perf sched record -o SCHED_DATA -- build/tunepack ...` recording. Threads are
grouped by name: tunepack (the main thread: start-up, the reader, the serial end), tp-worker,
tp-writer, helper (other threads of the process), other (anything else on the machine) and
idle. A window where tunepack's threads leave cores idle is time the pipeline waited.

The column "starved" is the core-ms in the window that tunepack's own threads could not use
because fewer of them were runnable (running, or waiting for a core) than there are cores
(CORES, default 2), from `perf script`'s wake-ups and switches: on an idle machine, the idle
time the export's own waits caused; the rest of "idle" is then wake-up latency (a thread woken
on an idle core before it runs). Under load it also counts waits the load caused (workers with
no batch while the reader waits for a core), so read it on an idle machine.
"""
import collections
import os
import subprocess
import sys

NAMES = ["tunepack", "tp-worker", "tp-writer", "helper", "other", "idle"]
OURS = ("tunepack", "tp-worker", "tp-writer")


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


def runnable_counts(data):
    """Returns [(time, runnable)]: how many of tunepack's threads are runnable from each time on."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "time,event,trace"], capture_output=True, text=True,
                         check=True).stdout
    ours, runnable, steps = set(), set(), []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        time, event = float(fields[0].rstrip(":")), fields[1].rstrip(":")
        values = dict(f.split("=", 1) for f in fields[2:] if "=" in f)
        if event in ("sched:sched_waking", "sched:sched_wakeup_new"):
            if values.get("comm", "").startswith(OURS):
                ours.add(values["pid"])
                runnable.add(values["pid"])
        elif event == "sched:sched_switch":
            prev, state = values.get("prev_pid"), values.get("prev_state", "")
            if values.get("prev_comm", "").startswith(OURS):
                ours.add(prev)
                if not state.startswith("R"):
                    runnable.discard(prev)
            if values.get("next_comm", "").startswith(OURS):
                ours.add(values["next_pid"])
                runnable.add(values["next_pid"])
        else:
            continue
        steps.append((time, len(runnable)))
    return steps


def starved_ms(steps, begin, end, cores):
    """Core-ms in [begin, end) that tunepack's threads left unused by not being runnable."""
    total = 0.0
    for (time, count), (next_time, _) in zip(steps, steps[1:] + [(end, 0)]):
        overlap = min(next_time, end) - max(time, begin)
        if overlap > 0:
            total += overlap * max(0, cores - count)
    return total * 1e3


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    step = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
    cores = int(os.environ.get("CORES", "2"))
    runs = list(intervals(sys.argv[1]))
    steps = runnable_counts(sys.argv[1])
    ours = [r for r in runs if r[2] not in ("other", "idle")]
    first, last = min(r[0] for r in ours), max(r[1] for r in ours)
    print("window (ms) " + " ".join(f"{n:>10}" for n in NAMES + ["starved"]))
    start = first
    while start < last:
        busy = collections.Counter()
        for begin, end, group in runs:
            overlap = min(end, start + step) - max(begin, start)
            if overlap > 0:
                busy[group] += overlap
        starved = starved_ms(steps, start, min(start + step, last), cores)
        print(f"{(start - first) * 1e3:10.0f} " + " ".join(f"{busy[n] * 1e3:10.1f}" for n in NAMES) +
              f" {starved:10.1f}")
        start += step
    print(f"from the first to the last run of a tunepack thread: {(last - first) * 1e3:.1f} ms; "
          f"starved: {starved_ms(steps, first, last, cores):.1f} core-ms of {cores} cores")


if __name__ == "__main__":
    main()
