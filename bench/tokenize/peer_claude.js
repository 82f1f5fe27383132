// Single-pass throughput of the npm package @anthropic-ai/tokenizer, as its countTokens
// encodes (NFKC, then encode(..., "all")), for bench/tokenize/single_pass.py.
//
// Usage: node peer_claude.js - CORPUS.jsonl --single-pass [encode|count]
"use strict";
const path = require("path");
const claude = require(path.join(__dirname, "../../tests/peers/node_modules/@anthropic-ai/tokenizer"));
const { singlePass } = require("./peer_common.js");

async function main() {
  const [, corpus, , mode] = process.argv.slice(2);
  await singlePass(corpus, async () => {
    const tokenizer = claude.getTokenizer();
    return async (text) => tokenizer.encode(text.normalize("NFKC"), "all").length;
  }, mode === "count");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
