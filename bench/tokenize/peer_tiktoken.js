// Throughput of the official tiktoken (npm `tiktoken`, WebAssembly) on a corpus, one
// document per encode_ordinary call; see peer_hf.js.
//
// Usage: node peer_tiktoken.js ENCODING CORPUS.jsonl RUNS
"use strict";
const path = require("path");
const { get_encoding } = require(path.join(__dirname, "../../tests/peers/node_modules/tiktoken"));
const { measure } = require("./peer_common.js");

async function main() {
  const [name, corpus, runs] = process.argv.slice(2);
  const encoding = get_encoding(name);
  await measure(corpus, Number(runs || 3), async (text) => encoding.encode_ordinary(text).length);
  encoding.free();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
