#!/usr/bin/env python3
"""Server memory after many token counts: 128 concurrent POST /api/v1/count of 1.2 MB texts
of distinct words (cl100k_base); prints the server's RSS after and its peak.
Usage: bench/serve/count_rss.py build/tunepack (not a test; figures go to BENCHMARKS.md)."""
import concurrent.futures
import http.client
import json
import random
import re
import subprocess
import sys
import tempfile

binary = sys.argv[1]
data_dir = tempfile.mkdtemp(prefix="tunepack-count-rss-")
srv = subprocess.Popen([binary, "serve", "--port", "0", "--token", "t", "--data-dir", data_dir],
                       stderr=subprocess.PIPE, text=True)
port = None
while port is None:
    match = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", srv.stderr.readline())
    if match:
        port = int(match.group(1))
def text(seed):
    r = random.Random(seed)
    return " ".join("".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(3, 12))) for _ in range(150000))
texts = [text(i) for i in range(32)]
def call(i):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("POST", "/api/v1/count", body=json.dumps({"texts": [texts[i % 32]], "tokenizers": ["cl100k_base"]}),
                 headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
    r = conn.getresponse(); r.read(); conn.close(); return r.status
with concurrent.futures.ThreadPoolExecutor(128) as ex:
    statuses = list(ex.map(call, range(128)))
def field(name):
    for line in open(f"/proc/{srv.pid}/status"):
        if line.startswith(name): return int(line.split()[1]) // 1024
print(binary, "statuses", set(statuses), "RSS after", field("VmRSS:"), "MB, peak", field("VmHWM:"), "MB")
srv.terminate()
srv.wait()
subprocess.run(["rm", "-rf", data_dir], check=False)
