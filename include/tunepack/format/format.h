// Dataset formats: a registry of record shapes (openai, chatml, alpaca, sharegpt, jsonl,
// text, markdown), each able to recognise, read and write its records.
//
// A JSONL format reads one parsed JSON record at a time; a plain-file format (text,
// markdown, chatml as a file) splits a whole file into examples. Writers are stateless and
// thread-safe: the pipeline calls them from worker threads and concatenates their output
// in input order, putting `separator` between records of one file.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/registry.h"
#include "tunepack/core/result.h"
#include "tunepack/format/file_checks.h"

namespace tunepack::format {

// WriteOptions: choices that shape what writers emit.
struct WriteOptions {
  bool include_metadata = false;  ///< add a "metadata" object to JSONL records
  // When set, a format that renders each example into a "text" field (chat-template) also
  // leaves that text here, so that a caller measuring the record need not read it back out
  // of the JSON (it renders into this string, whose room then serves the next record; after
  // an error its content means nothing); other formats leave it as it was.
  std::string* rendered_text = nullptr;
};

// FormatParams: settings a format may need before it can write (`--model`, `--tokenizer`).
struct FormatParams {
  std::string model_dir;  ///< a model folder with tokenizer_config.json (chat-template)
  std::string tokenizer;  ///< a tokenizer spec, for formats that also write token ids
  // chat-template: cut the generation prompt a template leaves after the last assistant turn
  // (--strip-generation-prompt); off by default, for byte parity with transformers.
  bool strip_generation_prompt = false;
  // A target (tunepack/format/target.h, `--target`): the format must be one of its formats,
  // and its writer refuses examples that break the target's turn rules. Empty: none.
  std::string target;
};

// Format: one dataset format.
//
// Error conventions (the pipeline turns them into ledger reasons):
// - read/split: InvalidArgument when the record is not a valid record of this format,
//   with a message naming the field at fault.
// - write: FailedPrecondition when writing would lose information (a multi-turn
//   conversation into a format without history, a tool call into a format with no tool
//   field, a conversation into `jsonl`); the message says what would be lost and what to
//   use instead. InvalidArgument when the example is not valid for the format.
//   Unimplemented when the example is valid but the format cannot derive what it must
//   write from it (chat-template: an assistant mask, for a template that rewrites earlier
//   turns once later ones follow).
struct Format {
  std::string name;         ///< "openai", "sharegpt", ...
  std::string description;  ///< one line for `tunepack formats`
  std::string extension;    ///< data file extension: ".jsonl", ".txt", ".md"
  std::string separator;    ///< written between two records in one file ("" for JSONL)

  // JSONL formats: returns true when `record` has this format's shape (used to detect
  // which format a dataset file is in). Null for plain-file formats.
  std::function<bool(simdjson::dom::element record)> matches;
  // JSONL formats: reads `record` into `out` (whose origin is already set).
  std::function<Status(simdjson::dom::element record, Example& out)> read;
  // Plain-file formats: splits a whole file into examples, calling `emit` for each in
  // order with its 1-based starting line. Null for formats with no plain-file form (chatml
  // has both: JSONL records and a file of conversations separated by blank lines).
  std::function<Status(std::string_view file_text,
                       const std::function<void(Example&&, uint64_t line)>& emit)>
      split;
  // Appends the encoding of `example` (for JSONL formats: one line with its '\n'). On
  // error, `out` is left as it was.
  std::function<Status(const Example& example, const WriteOptions& options, std::string& out)>
      write;
  // Formats that need settings (a model, a tokenizer): returns this format made ready to
  // write with `params`, or InvalidArgument saying which flag is missing. Null for formats
  // that need none. Called once per run, before any record is written.
  std::function<Result<Format>(const FormatParams& params)> bind;
  // Write-only formats: the readable format their files are read back as (statistics of
  // an export). chat-template writes {"text", "input_ids", ...} lines, read as "jsonl".
  std::string read_as;
  // Top-level record fields outside this format's own that its writer writes back as they
  // were read (Example::unread_fields), e.g. LLaMA-Factory's media lists for sharegpt.
  std::vector<std::string> carried_fields;
  // False for formats whose files have no place for metadata (text): --with-metadata
  // cannot carry a field there.
  bool holds_metadata = true;
  // True for formats of preference data (openai-dpo, trl-preference, trl-kto...): their
  // records are a prompt with a chosen and a rejected answer, or one answer and a label.
  bool preference = false;
  // True when reading back a record this format wrote from a plain example (a text, or
  // messages of role, content and name: no tools, tool calls or carried fields) gives the
  // example that was written, in all that statistics measure: its kind, texts, roles and
  // names, and its metadata when written. An export then measures the example in hand
  // instead of parsing its record again (pipeline/export_stats.h); the oracle test there
  // holds the claim for each format that makes it.
  bool reads_back_as_written = false;
  // chat-template, once bound: the generation prompt its template leaves after the last
  // assistant turn of every training text (an empty assistant turn), when it leaves one and
  // it is not stripped; "" otherwise. Statistics count the texts that end with it.
  std::string dangling_generation_prompt;
  // What `tunepack validate` checks beyond reading each record (openai: OpenAI's
  // fine-tuning rules); empty for formats whose reader is the whole check.
  FileChecks checks;
};

using FormatRegistry = Registry<Format>;

// Adds the built-in formats to `registry`.
Status RegisterBuiltinFormats(FormatRegistry& registry);

// Returns the registry holding the built-in formats.
const FormatRegistry& BuiltinFormats();

// Returns the built-in plain-file format (text, markdown) whose file extension `path` has,
// or nullptr. .jsonl and .json files are records, although chatml also has a plain-file
// form: only --from chatml reads one as a transcript. The one place that maps a file name
// to a plain-file format (convert, stats, validate).
const Format* PlainFileFormatFor(std::string_view path);

// Returns the first registered JSONL format whose `matches` accepts `record`, or nullptr.
// Checked from the most specific shape to the least (openai, sharegpt, alpaca, chatml, jsonl).
const Format* DetectFormat(const FormatRegistry& registry, simdjson::dom::element record);

// Returns the format called `name` in `registry`, or NotFound listing the valid names.
//
// Example:
//   TP_ASSIGN_OR_RETURN(const Format* format, FindFormat(BuiltinFormats(), options.format));
Result<const Format*> FindFormat(const FormatRegistry& registry, std::string_view name);
// Returns the built-in format called `name`, or NotFound listing the valid names.
Result<const Format*> FindFormat(std::string_view name);

// Returns the format that reads back `files`, written as `written`: `written` itself, or
// for a write-only format its read_as, except that chat-template's preference records read
// as the TRL preference format of their shape (found from the first record of `files`).
Result<const Format*> ReadBackFormat(const Format& written, const std::vector<std::string>& files);

// Returns the format ReadBackFormat would choose for files whose first record starts with
// the line `first_line` (not empty): the one rule, for a caller that sees records before
// they reach a file.
Result<const Format*> ReadBackFormatOfLine(const Format& written, std::string_view first_line);

// Returns the built-in format `name` ready to write: bound to `params` when it has a
// `bind`, else as registered; with params.target, checking each example against the
// target's turn rules before writing it. InvalidArgument when `params` are given to a
// format that takes none, or the target does not take `name`.
Result<std::shared_ptr<const Format>> BindFormat(std::string_view name, const FormatParams& params);

}  // namespace tunepack::format
