// Shared timing loop of the peer benchmarks: three warm-up documents, then RUNS passes over
// the corpus; prints the median pass as one JSON line (the shape tokenize_bench prints).
"use strict";
const fs = require("fs");

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

async function measure(corpus, runs, encode) {
  const documents = fs.readFileSync(corpus, "utf8").split("\n").filter(Boolean)
    .map((line) => JSON.parse(line).text);
  const bytes = documents.reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0);
  for (const text of documents.slice(0, 3)) await encode(text);
  const wall = [];
  const cpu = [];
  let tokens = 0;
  for (let run = 0; run < runs; ++run) {
    tokens = 0;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const text of documents) tokens += await encode(text);
    wall.push(Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1e6);
  }
  const seconds = median(wall);
  const cpuSeconds = median(cpu);
  console.log(JSON.stringify({
    documents: documents.length, bytes, tokens, wall_seconds: seconds, cpu_seconds: cpuSeconds,
    mb_per_s: bytes / cpuSeconds / 1e6, mtok_per_s: tokens / cpuSeconds / 1e6,
    wall_mb_per_s: bytes / seconds / 1e6,
  }));
}

module.exports = { measure };
