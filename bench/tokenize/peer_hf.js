// Throughput of Hugging Face tokenizers (npm `tokenizers`, native) on a corpus, one document
// per encode call, as bench/tokenize/run.py compares it with tunepack. Prints one JSON line
// in tokenize_bench's shape. MB/s uses the process's CPU time (the machine is shared).
//
// Usage: node peer_hf.js TOKENIZER.json CORPUS.jsonl RUNS
//        node peer_hf.js TOKENIZER.json CORPUS.jsonl --single-pass [encode|count]
"use strict";
const fs = require("fs");
const path = require("path");
const { Tokenizer } = require(path.join(__dirname, "../../tests/peers/node_modules/tokenizers"));
const { measure, singlePass } = require("./peer_common.js");

async function main() {
  const [file, corpus, runs, mode] = process.argv.slice(2);
  const options = { addSpecialTokens: false };
  if (runs === "--single-pass") {
    await singlePass(corpus, async () => {
      const tokenizer = Tokenizer.fromFile(file);
      return async (text) => (await tokenizer.encode(text, null, options)).getIds().length;
    }, mode === "count");
    return;
  }
  const tokenizer = Tokenizer.fromFile(file);
  await measure(corpus, Number(runs || 3),
                async (text) => (await tokenizer.encode(text, null, options)).getIds().length);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
