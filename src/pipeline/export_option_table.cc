// The declarations of the options of `export` and `convert`: the one place an option is
// named, typed, defaulted, documented and grouped. The CLI's flags, JSON parsing (HTTP API,
// Python), the canonical options of manifest.json, the JSON Schema and docs/export.md's
// tables are all derived from this list; ResolveExportOptions gives each its meaning.
#include <algorithm>

#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/format/target.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {
namespace {

using options::kBothCommands;
using options::kConvert;
using options::kExport;
using options::OptionSpec;
using options::ValueType;

template <typename Table>
std::vector<std::string> ChoicesOf(const Table& table) {
  std::vector<std::string> out;
  for (std::string_view name : table.Names()) out.emplace_back(name);
  return out;
}

std::vector<std::string> FormatNames() {
  std::vector<std::string> names;
  for (const format::Format& f : format::BuiltinFormats().entries()) names.push_back(f.name);
  return names;
}

std::vector<std::string> TargetNames() {
  std::vector<std::string> names;
  for (const format::Target& t : format::BuiltinTargets().entries()) names.push_back(t.name);
  return names;
}

// Builder helpers: each returns one spec so that the table below reads as a list.
OptionSpec Flag(std::string name, std::string group, std::string doc, uint8_t commands = kBothCommands) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = ValueType::kBool;
  spec.group = std::move(group);
  spec.doc = std::move(doc);
  spec.default_json = "false";
  spec.commands = commands;
  return spec;
}

OptionSpec Value(std::string name, ValueType type, std::string value_name, std::string group,
                 std::string doc, std::string default_json, uint8_t commands = kBothCommands) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.value_name = std::move(value_name);
  spec.group = std::move(group);
  spec.doc = std::move(doc);
  spec.default_json = std::move(default_json);
  spec.commands = commands;
  return spec;
}

OptionSpec Choice(std::string name, std::vector<std::string> choices, std::string group, std::string doc,
                  uint8_t commands = kBothCommands) {
  OptionSpec spec = Value(std::move(name), ValueType::kEnum, "", std::move(group), std::move(doc),
                          "\"" + choices.front() + "\"", commands);
  spec.choices = std::move(choices);
  return spec;
}

std::vector<OptionSpec> Declarations() {
  const std::string input = "Input", mapping = "Mapping", normalise = "Normalisation",
                    tokens = "Chunking and tokens", cleaning = "Cleaning and filters",
                    dedup = "Deduplication", output = "Output", run = "Run";
  std::vector<OptionSpec> specs;
  auto add = [&](OptionSpec spec) -> OptionSpec& { return specs.emplace_back(std::move(spec)); };

  OptionSpec& inputs = add(Value("inputs", ValueType::kStringList, "INPUT...", input,
                                 "Input files and folders (folders are walked recursively; '-' reads "
                                 "standard input)", ""));
  inputs.positional = inputs.required = true;
  add(Value("include", ValueType::kStringList, "GLOB", input, "In folders, read only files matching GLOB (repeatable; `*` also crosses `/`; the bare file name is matched too); a file a glob names is read even when its extension says it is not a document", "[]"));
  add(Value("exclude", ValueType::kStringList, "GLOB", input, "In folders, skip files matching GLOB (repeatable)", "[]"));
  add(Flag("follow-links", input,
           "In folders, follow symbolic links wherever they lead (default: only links to files "
           "inside the folder are followed; each other link is one ledger line; see limits.md)"));
  OptionSpec& from = add(Value("from", ValueType::kString, "FORMAT", input,
                               "Read records as this dataset format instead of detecting it", "\"\""));
  from.choices = FormatNames();
  from.choices.insert(from.choices.begin(), "");
  add(Choice("on-invalid-utf8", ChoicesOf(kInvalidUtf8Policies), input,
             "Invalid UTF-8 bytes: replace (with U+FFFD, counted in the manifest), skip, or fail the input"));
  add(Value("max-record-bytes", ValueType::kInt, "BYTES", input, "Reject records larger than this (reason too_large)",
            std::to_string(64u << 20)));
  add(Value("max-decompressed-bytes", ValueType::kInt, "BYTES", input,
            "Stop reading a compressed input (.gz, .zst, .bz2, .xz) once it has decompressed to "
            "this many bytes (reason decompressed_too_large): a bound on decompression bombs",
            std::to_string(16ull << 30)));
  add(Flag("speaker-notes", input,
           "Presentations (PPTX): read each slide's speaker notes after the slide (as paragraphs, the "
           "first starting \"Speaker notes:\")", kExport));

  add(Choice("media-files", ChoicesOf(kMediaFileChecks), input,
             "Records with images, videos or audio (an \"images\" list, image_url parts): check "
             "that each local file exists and is of its kind (libmagic), or skip that check (media "
             "kept elsewhere); placeholders are counted against the lists either way"));
  add(Value("media-dir", ValueType::kString, "DIR", input,
            "Where relative media paths of records are found (default: the folder of the file that "
            "names them; the current folder for stdin)", "\"\""));

  add(Value("text-field", ValueType::kString, "FIELD", mapping,
            "Records: take the text of a document from this field (dotted path)", "\"\""));
  add(Value("map", ValueType::kStringList, "ROLE=FIELD", mapping,
            "Records: build a conversation turn ROLE=FIELD, one per use, in order (roles: system, "
            "user, assistant), e.g. user=question then assistant=answer (repeatable)", "[]"));
  add(Value("meta-field", ValueType::kStringList, "FIELD", mapping,
            "Records: copy this field into the example's metadata (repeatable)", "[]"));
  add(Value("meta", ValueType::kStringList, "KEY=VALUE", mapping,
            "Add KEY=VALUE to every example's metadata (repeatable)", "[]"));
  OptionSpec& dataset_info = add(Value("dataset-info", ValueType::kString, "FILE", mapping,
                                       "Records: read them as the LLaMA-Factory dataset_info.json FILE "
                                       "describes the dataset named by " + OptionRef("dataset") +
                                           " (formatting, ranking, columns, tags)", "\"\""));
  dataset_info.names_files = true;
  OptionSpec& axolotl_config = add(Value("axolotl-config", ValueType::kString, "FILE", mapping,
                                         "Records: read them as the datasets entry of the axolotl config "
                                         "YAML FILE named by " + OptionRef("dataset") +
                                             " says (type, field_messages, message_property_mappings, roles)",
                                         "\"\""));
  axolotl_config.names_files = true;
  add(Value("dataset", ValueType::kString, "NAME", mapping,
            "The dataset whose entry describes the inputs: its name in " + OptionRef("dataset-info") +
                "; its path or index (from 0) in the datasets of " + OptionRef("axolotl-config") +
                ", which may leave it out when it has one",
            "\"\""));
  OptionSpec& tmpl = add(Value("template", ValueType::kString, "FILE", mapping,
                               "Map each record, document or chunk to an example with this Jinja2 "
                               "template, which renders the example's JSON (see docs/export.md)",
                               "\"\"", kExport));
  tmpl.names_files = true;
  add(Value("template-dir", ValueType::kStringList, "DIR", mapping,
            "Where the template's include, import and extends find templates (repeatable)", "[]", kExport));
  add(Flag("strip-generation-prompt", mapping,
           "Format chat-template: cut the generation prompt (an empty assistant turn) a template "
           "leaves after the last assistant turn whatever add_generation_prompt says (the original "
           "Llama 3 Instruct template does); off by default for byte parity with transformers, "
           "reported on stderr, in stats.json (generation_prompt_left) and by validate", kExport));
  add(Value("model", ValueType::kString, "DIR", mapping,
            "Format chat-template: the model folder whose tokenizer_config.json chat template "
            "renders each conversation", "\"\""));

  add(Choice("unicode-form", ChoicesOf(normalize::kUnicodeForms), normalise,
             "Unicode normal form of document text: nfc, nfkc or none", kExport));
  specs.back().default_json = "\"nfc\"";
  add(Flag("no-normalize", normalise, "Keep document text exactly as read", kExport));
  add(Flag("normalize-records", normalise,
           "Normalise record fields (JSONL, JSON, CSV) as documents are; by default record text is "
           "kept exactly as read", kExport));
  add(Flag("keep-crlf", normalise, "Do not turn CRLF and CR into LF", kExport));
  add(Flag("keep-control-chars", normalise, "Do not remove control characters", kExport));
  add(Flag("keep-trailing-spaces", normalise, "Do not trim spaces at line ends", kExport));
  add(Flag("keep-blank-lines", normalise, "Do not collapse runs of blank lines", kExport));

  add(Value("tokenizer", ValueType::kString, "SPEC", tokens,
            "Tokenizer for chunking, packing, the example limit, the token figures of stats.json, "
            "and chat-template's input_ids and assistant_masks: a built-in name (see `tunepack "
            "tokenizers`) or a path", "\"\"", kExport));
  add(Value("max-tokens", ValueType::kInt, "N", tokens,
            "Split text examples into chunks of at most N tokens, at the strongest boundary that "
            "fits (section, paragraph, list item, sentence, word); see Chunking below", "0", kExport));
  add(Value("overlap", ValueType::kNumber, "N", tokens,
            "Tokens (N >= 1) or fraction of max-tokens (0 < x < 1) repeated from the previous chunk",
            "0", kExport));
  add(Value("min-tokens", ValueType::kInt, "N", tokens,
            "Do not leave a last chunk with fewer new tokens than this", "0", kExport));
  add(Flag("heading-context", tokens,
           "Prefix each chunk with its heading path (Title > H1 > H2), counted in the budget", kExport));
  add(Value("pack", ValueType::kInt, "N", tokens,
            "Also pack each split into <split>.packed.jsonl: sequences of at most N tokens "
            "(first-fit-decreasing) with position ids and labels", "0", kExport));
  add(Value("max-example-tokens", ValueType::kInt, "N", tokens,
            "Examples over N tokens (needs a tokenizer) are handled by on-overlong, never cut "
            "silently", "0", kExport));
  add(Choice("on-overlong", ChoicesOf(kOverlongPolicies), tokens,
             "drop (into rejected.jsonl, reason too_long), split (text examples into chunks that "
             "fit) or truncate (cut at the limit, counted in the manifest)", kExport));

  add(Flag("quality-filter", cleaning, "Drop documents failing a Gopher quality rule (scores go to metadata)", kExport));
  add(Value("quality-rule", ValueType::kStringList, "NAME=VALUE", cleaning,
            "Set a rule's threshold, NAME=VALUE (negative disables it), e.g. min_words=20 "
            "(repeatable; see docs/optimize.md)", "[]", kExport));
  add(Choice("remove-repeated", ChoicesOf(kRepeatedRemovals), cleaning,
             "Inside each document, drop repeated lines or paragraphs (boilerplate): off, lines or "
             "paragraphs", kExport));
  add(Flag("redact-pii", cleaning,
           "Replace e-mail addresses, phone numbers, public IP addresses and secrets with "
           "placeholders ([EMAIL], [PHONE], [IP], [SECRET]; [CARD] and [IBAN] when pii-kinds lists "
           "them); counts in the manifest"));
  OptionSpec& pii = add(Value("pii-kinds", ValueType::kStringList, "KIND,...", cleaning,
                              "With redact-pii, only these kinds (card: payment card numbers passing "
                              "Luhn, iban: IBANs passing mod 97; both only when listed)", "",
                              kBothCommands));
  pii.choices = ChoicesOf(quality::kPiiKindNames);
  pii.comma_list = true;
  {
    std::string defaults = "[";
    for (size_t i = 0; i < quality::kPiiKinds; ++i) {
      const auto kind = static_cast<quality::PiiKind>(i);
      if (!quality::PiiKindOnByDefault(kind)) continue;
      defaults += (defaults.size() > 1 ? ",\"" : "\"") + std::string(quality::PiiKindName(kind)) + "\"";
    }
    pii.default_json = defaults + "]";
  }
  add(Flag("detect-language", cleaning, "Record each example's language (CLD2) in its metadata as \"language\" and its confidence "
           "as \"language_score\" (0..1)"));
  add(Value("languages", ValueType::kString, "CODES", cleaning,
            "Keep only examples in these languages, e.g. en,fr (ISO 639-1; implies detect-language; "
            "others are rejected with reason language)", "\"\""));
  OptionSpec& decontaminate = add(Value("decontaminate", ValueType::kStringList, "FILE", cleaning,
                                        "Drop examples sharing a word n-gram with this evaluation file "
                                        "(text, or JSONL whose string fields are compared; repeatable)",
                                        "[]"));
  decontaminate.names_files = true;
  OptionSpec& ngram = add(Value("decontaminate-ngram", ValueType::kInt, "N", cleaning,
                                "n-gram length for decontaminate", "13"));
  ngram.min_int = 1;

  add(Choice("dedup", ChoicesOf(kDedupModes), dedup,
             "Drop duplicates: off, exact (same normalised text), near (MinHash-LSH Jaccard >= "
             "dedup-threshold over 5-word shingles) or both; the first occurrence is kept and each "
             "dropped one names it in rejected.jsonl"));
  add(Value("dedup-threshold", ValueType::kNumber, "X", dedup, "Jaccard similarity for near dedup", "0.8"));
  // Like shard: in the canonical options (as the plan's content hash) only when given.
  OptionSpec& plan = add(Value("dedup-plan", ValueType::kString, "FILE", dedup,
                               "With " + OptionRef("shard") + ": the verdicts `tunepack dedup-plan` made from every rank's "
                               "signatures (the last stage of a sharded dedup; see docs/scale-out.md)",
                               "\"\"", kExport));
  plan.decides_output = false;

  OptionSpec& out = add(Value("output", ValueType::kString, "DIR", output, "Output folder", ""));
  out.short_name = "o";
  out.required = true;
  out.decides_output = false;
  OptionSpec& format = add(Value("format", ValueType::kString, "FORMAT", output,
                                 "Output format (see `tunepack formats`)", "\"jsonl\"", kExport));
  format.short_name = "f";
  format.choices = FormatNames();
  OptionSpec& to = add(Value("format", ValueType::kString, "FORMAT", output,
                             "Target format (see `tunepack formats`), or a target service or trainer (see "
                             "`tunepack targets`), whose format and rules it then writes",
                             "", kConvert));
  to.cli_name = "to";
  to.short_name = "t";
  to.required = true;
  to.choices = FormatNames();
  // A target named like its format (bedrock-claude) is listed once.
  for (std::string& name : TargetNames()) {
    if (std::find(to.choices.begin(), to.choices.end(), name) == to.choices.end()) to.choices.push_back(std::move(name));
  }
  add(Value("target", ValueType::kString, "NAME", output,
            "Write for this service or trainer (see `tunepack targets`): its format (or one of its formats "
            "named by " + OptionRef("format") + "), its turn rules (an example breaking one is rejected), "
            "its file limits (warnings) and companion files (LLaMA-Factory's dataset_info.json)",
            "\"\"", kExport));
  add(Value("split", ValueType::kString, "NAME=FRACTION,...", output,
            "Splits by content hash, e.g. train=0.9,validation=0.1", "\"train=1\""));
  add(Value("max-records-per-file", ValueType::kInt, "N", output,
            "Shard each split into files of at most N records (0: one file)", "0"));
  add(Flag("with-metadata", output, "Add a metadata object (source, title, hashes, meta) to JSONL records"));
  add(Choice("layout", ChoicesOf(kOutputLayouts), output,
             "flat: the split files in the folder; hf: the Hugging Face layout, "
             "data/<split>-NNNNN-of-NNNNN.parquet shards and a README.md dataset card "
             "that datasets.load_dataset(folder) reads"));
  add(Value("max-shard-mb", ValueType::kInt, "MB", output,
            "With " + OptionRef("layout") + " hf: start a new Parquet shard after about MB megabytes", "500"));
  add(Choice("parquet-compression", ChoicesOf(parquet::kCompressions), output,
             "With " + OptionRef("layout") + " hf: how Parquet pages are compressed"));
  add(Value("card-license", ValueType::kString, "ID", output,
            "With " + OptionRef("layout") + " hf: the license the dataset card declares, a Hugging Face "
            "license id (apache-2.0, mit, cc-by-4.0, other...)", "\"\""));
  OptionSpec& card_language = add(Value("card-language", ValueType::kStringList, "CODE", output,
                                        "With " + OptionRef("layout") + " hf: a language of the data for the dataset "
                                        "card, an ISO 639 code such as en or fr (repeatable, or comma-separated)", "[]"));
  card_language.comma_list = true;

  // Not in the canonical options by default (decides_output false) so that exports that do
  // not shard keep their manifests; CanonicalOptionsJson adds it when given, so a rank's
  // checkpoint and part marker carry it and the merge takes it out again.
  OptionSpec& shard = add(Value("shard", ValueType::kString, "I/N", run,
                                "Process only rank I (0-based) of N: a contiguous 1/N of the inputs, balanced "
                                "by bytes (a large JSON Lines file is cut into byte ranges at line ends), "
                                "into a part folder that `tunepack merge` joins "
                                "(see docs/scale-out.md); a rank whose part is complete does nothing",
                                "\"\"", kExport));
  shard.decides_output = false;
  add(Flag("strict", run, "Stop at the first rejected input (exit code 2)"));
  OptionSpec& resume = add(Flag("resume", run, "Continue an interrupted export in the output folder"));
  resume.decides_output = false;
  OptionSpec& overwrite = add(Flag("overwrite", run, "Replace an export already in the output folder (otherwise refused)"));
  overwrite.decides_output = false;
  OptionSpec& jobs = add(Value("jobs", ValueType::kInt, "N", run, "Worker threads (0: all cores); the output is byte-identical for any number", "0"));
  jobs.short_name = "j";
  jobs.decides_output = false;
  OptionSpec& progress = add(Choice("progress", ChoicesOf(kProgressModes), run,
                                    "auto (a bar on a terminal), bar, json (events on stderr) or none"));
  progress.decides_output = false;
  progress.cli_only = true;
  return specs;
}

}  // namespace

const options::OptionTable& ExportOptionTable() {
  static const options::OptionTable table(Declarations());
  return table;
}

}  // namespace tunepack::pipeline
