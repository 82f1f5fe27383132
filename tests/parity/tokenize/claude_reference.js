// Writes the reference ids of the legacy Claude tokenizer, from the npm package
// @anthropic-ai/tokenizer itself (its claude.json run by the official tiktoken, WebAssembly),
// for every line of a parity corpus: one JSON array per line, in order.
//
// Modes:
//   ordinary  tokenizer.encode_ordinary(text.normalize("NFKC")): special-token strings are
//             text, as in tunepack's default;
//   count     tokenizer.encode(text.normalize("NFKC"), "all"): exactly what the package's
//             countTokens() counts, as in tunepack's --allow-special.
// The first lines are also checked against countTokens() itself, so the reference cannot
// drift from the package's own function.
//
// NFKC depends on the Unicode version of the JavaScript runtime's ICU (Unicode 17.0 in node
// 20.20), while tunepack's (utf8proc 2.8) is Unicode 15.0; the two differ on characters
// assigned since 16.0. With --unicode15 NFKC_TEXTS, where NFKC_TEXTS holds every document
// normalised by ICU 72 (Debian's, Unicode 15.0) and separated by U+001E, the script also
// writes ALTERNATE.ids: for each document on which the two normalisations differ, the ids of
// the Unicode 15.0 text, and an empty line for every other document.
//
// Usage: node claude_reference.js ordinary|count CORPUS.jsonl OUTPUT.ids
//            [--unicode15 NFKC_TEXTS ALTERNATE.ids]
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const claude = require(path.join(__dirname, "../../peers/node_modules/@anthropic-ai/tokenizer"));

async function main() {
  const [mode, corpus, output, flag, unicode15Path, alternatePath] = process.argv.slice(2);
  if (mode !== "ordinary" && mode !== "count") throw new Error("mode must be ordinary or count");
  const tokenizer = claude.getTokenizer();
  const encode = (text) => (mode === "count" ? tokenizer.encode(text, "all") : tokenizer.encode_ordinary(text));
  const unicode15 = flag === "--unicode15" ? fs.readFileSync(unicode15Path, "utf8").split("\x1e") : null;
  const alternate = unicode15 ? fs.createWriteStream(alternatePath + ".tmp") : null;
  const out = fs.createWriteStream(output + ".tmp");
  const lines = readline.createInterface({ input: fs.createReadStream(corpus), crlfDelay: Infinity });
  let index = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const text = JSON.parse(line).text;
    const normalized = text.normalize("NFKC");
    const ids = encode(normalized);
    if (alternate) {
      const older = unicode15[index];
      alternate.write(older !== undefined && older !== normalized ? "[" + encode(older).join(",") + "]\n" : "\n");
    }
    if (mode === "count" && index < 20 && ids.length !== claude.countTokens(text)) {
      throw new Error(`line ${index + 1}: encode gives ${ids.length} tokens, countTokens ${claude.countTokens(text)}`);
    }
    ++index;
    if (!out.write("[" + ids.join(",") + "]\n")) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  fs.renameSync(output + ".tmp", output);
  if (alternate) {
    if (unicode15.length !== index) throw new Error(`${unicode15Path}: ${unicode15.length} texts, corpus ${index}`);
    await new Promise((r) => alternate.end(r));
    fs.renameSync(alternatePath + ".tmp", alternatePath);
  }
  tokenizer.free();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
