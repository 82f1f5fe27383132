// Writes the reference ids of Hugging Face tokenizers (npm `tokenizers`, the Rust library's
// native binding) for every line of a parity corpus: one JSON array per line, in order.
// HF's default encode matches special added tokens, so the comparison runs tunepack with
// --allow-special; ADD_SPECIAL (yes/no) selects addSpecialTokens.
//
// Usage: node hf_reference.js TOKENIZER.json CORPUS.jsonl OUTPUT.ids [yes|no]
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const { Tokenizer } = require(path.join(__dirname, "../../peers/node_modules/tokenizers"));

async function main() {
  const [tokenizerPath, corpus, output, addSpecial] = process.argv.slice(2);
  const tokenizer = Tokenizer.fromFile(tokenizerPath);
  const options = { addSpecialTokens: addSpecial === "yes" };
  const out = fs.createWriteStream(output + ".tmp");
  const lines = readline.createInterface({ input: fs.createReadStream(corpus), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const encoding = await tokenizer.encode(JSON.parse(line).text, null, options);
    if (!out.write("[" + encoding.getIds().join(",") + "]\n")) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  fs.renameSync(output + ".tmp", output);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
