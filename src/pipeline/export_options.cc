// ResolveExportOptions: gives the declared values (export_option_table.cc) their meaning,
// checks the rules between options, and writes the canonical options of the manifest.
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "tunepack/core/hash.h"
#include "tunepack/format/axolotl_dataset.h"
#include "tunepack/format/dataset_info.h"
#include "tunepack/format/example_template.h"
#include "tunepack/format/format.h"
#include "tunepack/format/target.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {
namespace {

using options::OptionValues;

// --dataset-info FILE or --axolotl-config FILE, with --dataset: the trainer's own description
// of the inputs, which then decides the format they are read with.
Status ResolveDatasetLayout(const OptionValues& v, ExportOptions& o) {
  const std::string dataset_info = v.String("dataset-info");
  const std::string axolotl_config = v.String("axolotl-config");
  const std::string dataset = v.String("dataset");
  if (!dataset_info.empty() && !axolotl_config.empty()) {
    return InvalidArgumentError(OptionRef("dataset-info") + " and " + OptionRef("axolotl-config") +
                                " exclude each other: the inputs are described once");
  }
  const std::string option = axolotl_config.empty() ? "dataset-info" : "axolotl-config";
  const std::string& file = axolotl_config.empty() ? dataset_info : axolotl_config;
  if (file.empty()) {
    if (dataset.empty()) return Status::Ok();
    return InvalidArgumentError(OptionRef("dataset") + " names a dataset of " + OptionRef("dataset-info") + " or " +
                                OptionRef("axolotl-config") + ": give the file as well");
  }
  if (dataset.empty() && axolotl_config.empty()) {
    return InvalidArgumentError(OptionRef("dataset-info") + " and " + OptionRef("dataset") +
                                " go together: the file, and the dataset of it that describes the inputs");
  }
  if (!o.mapping.fields.empty() || !o.mapping.text_field.empty() || !v.String("template").empty()) {
    return InvalidArgumentError(OptionRef(option) + " maps records itself: it excludes " + OptionRef("map") + ", " +
                                OptionRef("text-field") + " and " + OptionRef("template"));
  }
  std::shared_ptr<const format::RecordLayout> layout;
  if (axolotl_config.empty()) {
    TP_ASSIGN_OR_RETURN(format::DatasetLayout entry, format::LoadDatasetLayout(dataset_info, dataset));
    layout = format::MakeRecordLayout(std::move(entry));
  } else {
    TP_ASSIGN_OR_RETURN(format::AxolotlDataset entry, format::LoadAxolotlDataset(axolotl_config, dataset));
    layout = format::MakeRecordLayout(std::move(entry));
  }
  if (!o.input_format.empty() && o.input_format != layout->format()) {
    return InvalidArgumentError(OptionRef("from") + " " + o.input_format + " contradicts " + OptionRef(option) +
                                ", whose dataset" + (dataset.empty() ? "" : " \"" + dataset + "\"") + " is read as " +
                                layout->format());
  }
  o.input_format = layout->format();
  o.dataset_layout = std::move(layout);
  return Status::Ok();
}

Status ResolveMapping(const OptionValues& v, ExportOptions& o) {
  o.mapping.text_field = v.String("text-field");
  for (const std::string& spec : v.List("map")) {
    TP_ASSIGN_OR_RETURN(format::FieldMapping mapping, format::ParseFieldMapping(spec));
    o.mapping.fields.push_back(std::move(mapping));
  }
  if (!o.mapping.fields.empty() && !o.mapping.text_field.empty()) {
    return InvalidArgumentError(OptionRef("map") + " and " + OptionRef("text-field") +
                                " exclude each other: a record becomes a conversation or a text, not both");
  }
  o.mapping.metadata_fields = v.List("meta-field");
  for (const std::string& pair : v.List("meta")) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError(OptionRef("meta") + " wants KEY=VALUE, got '" + pair + "'");
    }
    o.meta.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  TP_RETURN_IF_ERROR(ResolveDatasetLayout(v, o));
  const std::string template_file = v.String("template");
  const std::vector<std::string> template_dirs = v.List("template-dir");
  if (!template_file.empty()) {
    if (!o.mapping.fields.empty() || !o.mapping.text_field.empty() || !o.input_format.empty() ||
        !o.mapping.metadata_fields.empty()) {
      return InvalidArgumentError(OptionRef("template") + " maps records itself: it excludes " + OptionRef("map") +
                                  ", " + OptionRef("text-field") + ", " + OptionRef("meta-field") + " and " +
                                  OptionRef("from") + " (a template can write a \"metadata\" object)");
    }
    TP_ASSIGN_OR_RETURN(o.example_template, format::ExampleTemplate::Load(template_file, template_dirs));
  } else if (!template_dirs.empty()) {
    return InvalidArgumentError(OptionRef("template-dir") + " is the search path of " + OptionRef("template") +
                                ": give the template as well");
  }
  return Status::Ok();
}

// --target NAME (export) or a target name given to convert's --to: the target's format
// (or the one of its formats --format names) and its rules, applied when the format is bound.
Status ResolveTarget(const OptionValues& v, options::CommandMask command, ExportOptions& o) {
  std::string name;
  std::string format;
  if (command == options::kConvert) {
    // A target named like its format (bedrock-claude, openai-dpo) is the target: its rules
    // come with the format.
    if (format::BuiltinTargets().Find(o.output_format) == nullptr) return Status::Ok();
    name = o.output_format;
  } else {
    name = v.String("target");
    if (name.empty()) return Status::Ok();
    if (v.Given("format")) format = o.output_format;
  }
  TP_ASSIGN_OR_RETURN(const format::Target* target, format::FindTarget(name));
  Result<std::string> chosen = format::TargetFormat(*target, format);
  if (!chosen.has_value()) {
    return InvalidArgumentError(OptionRef("format") + " " + format + " conflicts with " + OptionRef("target") + " " +
                                name + ": " + chosen.error().message() + " (leave out " + OptionRef("format") +
                                " to write " + target->formats.front() + ")");
  }
  o.output_format = *chosen;
  o.format_params.target = target->name;
  return Status::Ok();
}

Status ResolveNormalisation(const OptionValues& v, ExportOptions& o) {
  // `convert` keeps records as they are: it has no normalisation options.
  o.normalize_text = o.command == options::kExport && !v.Bool("no-normalize");
  if (o.command == options::kExport) {
    TP_ASSIGN_OR_RETURN(o.normalize.form, normalize::kUnicodeForms.Parse(v.String("unicode-form")));
  }
  o.normalize_records = v.Bool("normalize-records");
  o.normalize.newlines = !v.Bool("keep-crlf");
  o.normalize.control_chars = !v.Bool("keep-control-chars");
  o.normalize.trailing_spaces = !v.Bool("keep-trailing-spaces");
  o.normalize.blank_lines = !v.Bool("keep-blank-lines");
  return Status::Ok();
}

Status NeedsTokenizer(const OptionValues& v, std::string_view option) {
  if (!v.String("tokenizer").empty()) return Status::Ok();
  return InvalidArgumentError(OptionRef(option) + " needs " + OptionRef("tokenizer") +
                              " (e.g. cl100k_base)");
}

Status ResolveTokens(const OptionValues& v, ExportOptions& o) {
  // The tokenizer chunks, packs, enforces the example limit and, even alone, counts tokens
  // for stats.json; chat-template also writes token ids and the assistant mask with it.
  o.tokenizer = v.String("tokenizer");
  if (o.output_format == "chat-template") o.format_params.tokenizer = o.tokenizer;
  const double overlap = v.Number("overlap");
  if (v.Int("max-tokens") > 0) {
    TP_RETURN_IF_ERROR(NeedsTokenizer(v, "max-tokens"));
    o.chunk = true;
    o.chunk_options.max_tokens = static_cast<size_t>(v.Int("max-tokens"));
    if (overlap > 0 && overlap < 1) {
      o.chunk_options.overlap_fraction = overlap;
    } else if (overlap >= 1) {
      o.chunk_options.overlap_tokens = static_cast<size_t>(overlap);
    }
    o.chunk_options.min_tokens = static_cast<size_t>(v.Int("min-tokens"));
    o.chunk_options.heading_context = v.Bool("heading-context");
  } else if (overlap > 0 || v.Int("min-tokens") > 0 || v.Bool("heading-context")) {
    return InvalidArgumentError(OptionRef("overlap") + ", " + OptionRef("min-tokens") + " and " +
                                OptionRef("heading-context") + " shape chunks: give " + OptionRef("max-tokens") +
                                " as well");
  }
  if (overlap < 0) return InvalidArgumentError(OptionRef("overlap") + " must not be negative");
  if (v.Int("pack") > 0) TP_RETURN_IF_ERROR(NeedsTokenizer(v, "pack"));
  o.pack_seq_len = static_cast<size_t>(v.Int("pack"));
  TP_ASSIGN_OR_RETURN(o.on_overlong, kOverlongPolicies.Parse(v.String("on-overlong")));
  if (v.Int("max-example-tokens") > 0) {
    TP_RETURN_IF_ERROR(NeedsTokenizer(v, "max-example-tokens"));
    o.max_example_tokens = static_cast<uint64_t>(v.Int("max-example-tokens"));
  } else if (v.Given("on-overlong") && o.on_overlong != OverlongPolicy::kDrop) {
    return InvalidArgumentError(OptionRef("on-overlong") + " applies to " + OptionRef("max-example-tokens") +
                                ": give it as well");
  }
  return Status::Ok();
}

// A card metadata value: a Hub id or code, letters, digits and . + - _ only (the card's
// YAML would take anything quoted, but the Hub's lists never need more).
Status CheckCardValue(const std::string& option, const std::string& value) {
  const bool ok = !value.empty() && value.size() <= 64 &&
                  std::all_of(value.begin(), value.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' || c == '_';
                  });
  if (ok) return Status::Ok();
  return InvalidArgumentError(OptionRef(option) + " '" + value + "': expected an id such as " +
                              (option == "card-license" ? "apache-2.0" : "en") +
                              " (letters, digits, '.', '+', '-', '_')");
}

// --card-license, --card-language: metadata of the dataset card, which only --layout hf writes.
Status ResolveDatasetCard(const OptionValues& v, ExportOptions& o) {
  o.card_license = v.String("card-license");
  o.card_languages = v.List("card-language");
  if (!o.card_license.empty()) TP_RETURN_IF_ERROR(CheckCardValue("card-license", o.card_license));
  for (const std::string& code : o.card_languages) TP_RETURN_IF_ERROR(CheckCardValue("card-language", code));
  if ((!o.card_license.empty() || !o.card_languages.empty()) && o.layout != OutputLayout::kHf) {
    return InvalidArgumentError(OptionRef(o.card_license.empty() ? "card-language" : "card-license") +
                                " describes the dataset card, which only " + OptionRef("layout") + " hf writes");
  }
  return Status::Ok();
}

Status ResolveCleaning(const OptionValues& v, ExportOptions& o) {
  TP_ASSIGN_OR_RETURN(o.dedup, kDedupModes.Parse(v.String("dedup")));
  const double threshold = v.Number("dedup-threshold");
  if (!(threshold > 0 && threshold <= 1)) {
    return InvalidArgumentError(OptionRef("dedup-threshold") + " must be in (0, 1]");
  }
  o.near_dedup.threshold = threshold;
  const std::vector<std::string> rules = v.List("quality-rule");
  o.quality_filter = v.Bool("quality-filter") || !rules.empty();
  for (const std::string& rule : rules) {
    const size_t eq = rule.find('=');
    char* end = nullptr;
    const double value = eq == std::string::npos ? 0 : std::strtod(rule.c_str() + eq + 1, &end);
    if (eq == std::string::npos || end == rule.c_str() + eq + 1 || *end != '\0') {
      return InvalidArgumentError(OptionRef("quality-rule") + " wants NAME=NUMBER, got '" + rule + "'");
    }
    TP_RETURN_IF_ERROR(quality::SetRuleThreshold(o.quality_rules, rule.substr(0, eq), value));
  }
  ExampleStepOptions& steps = o.steps;
  if (o.command == options::kExport) {
    TP_ASSIGN_OR_RETURN(steps.remove_repeated, kRepeatedRemovals.Parse(v.String("remove-repeated")));
  }
  steps.redact_pii = v.Bool("redact-pii");
  steps.pii.enabled.fill(false);
  for (const std::string& name : v.List("pii-kinds")) {
    TP_ASSIGN_OR_RETURN(quality::PiiKind kind, quality::kPiiKindNames.Parse(name));
    steps.pii.enabled[static_cast<size_t>(kind)] = true;
  }
  steps.detect_language = v.Bool("detect-language");
  steps.languages = v.String("languages");
  steps.decontaminate_files = v.List("decontaminate");
  steps.decontaminate_ngram = static_cast<int>(v.Int("decontaminate-ngram"));
  return Status::Ok();
}

}  // namespace

Result<ExportOptions> ResolveExportOptions(options::OptionValues values, options::CommandMask command) {
  ExportOptions o;
  o.command = command;
  const OptionValues& v = values;
  o.inputs = v.List("inputs");
  o.output_dir = v.String("output");
  o.output_format = v.String("format");
  TP_RETURN_IF_ERROR(ResolveTarget(v, command, o));
  o.input_format = v.String("from");
  o.include_globs = v.List("include");
  o.exclude_globs = v.List("exclude");
  o.follow_links = v.Bool("follow-links");
  o.speaker_notes = v.Bool("speaker-notes");
  TP_ASSIGN_OR_RETURN(o.media_files, kMediaFileChecks.Parse(v.String("media-files")));
  o.media_dir = v.String("media-dir");
  o.format_params.model_dir = v.String("model");
  o.format_params.strip_generation_prompt = v.Bool("strip-generation-prompt");
  TP_ASSIGN_OR_RETURN(o.on_invalid_utf8, kInvalidUtf8Policies.Parse(v.String("on-invalid-utf8")));
  o.max_record_bytes = static_cast<uint64_t>(v.Int("max-record-bytes"));
  o.max_decompressed_bytes = static_cast<uint64_t>(v.Int("max-decompressed-bytes"));
  o.dataset_inputs = command == options::kConvert;
  TP_RETURN_IF_ERROR(ResolveMapping(v, o));
  TP_RETURN_IF_ERROR(ResolveNormalisation(v, o));
  if (command == options::kExport) TP_RETURN_IF_ERROR(ResolveTokens(v, o));
  TP_RETURN_IF_ERROR(ResolveCleaning(v, o));
  TP_ASSIGN_OR_RETURN(o.splits, ParseSplits(v.String("split")));
  o.max_records_per_file = static_cast<uint64_t>(v.Int("max-records-per-file"));
  TP_ASSIGN_OR_RETURN(o.layout, kOutputLayouts.Parse(v.String("layout")));
  if (v.Int("max-shard-mb") < 1) return InvalidArgumentError(OptionRef("max-shard-mb") + " must be at least 1");
  o.max_shard_mb = static_cast<uint64_t>(v.Int("max-shard-mb"));
  TP_ASSIGN_OR_RETURN(o.parquet_compression, parquet::kCompressions.Parse(v.String("parquet-compression")));
  TP_RETURN_IF_ERROR(ResolveDatasetCard(v, o));
  o.include_metadata = v.Bool("with-metadata");
  o.strict = v.Bool("strict");
  o.resume = v.Bool("resume");
  o.overwrite = v.Bool("overwrite");
  o.jobs = static_cast<int>(v.Int("jobs"));
  if (command == options::kExport) {
    TP_ASSIGN_OR_RETURN(o.shard, ParseShardSpec(v.String("shard")));
    o.dedup_plan = v.String("dedup-plan");
    if (!o.dedup_plan.empty() && !o.shard.enabled()) {
      return InvalidArgumentError(OptionRef("dedup-plan") + " is the last stage of a sharded dedup: give " +
                                  OptionRef("shard") + " as well");
    }
    if (o.shard.enabled()) TP_RETURN_IF_ERROR(RefuseUnshardable(o));
  }
  TP_ASSIGN_OR_RETURN(o.progress, kProgressModes.Parse(v.String("progress")));
  o.declared = std::move(values);
  // Kill-and-resume tests (CLI and server) need a checkpoint after every batch; nothing
  // in the output depends on it.
  if (const char* every = std::getenv("TUNEPACK_CHECKPOINT_EVERY_BATCH"); every && *every == '1') {
    o.checkpoint_interval_ms = 0;
  }
  return o;
}

Result<ExportOptions> ExportOptionsFromJson(std::string_view json_object, options::CommandMask command) {
  TP_ASSIGN_OR_RETURN(options::OptionValues values, ExportOptionTable().FromJson(json_object, command));
  return ResolveExportOptions(std::move(values), command);
}

Result<std::string> CanonicalOptionsJson(const ExportOptions& o) {
  const nlohmann::json declared = nlohmann::json::parse(o.declared.ToJson());
  nlohmann::json canonical = nlohmann::json::object();
  nlohmann::json file_hashes = nlohmann::json::object();
  for (const options::OptionSpec& spec : ExportOptionTable().specs()) {
    if (!(spec.commands & o.command) || !spec.decides_output) continue;
    const std::string key = options::JsonKey(spec.name);
    if (!declared.contains(key)) continue;
    canonical[key] = declared[key];
    if (!spec.names_files) continue;
    // A file's content decides the output as much as its name: an edited template or
    // evaluation file must not be resumed into an export made with the old one.
    std::vector<std::string> paths = o.declared.List(spec.name);
    if (spec.type == options::ValueType::kString) paths = {o.declared.String(spec.name)};
    nlohmann::json hashes = nlohmann::json::array();
    for (const std::string& path : paths) {
      if (path.empty()) continue;
      TP_ASSIGN_OR_RETURN(std::string content, io::ReadWholeFile(path));
      hashes.push_back(HashBytes(content).Hex());
    }
    if (!hashes.empty()) file_hashes[key] = hashes;
  }
  if (!file_hashes.empty()) canonical["file_hashes"] = file_hashes;
  // A rank's output is its slice only: its checkpoint and part marker must say which.
  if (o.shard.enabled()) canonical["shard"] = o.shard.ToString();
  if (!o.dedup_plan.empty()) {
    TP_ASSIGN_OR_RETURN(std::string plan, io::ReadWholeFile(o.dedup_plan));
    canonical["dedup_plan"] = HashBytes(plan).Hex();
  }
  return canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tunepack::pipeline
