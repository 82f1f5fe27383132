// Writes the decode parity cases for one tokenizer.json: the ids of random windows of the
// parity corpus's documents (windows cut characters at both ends, so byte-level tokens
// that are part of a character are decoded alone), and random runs of ids from the whole
// vocabulary, then Hugging Face tokenizers' decode (skipSpecialTokens false) of each.
//
// Usage: node hf_decode_reference.js TOKENIZER.json CORPUS.jsonl IDS.jsonl TEXTS.jsonl
"use strict";
const fs = require("fs");
const path = require("path");
const { Tokenizer } = require(path.join(__dirname, "../../peers/node_modules/tokenizers"));

// A small deterministic generator (mulberry32): the cases are the same on every run.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  const [tokenizerPath, corpus, idsPath, textsPath] = process.argv.slice(2);
  const tokenizer = Tokenizer.fromFile(tokenizerPath);
  const next = random(20261206);
  const cases = [];
  const lines = fs.readFileSync(corpus, "utf8").split("\n").filter((line) => line.trim() !== "");
  for (const line of lines) {
    const ids = (await tokenizer.encode(JSON.parse(line).text, null, { addSpecialTokens: false })).getIds();
    if (ids.length === 0) continue;
    cases.push(ids);
    for (let k = 0; k < 4; ++k) {
      const begin = Math.floor(next() * ids.length);
      const length = 1 + Math.floor(next() * 12);
      cases.push(ids.slice(begin, begin + length));
    }
  }
  const vocab = tokenizer.getVocabSize(true);
  for (let k = 0; k < 2000; ++k) {
    const run = [];
    const length = 1 + Math.floor(next() * 6);
    for (let i = 0; i < length; ++i) run.push(Math.floor(next() * vocab));
    cases.push(run);
  }
  const ids = [];
  const texts = [];
  for (const run of cases) {
    ids.push(JSON.stringify(run));
    texts.push(JSON.stringify(await tokenizer.decode(run, false)));
  }
  fs.writeFileSync(idsPath, ids.join("\n") + "\n");
  fs.writeFileSync(textsPath, texts.join("\n") + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
