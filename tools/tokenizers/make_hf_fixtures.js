// Writes the small tokenizer.json fixtures of tests/data/tokenize/hf/ (and the docs example
// docs/data/tiny-bpe/tokenizer.json): each is trained by Hugging Face tokenizers itself (the
// npm `tokenizers` test peer) on the licence texts of a Debian machine, then given the
// pipeline pieces and added-token flags that the real model files in tests/peers do not
// exercise (WordPiece, Unigram, Metaspace, byte fallback, lstrip/rstrip/single_word, ...).
// Committed, so tests do not depend on this script; re-run it to regenerate them.
//
// Usage: node tools/tokenizers/make_hf_fixtures.js
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..", "..");
const t = require(path.join(root, "tests/peers/node_modules/tokenizers"));
const outDir = path.join(root, "tests/data/tokenize/hf");

// A few hundred KB of English prose, always in the same order.
const licenses = ["GPL-3", "Apache-2.0", "MPL-2.0", "Artistic", "BSD", "LGPL-2.1"]
  .map((name) => path.join("/usr/share/common-licenses", name))
  .filter((file) => fs.existsSync(file));
const corpus = path.join(os.tmpdir(), `tunepack-hf-fixture-corpus-${process.pid}.txt`);
fs.writeFileSync(corpus, licenses.map((file) => fs.readFileSync(file, "utf8")).join("\n") +
  "\nVoilà naïve façade Übergröße Ελληνικά русский 中文 日本語 한국어 😀 123 4567\n");

function train(tokenizer) {
  tokenizer.train([corpus]);
  const file = path.join(os.tmpdir(), `tunepack-hf-fixture-${process.pid}.json`);
  tokenizer.save(file, false);
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.unlinkSync(file);
  return json;
}

function nextId(json) {
  const ids = Object.values(json.model.vocab).concat(json.added_tokens.map((a) => a.id));
  return Math.max(...ids) + 1;
}

function added(id, content, special, flags = {}) {
  return Object.assign({ id, content, single_word: false, lstrip: false, rstrip: false,
                         normalized: !special, special }, flags);
}

function write(name, json) {
  const file = path.join(outDir, name + ".json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(json) + "\n");
  // The peer must load what we wrote.
  t.Tokenizer.fromFile(file);
  console.log(file, fs.statSync(file).size, "bytes");
}

// WordPiece, BERT layout: BertNormalizer, BertPreTokenizer, BertProcessing, WordPiece decoder.
{
  const tok = new t.Tokenizer(t.WordPiece.empty());
  tok.setNormalizer(t.bertNormalizer({ lowercase: true }));
  tok.setPreTokenizer(t.bertPreTokenizer());
  tok.setDecoder(t.wordPieceDecoder());
  const json = train(tok);
  let id = nextId(json);
  for (const token of ["[UNK]", "[CLS]", "[SEP]"]) json.model.vocab[token] = id++;
  json.model.unk_token = "[UNK]";
  json.post_processor = { type: "BertProcessing", sep: ["[SEP]", json.model.vocab["[SEP]"]],
                          cls: ["[CLS]", json.model.vocab["[CLS]"]] };
  json.added_tokens = [
    added(json.model.vocab["[CLS]"], "[CLS]", true), added(json.model.vocab["[SEP]"], "[SEP]", true),
    added(json.model.vocab["[UNK]"], "[UNK]", true),
    added(id++, "[MASK]", true, { lstrip: true }),
    added(id++, "<sep>", false, { rstrip: true, normalized: false }),
    added(id++, "license", false, { single_word: true, normalized: true }),
  ];
  write("wordpiece_bert", json);
  // The same model behind the Whitespace pre-tokenizer (\w+|[^\w\s]+) and NFKD + Lowercase.
  json.pre_tokenizer = { type: "Whitespace" };
  json.normalizer = { type: "Sequence", normalizers: [{ type: "NFKD" }, { type: "Lowercase" }] };
  write("wordpiece_whitespace", json);
}

// Unigram with Metaspace (prepend "first", split) and byte fallback, NFKC + Lowercase + Strip.
{
  const tok = new t.Tokenizer(t.Unigram.empty());
  tok.setNormalizer(t.sequenceNormalizer([t.nfkcNormalizer(), t.lowercase(), t.stripNormalizer(true, true)]));
  tok.setPreTokenizer(t.metaspacePreTokenizer("\u2581", "first", true));
  tok.setDecoder(t.sequenceDecoder([t.byteFallbackDecoder(), t.metaspaceDecoder("\u2581", "first", true)]));
  const json = train(tok);
  // Unigram vocab is a list: unk first is what SentencePiece-converted files do; add the
  // byte pieces at the end with a low score.
  json.model.vocab.unshift(["<unk>", 0.0]);
  json.model.unk_id = 0;
  for (let byte = 0; byte < 256; ++byte) {
    json.model.vocab.push(["<0x" + byte.toString(16).toUpperCase().padStart(2, "0") + ">", -30.0]);
  }
  json.model.byte_fallback = true;
  const n = json.model.vocab.length;
  json.added_tokens = [added(0, "<unk>", true), added(n, "<s>", true), added(n + 1, "</s>", true),
                       added(n + 2, "<|user|>", true, { rstrip: true }),
                       added(n + 3, "  ", false, { normalized: false })];
  json.post_processor = { type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
             { SpecialToken: { id: "</s>", type_id: 0 } }],
    pair: [{ Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
    special_tokens: { "<s>": { id: "<s>", ids: [n], tokens: ["<s>"] },
                      "</s>": { id: "</s>", ids: [n + 1], tokens: ["</s>"] } } };
  write("unigram_metaspace", json);
}

// BPE with byte fallback in the Llama-2 layout: Prepend + Replace normalizers, no
// pre-tokenizer, unk, and a Digits + Punctuation pre-tokenizer variant.
function llama2Like(name, preTokenizer) {
  const tok = new t.Tokenizer(t.BPE.empty());
  tok.setPreTokenizer(t.metaspacePreTokenizer("\u2581", "always", true));
  const json = train(tok);
  let id = nextId(json);
  json.model.vocab["<unk>"] = id++;
  for (let byte = 0; byte < 256; ++byte) {
    json.model.vocab["<0x" + byte.toString(16).toUpperCase().padStart(2, "0") + ">"] = id++;
  }
  json.model.unk_token = "<unk>";
  json.model.byte_fallback = true;
  json.model.fuse_unk = true;
  json.normalizer = { type: "Sequence", normalizers: [
    { type: "Prepend", prepend: "\u2581" }, { type: "Replace", pattern: { String: " " }, content: "\u2581" }] };
  json.pre_tokenizer = preTokenizer;
  json.decoder = { type: "Sequence", decoders: [
    { type: "Replace", pattern: { String: "\u2581" }, content: " " }, { type: "ByteFallback" },
    { type: "Fuse" }, { type: "Strip", content: " ", start: 1, stop: 0 }] };
  json.added_tokens = [added(json.model.vocab["<unk>"], "<unk>", true), added(id, "<s>", true),
                       added(id + 1, "</s>", true)];
  json.post_processor = { type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
    pair: [{ Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
    special_tokens: { "<s>": { id: "<s>", ids: [id], tokens: ["<s>"] } } };
  write(name, json);
}
llama2Like("bpe_byte_fallback", null);
llama2Like("bpe_digits_punctuation", { type: "Sequence", pretokenizers: [
  { type: "Digits", individual_digits: true }, { type: "Punctuation", behavior: "Isolated" },
  { type: "WhitespaceSplit" }] });

// Byte-level BPE in the GPT-2/RoBERTa layout: ByteLevel(add_prefix_space, use_regex),
// RobertaProcessing, a Whitespace-based variant with MergedWithNext splits.
{
  const tok = new t.Tokenizer(t.BPE.empty());
  tok.setPreTokenizer(t.byteLevelPreTokenizer(true, true));
  const json = train(tok);
  json.decoder = { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true };
  // Real byte-level vocabularies hold all 256 byte characters; training on English text
  // does not, so the missing ones are added.
  let next = nextId(json);
  for (const c of t.byteLevelAlphabet().sort()) {
    if (!(c in json.model.vocab)) json.model.vocab[c] = next++;
  }
  let id = nextId(json);
  json.added_tokens = [added(id, "<s>", true), added(id + 1, "</s>", true),
                       added(id + 2, "<mask>", true, { lstrip: true })];
  json.post_processor = { type: "RobertaProcessing", sep: ["</s>", id + 1], cls: ["<s>", id],
                          trim_offsets: true, add_prefix_space: true };
  write("bytelevel_roberta", json);
  json.pre_tokenizer = { type: "Sequence", pretokenizers: [
    { type: "Split", pattern: { Regex: "\\s+" }, behavior: "MergedWithNext", invert: false },
    { type: "Split", pattern: { String: "," }, behavior: "MergedWithPrevious", invert: false },
    { type: "Split", pattern: { Regex: "[0-9]+" }, behavior: "Contiguous", invert: false },
    { type: "Split", pattern: { Regex: "[A-Z]" }, behavior: "Removed", invert: false },
    { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false }] };
  json.normalizer = { type: "Sequence", normalizers: [{ type: "NFD" }, { type: "StripAccents" },
                                                      { type: "Replace", pattern: { Regex: "[0-9]{4,}" }, content: "#" }] };
  write("bytelevel_splits", json);
}

fs.unlinkSync(corpus);
