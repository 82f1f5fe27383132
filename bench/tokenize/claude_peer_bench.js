// Times the npm package @anthropic-ai/tokenizer on a JSONL corpus, one document per call,
// as its countTokens encodes (NFKC, then encode(..., "all")) but with one tokenizer reused
// (countTokens builds a new one per call). Prints {"seconds": median, "tokens": n}.
//
// Usage: node claude_peer_bench.js CORPUS.jsonl RUNS
"use strict";
const fs = require("fs");
const path = require("path");
const claude = require(path.join(__dirname, "../../tests/peers/node_modules/@anthropic-ai/tokenizer"));

const [corpus, runsArg] = process.argv.slice(2);
const docs = fs.readFileSync(corpus, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).text);
const tokenizer = claude.getTokenizer();
const encodeAll = () => {
  let tokens = 0;
  for (const doc of docs) tokens += tokenizer.encode(doc.normalize("NFKC"), "all").length;
  return tokens;
};
for (const doc of docs.slice(0, 3)) tokenizer.encode(doc.normalize("NFKC"), "all");
const times = [];
let tokens = 0;
for (let run = 0; run < Number(runsArg); ++run) {
  const start = process.hrtime.bigint();
  tokens = encodeAll();
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ seconds: times[Math.floor(times.length / 2)], tokens }));
tokenizer.free();
