// Writes the reference ids of the official tiktoken (npm `tiktoken`, the Rust core compiled
// to WebAssembly) for every line of a parity corpus: one JSON array per line, in order.
// Special-token strings are encoded as text (encode_ordinary), as tunepack does by default.
//
// Usage: node tiktoken_reference.js ENCODING CORPUS.jsonl OUTPUT.ids
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const { get_encoding } = require(path.join(__dirname, "../../peers/node_modules/tiktoken"));

async function main() {
  const [encodingName, corpus, output] = process.argv.slice(2);
  const encoding = get_encoding(encodingName);
  const out = fs.createWriteStream(output + ".tmp");
  const lines = readline.createInterface({ input: fs.createReadStream(corpus), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const ids = encoding.encode_ordinary(JSON.parse(line).text);
    if (!out.write("[" + ids.join(",") + "]\n")) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  fs.renameSync(output + ".tmp", output);
  encoding.free();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
