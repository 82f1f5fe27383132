#!/usr/bin/env python3
"""Benchmark of `tunepack serve` over loopback (not a test; figures go to BENCHMARKS.md).

Measures, on one server started with --jobs 4:
  - idle RSS after start;
  - one preview of the first 20 examples of a large input (default 1 GiB);
  - 200 concurrent preview requests while 4 exports run: p50/p99 latency, errors, peak RSS;
  - API export time against `tunepack export` on the same input and options;
  - event latency: receipt time of each SSE event minus its "time" (same clock).

Usage: bench/serve/serve_bench.py [--binary build/tunepack] [--large-mb 1024] [--export-mb 50]
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "bench-token"
MAP = ["user=question", "assistant=answer"]


def qa_lines(first, count):
    return "".join(
        f'{{"question": "How does queue {i} handle retries of task {i}?", '
        f'"answer": "Queue {i} retries a failed task three times, then moves it to dead letters ({i})."}}\n'
        for i in range(first, first + count))


def write_corpus(path, megabytes):
    chunk = qa_lines(0, 20000).encode()
    target = megabytes << 20
    with open(path, "wb") as out:
        written = 0
        index = 0
        while written < target:
            data = chunk if index == 0 else qa_lines(index * 20000, 20000).encode()
            out.write(data)
            written += len(data)
            index += 1


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Api:
    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, timeout=600):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read()
        conn.close()
        return response.status, (json.loads(text) if text else None)

    def wait(self, export_id):
        while True:
            status, view = self.call("GET", f"/api/v1/exports/{export_id}")
            if view["status"] not in ("queued", "running"):
                return view
            time.sleep(0.01)

    def event_latencies(self, export_id):
        """Follows the SSE stream to its end; returns (receipt - event time) in ms per event."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        conn.request("GET", f"/api/v1/exports/{export_id}/events", headers={"Authorization": f"Bearer {TOKEN}"})
        response = conn.getresponse()
        latencies = []
        while True:
            line = response.readline()
            if not line:
                break
            if line.startswith(b"data: "):
                received = time.time() * 1000
                event = json.loads(line[6:])
                latencies.append(received - event["time"])
        conn.close()
        return latencies


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/tunepack")
    parser.add_argument("--large-mb", type=int, default=1024)
    parser.add_argument("--export-mb", type=int, default=50)
    parser.add_argument("--previews", type=int, default=200)
    parser.add_argument("--exports", type=int, default=4)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="tunepack-serve-bench-")
    root = os.path.join(work, "root")
    os.makedirs(root)
    try:
        print(f"corpora: {args.large_mb} MiB and {args.export_mb} MiB of Q&A records", file=sys.stderr)
        write_corpus(os.path.join(root, "large.jsonl"), args.large_mb)
        write_corpus(os.path.join(root, "export.jsonl"), args.export_mb)
        write_corpus(os.path.join(root, "small.jsonl"), 1)

        server = subprocess.Popen([binary, "serve", "--port", "0", "--root", root, "--data-dir",
                                   os.path.join(work, "data"), "--token", TOKEN, "--jobs", str(args.exports)],
                                  stderr=subprocess.PIPE, text=True)
        port = None
        while port is None:
            line = server.stderr.readline()
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                port = int(match.group(1))
        threading.Thread(target=server.stderr.read, daemon=True).start()
        api = Api(port)
        time.sleep(1)
        results = {"idle_rss_mb": rss_kb(server.pid) / 1024}

        # One preview of a large input.
        options = {"format": "openai", "map": MAP}
        times = []
        for _ in range(5):
            start = time.perf_counter()
            status, body = api.call("POST", "/api/v1/preview", dict(options, inputs=["large.jsonl"], limit=20))
            times.append(time.perf_counter() - start)
            assert status == 200 and len(body["examples"]) == 20, body
        results["preview_1gb_seconds_median"] = statistics.median(times)

        # 200 concurrent previews while 4 exports run.
        exports = []
        for _ in range(args.exports):
            status, view = api.call("POST", "/api/v1/exports", dict(options, inputs=["export.jsonl"]))
            assert status == 202, view
            exports.append(view["id"])
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_kb(server.pid))
                time.sleep(0.05)
        sampler = threading.Thread(target=sample)
        sampler.start()

        def one_preview(i):
            start = time.perf_counter()
            try:
                status, body = api.call("POST", "/api/v1/preview",
                                        dict(options, inputs=["large.jsonl" if i % 2 else "small.jsonl"], limit=20))
                ok = status == 200 and len(body["examples"]) == 20
            except Exception:  # noqa: BLE001 - any failure is an error to count
                ok = False
            return time.perf_counter() - start, ok
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.previews) as pool:
            outcomes = list(pool.map(one_preview, range(args.previews)))
        for export_id in exports:
            view = api.wait(export_id)
            assert view["status"] == "succeeded", view
        stop.set()
        sampler.join()
        latencies = [t for t, _ in outcomes]
        results["concurrent_previews"] = args.previews
        results["concurrent_exports"] = args.exports
        results["preview_p50_ms"] = percentile(latencies, 50) * 1000
        results["preview_p99_ms"] = percentile(latencies, 99) * 1000
        results["preview_errors"] = sum(1 for _, ok in outcomes if not ok)
        results["peak_rss_mb"] = peak[0] / 1024

        # API export against the CLI, one at a time, same input and options.
        cli_times, api_times = [], []
        for round_index in range(3):
            out = os.path.join(work, f"cli-{round_index}")
            start = time.perf_counter()
            subprocess.run([binary, "export", os.path.join(root, "export.jsonl"), "-o", out, "--format", "openai",
                            "--map", MAP[0], "--map", MAP[1]], check=True, stderr=subprocess.DEVNULL)
            cli_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            status, view = api.call("POST", "/api/v1/exports", dict(options, inputs=["export.jsonl"]))
            event_latency = api.event_latencies(view["id"])
            api.wait(view["id"])
            api_times.append(time.perf_counter() - start)
        results["cli_export_seconds_median"] = statistics.median(cli_times)
        results["api_export_seconds_median"] = statistics.median(api_times)
        results["api_vs_cli"] = results["api_export_seconds_median"] / results["cli_export_seconds_median"]
        results["event_latency_ms_p50"] = percentile(event_latency, 50)
        results["event_latency_ms_max"] = max(event_latency)
        results["events_in_stream"] = len(event_latency)
        results["peak_rss_mb_overall"] = rss_kb(server.pid, "VmHWM") / 1024

        server.terminate()
        server.wait(timeout=30)
        print(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
