// Throughput of the official tiktoken (npm `tiktoken`, WebAssembly) on a corpus, one
// document per encode_ordinary call; see peer_hf.js.
//
// Usage: node peer_tiktoken.js ENCODING CORPUS.jsonl RUNS
//        node peer_tiktoken.js ENCODING CORPUS.jsonl --single-pass [encode|count]
"use strict";
const path = require("path");
const { get_encoding } = require(path.join(__dirname, "../../tests/peers/node_modules/tiktoken"));
const { measure, singlePass } = require("./peer_common.js");

async function main() {
  const [name, corpus, runs, mode] = process.argv.slice(2);
  if (runs === "--single-pass") {
    await singlePass(corpus, async () => {
      const encoding = get_encoding(name);
      return async (text) => encoding.encode_ordinary(text).length;
    }, mode === "count");
    return;
  }
  const encoding = get_encoding(name);
  await measure(corpus, Number(runs || 3), async (text) => encoding.encode_ordinary(text).length);
  encoding.free();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
