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

// The warm-up text tokenize_bench's --single-pass uses (WarmUpText there): ~2 KB of
// pseudo-words from the same fixed generator, found in no corpus.
function warmUpText() {
  let text = "";
  let state = 20261206;
  const step = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state; };
  for (let word = 0; word < 300; ++word) {
    const length = 2 + ((step() >>> 24) % 7);
    for (let i = 0; i < length; ++i) text += String.fromCharCode(97 + ((step() >>> 24) % 26));
    text += word % 17 === 16 ? "\n" : " ";
  }
  return text;
}

// One pass over text this process has not seen, as tokenize_bench --single-pass makes it:
// `load` (timed) returns the encoder, the warm-up text is encoded, then each document once
// (or, with `whole`, the documents joined as one text, as `tunepack count` reads a file).
// Prints one JSON line; the caller times the whole process from outside as well.
async function singlePass(corpus, load, whole) {
  const documents = fs.readFileSync(corpus, "utf8").split("\n").filter(Boolean)
    .map((line) => JSON.parse(line).text);
  const texts = whole ? [documents.join("")] : documents;
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0);
  let cpuStart = process.cpuUsage();
  let start = process.hrtime.bigint();
  const encode = await load();
  const loadUsed = process.cpuUsage(cpuStart);
  const loadWall = Number(process.hrtime.bigint() - start) / 1e9;
  await encode(warmUpText());
  let tokens = 0;
  cpuStart = process.cpuUsage();
  start = process.hrtime.bigint();
  for (const text of texts) tokens += await encode(text);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpuStart);
  console.log(JSON.stringify({
    documents: texts.length, bytes, tokens,
    load_cpu_seconds: (loadUsed.user + loadUsed.system) / 1e6, load_wall_seconds: loadWall,
    cpu_seconds: (used.user + used.system) / 1e6, wall_seconds: wall,
  }));
}

module.exports = { measure, singlePass };
