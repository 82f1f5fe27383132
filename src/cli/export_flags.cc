#include "cli/export_flags.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/format/example_template.h"
#include "tunepack/format/format.h"

namespace tunepack::cli {
namespace {

Status ToStepOptions(const ExportFlags& flags, pipeline::ExampleStepOptions& steps) {
  TP_ASSIGN_OR_RETURN(steps.remove_repeated, pipeline::ParseRepeatedRemoval(flags.remove_repeated));
  steps.redact_pii = flags.redact_pii;
  steps.pii.enabled.fill(false);
  for (const std::string& name : flags.pii_kinds) {
    Result<quality::PiiKind> kind = quality::ParsePiiKind(name);
    if (!kind.has_value()) return kind.error().WithContext("--pii-kinds");
    steps.pii.enabled[static_cast<size_t>(*kind)] = true;
  }
  steps.detect_language = flags.detect_language;
  steps.languages = flags.languages;
  steps.decontaminate_files = flags.decontaminate;
  if (flags.decontaminate_ngram < 1) return InvalidArgumentError("--decontaminate-ngram must be 1 or more");
  steps.decontaminate_ngram = flags.decontaminate_ngram;
  return Status::Ok();
}

}  // namespace

void AddExportFlags(CLI::App& command, ExportFlags& flags, bool converting) {
  command.add_option("inputs", flags.inputs, "Input files and folders ('-' reads standard input)")
      ->required();
  command.add_option("-o,--output", flags.output_dir, "Output folder")->required();
  command.add_option("--include", flags.include, "In folders, read only files matching GLOB (repeatable)");
  command.add_option("--exclude", flags.exclude, "In folders, skip files matching GLOB (repeatable)");
  command.add_option("--from", flags.from,
                     "Read records as this dataset format instead of detecting it");
  command.add_option("--text-field", flags.text_field,
                     "Records: take the text of a document from this field (dotted path)");
  command.add_option("--map", flags.maps,
                     "Records: build a conversation turn ROLE=FIELD, in order, e.g. "
                     "--map user=question --map assistant=answer (repeatable)");
  command.add_option("--meta-field", flags.meta_fields,
                     "Records: copy this field into the example's metadata (repeatable)");
  command.add_option("--meta", flags.meta, "Add KEY=VALUE to every example's metadata (repeatable)");
  if (!converting) {
    command.add_option("--template", flags.template_file,
                       "Map each record, document or chunk to an example with this Jinja2 template, "
                       "which renders the example's JSON (see docs/export.md)");
    command.add_option("--template-dir", flags.template_dirs,
                       "Where --template's include, import and extends find templates (repeatable)");
  }
  command.add_option("--model", flags.model_dir,
                     "--format chat-template: the model folder whose tokenizer_config.json chat "
                     "template renders each conversation");
  if (!converting) {
    command.add_flag("--strip-generation-prompt", flags.strip_generation_prompt,
                     "--format chat-template: cut the empty assistant turn some templates (Llama 3's) "
                     "leave after the last assistant turn of every text");
  }
  command.add_option("--on-invalid-utf8", flags.on_invalid_utf8,
                     "Invalid UTF-8 bytes: replace (with U+FFFD), skip, or fail the input")
      ->capture_default_str();
  if (!converting) {
    command.add_option("--unicode-form", flags.unicode_form, "Unicode normal form: nfc, nfkc or none")
        ->capture_default_str();
    command.add_flag("--no-normalize", flags.no_normalize, "Keep document text exactly as read");
    command.add_flag("--normalize-records", flags.normalize_records,
                     "Normalise record fields (JSONL, JSON, CSV) as documents are; by default "
                     "record text is kept exactly as read");
    command.add_flag("--keep-crlf", flags.keep_crlf, "Do not turn CRLF and CR into LF");
    command.add_flag("--keep-control-chars", flags.keep_control_chars,
                     "Do not remove control characters");
    command.add_flag("--keep-trailing-spaces", flags.keep_trailing_spaces,
                     "Do not trim spaces at line ends");
    command.add_flag("--keep-blank-lines", flags.keep_blank_lines,
                     "Do not collapse runs of blank lines");
  }
  if (!converting) {
    command.add_option("--tokenizer", flags.tokenizer,
                       "Tokenizer for --max-tokens, --pack, --max-example-tokens, the token figures of "
                       "stats.json, and chat-template's input_ids and assistant_masks: a built-in "
                       "name (see `tunepack tokenizers`) or a path");
    command.add_option("--max-tokens", flags.max_tokens,
                       "Split text examples into chunks of at most N tokens, at the strongest "
                       "boundary that fits (section, paragraph, list item, sentence, word)");
    command.add_option("--overlap", flags.overlap,
                       "Tokens (N >= 1) or fraction of --max-tokens (0 < x < 1) repeated from "
                       "the previous chunk");
    command.add_option("--min-tokens", flags.min_tokens,
                       "Do not leave a last chunk with fewer new tokens than this");
    command.add_flag("--heading-context", flags.heading_context,
                     "Prefix each chunk with its heading path (Title > H1 > H2), counted in the budget");
    command.add_option("--pack", flags.pack,
                       "Also pack each split into <split>.packed.jsonl: sequences of at most N "
                       "tokens (first-fit-decreasing) with position ids and labels");
    command.add_option("--max-example-tokens", flags.max_example_tokens,
                       "Examples over N tokens (needs --tokenizer) are handled by --on-overlong, "
                       "never cut silently");
    command.add_option("--on-overlong", flags.on_overlong,
                       "drop (into rejected.jsonl, reason too_long), split (text examples into "
                       "chunks that fit) or truncate (cut at the limit, counted in the manifest)")
        ->capture_default_str();
  }
  command.add_option("--dedup", flags.dedup,
                     "Drop duplicates: off, exact (same normalised text), near (MinHash-LSH "
                     "Jaccard >= --dedup-threshold over 5-word shingles) or both; the first "
                     "occurrence is kept and each dropped one names it in rejected.jsonl")
      ->capture_default_str();
  command.add_option("--dedup-threshold", flags.dedup_threshold,
                     "Jaccard similarity for --dedup near")->capture_default_str();
  if (!converting) {
    command.add_flag("--quality-filter", flags.quality_filter,
                     "Drop documents failing a Gopher quality rule (scores go to metadata)");
    command.add_option("--quality-rule", flags.quality_rules,
                       "Set a rule's threshold, NAME=VALUE (negative disables it), e.g. "
                       "min_words=20 (repeatable; see docs/optimize.md)");
    command.add_option("--remove-repeated", flags.remove_repeated,
                       "Inside each document, drop repeated lines or paragraphs (boilerplate): "
                       "off, lines or paragraphs")
        ->capture_default_str();
  }
  command.add_flag("--redact-pii", flags.redact_pii,
                   "Replace e-mail addresses, phone numbers, public IP addresses and secrets "
                   "with placeholders ([EMAIL], [PHONE], [IP], [SECRET]); counts in the manifest");
  command.add_option("--pii-kinds", flags.pii_kinds,
                     "With --redact-pii, only these kinds: email,phone,ipv4,ipv6,secret")
      ->delimiter(',')
      ->capture_default_str();
  command.add_flag("--detect-language", flags.detect_language,
                   "Record each example's language (CLD2) in its metadata as \"language\"");
  command.add_option("--languages", flags.languages,
                     "Keep only examples in these languages, e.g. en,fr (ISO 639-1; implies "
                     "--detect-language; others are rejected with reason language)");
  command.add_option("--decontaminate", flags.decontaminate,
                     "Drop examples sharing a word n-gram with this evaluation file (text, or "
                     "JSONL whose string fields are compared; repeatable)");
  command.add_option("--decontaminate-ngram", flags.decontaminate_ngram,
                     "n-gram length for --decontaminate")
      ->capture_default_str();
  command.add_option("--split", flags.split,
                     "Splits by content hash, e.g. train=0.9,validation=0.1")
      ->capture_default_str();
  command.add_option("--max-records-per-file", flags.max_records_per_file,
                     "Shard each split into files of at most N records (0: one file)");
  command.add_option("--max-record-bytes", flags.max_record_bytes,
                     "Reject records larger than this")->capture_default_str();
  command.add_flag("--with-metadata", flags.with_metadata,
                   "Add a metadata object (source, title, hashes, --meta) to JSONL records");
  command.add_flag("--strict", flags.strict, "Stop at the first rejected input (exit code 2)");
  command.add_flag("--resume", flags.resume, "Continue an interrupted export in the output folder");
  command.add_flag("--overwrite", flags.overwrite, "Replace an export already in the output folder");
  command.add_option("-j,--jobs", flags.jobs, "Worker threads (default: all cores)");
  command.add_option("--progress", flags.progress,
                     "auto (a bar on a terminal), bar, json (events on stderr) or none")
      ->capture_default_str();
}

Result<pipeline::ExportOptions> ToExportOptions(const ExportFlags& flags, bool converting) {
  pipeline::ExportOptions options;
  options.inputs = flags.inputs;
  options.output_dir = flags.output_dir;
  options.output_format = flags.format;
  options.input_format = flags.from;
  if (!flags.from.empty()) TP_RETURN_IF_ERROR(format::FindFormat(flags.from));
  TP_RETURN_IF_ERROR(format::FindFormat(flags.format));
  options.include_globs = flags.include;
  options.exclude_globs = flags.exclude;
  options.mapping.text_field = flags.text_field;
  for (const std::string& spec : flags.maps) {
    TP_ASSIGN_OR_RETURN(format::FieldMapping mapping, format::ParseFieldMapping(spec));
    options.mapping.fields.push_back(std::move(mapping));
  }
  if (!flags.template_file.empty()) {
    if (!options.mapping.fields.empty() || !options.mapping.text_field.empty() || !flags.from.empty() ||
        !flags.meta_fields.empty()) {
      return InvalidArgumentError("--template maps records itself: it excludes --map, --text-field, --meta-field "
                                  "and --from (a template can write a \"metadata\" object)");
    }
    TP_ASSIGN_OR_RETURN(options.example_template,
                        format::ExampleTemplate::Load(flags.template_file, flags.template_dirs));
  } else if (!flags.template_dirs.empty()) {
    return InvalidArgumentError("--template-dir is the search path of --template: pass --template FILE");
  }
  options.format_params.model_dir = flags.model_dir;
  options.format_params.strip_generation_prompt = flags.strip_generation_prompt;
  // chat-template writes token ids and the assistant mask with --tokenizer.
  if (flags.format == "chat-template") options.format_params.tokenizer = flags.tokenizer;
  if (!options.mapping.fields.empty() && !options.mapping.text_field.empty()) {
    return InvalidArgumentError("--map and --text-field exclude each other: a record becomes a "
                                "conversation or a text, not both");
  }
  options.mapping.metadata_fields = flags.meta_fields;
  for (const std::string& pair : flags.meta) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError("--meta wants KEY=VALUE, got '" + pair + "'");
    }
    options.meta.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  TP_ASSIGN_OR_RETURN(options.on_invalid_utf8, ParseInvalidUtf8Policy(flags.on_invalid_utf8));
  options.dataset_inputs = converting;
  options.normalize_text = !converting && !flags.no_normalize;
  options.normalize_records = flags.normalize_records;
  TP_ASSIGN_OR_RETURN(options.normalize.form, normalize::ParseUnicodeForm(flags.unicode_form));
  options.normalize.newlines = !flags.keep_crlf;
  options.normalize.control_chars = !flags.keep_control_chars;
  options.normalize.trailing_spaces = !flags.keep_trailing_spaces;
  options.normalize.blank_lines = !flags.keep_blank_lines;
  // The tokenizer chunks (--max-tokens), packs (--pack), enforces --max-example-tokens and,
  // even alone, counts tokens for stats.json.
  options.tokenizer = flags.tokenizer;
  if (flags.max_tokens > 0) {
    if (flags.tokenizer.empty()) {
      return InvalidArgumentError("--max-tokens needs --tokenizer (e.g. --tokenizer cl100k_base)");
    }
    options.chunk = true;
    options.chunk_options.max_tokens = flags.max_tokens;
    if (flags.overlap > 0 && flags.overlap < 1) {
      options.chunk_options.overlap_fraction = flags.overlap;
    } else if (flags.overlap >= 1) {
      options.chunk_options.overlap_tokens = static_cast<size_t>(flags.overlap);
    }
    options.chunk_options.min_tokens = flags.min_tokens;
    options.chunk_options.heading_context = flags.heading_context;
  } else if (flags.overlap > 0 || flags.min_tokens > 0 || flags.heading_context) {
    return InvalidArgumentError("--overlap, --min-tokens and --heading-context shape chunks: "
                                "pass --max-tokens N as well");
  }
  if (flags.pack > 0 && flags.tokenizer.empty()) {
    return InvalidArgumentError("--pack needs --tokenizer (e.g. --tokenizer cl100k_base)");
  }
  options.pack_seq_len = flags.pack;
  TP_ASSIGN_OR_RETURN(options.on_overlong, pipeline::ParseOverlongPolicy(flags.on_overlong));
  if (flags.max_example_tokens > 0) {
    if (flags.tokenizer.empty()) {
      return InvalidArgumentError("--max-example-tokens needs --tokenizer (e.g. --tokenizer cl100k_base)");
    }
    options.max_example_tokens = flags.max_example_tokens;
  } else if (flags.on_overlong != "drop") {
    return InvalidArgumentError("--on-overlong applies to --max-example-tokens: pass it as well");
  }
  TP_ASSIGN_OR_RETURN(options.dedup, pipeline::ParseDedupMode(flags.dedup));
  if (!(flags.dedup_threshold > 0 && flags.dedup_threshold <= 1)) {
    return InvalidArgumentError("--dedup-threshold must be in (0, 1]");
  }
  options.near_dedup.threshold = flags.dedup_threshold;
  options.quality_filter = flags.quality_filter || !flags.quality_rules.empty();
  for (const std::string& rule : flags.quality_rules) {
    const size_t eq = rule.find('=');
    char* end = nullptr;
    const double value = eq == std::string::npos ? 0 : std::strtod(rule.c_str() + eq + 1, &end);
    if (eq == std::string::npos || end == rule.c_str() + eq + 1 || *end != '\0') {
      return InvalidArgumentError("--quality-rule wants NAME=NUMBER, got '" + rule + "'");
    }
    TP_RETURN_IF_ERROR(quality::SetRuleThreshold(options.quality_rules, rule.substr(0, eq), value));
  }
  TP_RETURN_IF_ERROR(ToStepOptions(flags, options.steps));
  TP_ASSIGN_OR_RETURN(options.splits, pipeline::ParseSplits(flags.split));
  options.max_records_per_file = flags.max_records_per_file;
  options.max_record_bytes = flags.max_record_bytes;
  options.include_metadata = flags.with_metadata;
  options.strict = flags.strict;
  options.resume = flags.resume;
  options.overwrite = flags.overwrite;
  if (flags.jobs < 0) return InvalidArgumentError("--jobs must be 0 (all cores) or more");
  options.jobs = flags.jobs;
  TP_ASSIGN_OR_RETURN(options.progress, pipeline::ParseProgressMode(flags.progress));
  if (const char* every = std::getenv("TUNEPACK_CHECKPOINT_EVERY_BATCH"); every && *every == '1') {
    options.checkpoint_interval_ms = 0;  // for the kill-and-resume test
  }
  return options;
}

int RunExportAndReport(const pipeline::ExportOptions& options) {
  auto progress = pipeline::MakeProgressSink(options.progress, stderr);
  Result<pipeline::ExportSummary> summary = pipeline::RunExport(options, *progress);
  if (!summary.has_value()) return Fail(summary.error());
  std::string files;
  for (const pipeline::OutputFileSummary& file : summary->outputs) {
    if (!files.empty()) files += ", ";
    files += file.path + " " + std::to_string(file.records);
  }
  std::string examples;
  if (options.chunk) {
    examples = " as " + std::to_string(summary->examples_written) + " chunks";
  }
  std::fprintf(stderr, "tunepack: %llu inputs: %llu written%s (%s), %llu filtered, %llu rejected\n",
               static_cast<unsigned long long>(summary->inputs),
               static_cast<unsigned long long>(summary->written), examples.c_str(), files.c_str(),
               static_cast<unsigned long long>(summary->filtered),
               static_cast<unsigned long long>(summary->rejected));
  if (summary->examples_truncated > 0) {
    std::fprintf(stderr, "tunepack: %llu examples were truncated to --max-example-tokens %llu "
                 "(--on-overlong truncate; counted in manifest.json)\n",
                 static_cast<unsigned long long>(summary->examples_truncated),
                 static_cast<unsigned long long>(options.max_example_tokens));
  }
  if (summary->texts_with_generation_prompt > 0) {
    std::fprintf(stderr,
                 "tunepack: warning: %llu texts end with the chat template's generation prompt %s "
                 "(an empty assistant turn the model would train on); --strip-generation-prompt "
                 "cuts it\n",
                 static_cast<unsigned long long>(summary->texts_with_generation_prompt),
                 JsonQuote(summary->generation_prompt_left).c_str());
  }
  if (!summary->near_dedup_lsh.empty()) {
    std::fprintf(stderr, "tunepack: near dedup used LSH %s\n", summary->near_dedup_lsh.c_str());
  }
  for (const auto& [path, packed] : summary->packed) {
    std::fprintf(stderr,
                 "tunepack: %s: %llu of %llu examples in %llu sequences, efficiency %.2f%%%s\n",
                 path.c_str(), static_cast<unsigned long long>(packed.packed),
                 static_cast<unsigned long long>(packed.examples),
                 static_cast<unsigned long long>(packed.sequences), 100 * packed.efficiency,
                 packed.overlong == 0 ? ""
                                      : (", " + std::to_string(packed.overlong) +
                                         " longer than --pack left out").c_str());
  }
  if (!summary->pii_redacted.empty()) {
    std::string kinds;
    for (const auto& [kind, count] : summary->pii_redacted) {
      if (!kinds.empty()) kinds += ", ";
      kinds += kind + " " + std::to_string(count);
    }
    std::fprintf(stderr, "tunepack: redacted PII: %s\n", kinds.c_str());
  }
  auto by_reason = [](const std::map<std::string, uint64_t>& counts) {
    std::string reasons;
    for (const auto& [reason, count] : counts) {
      if (!reasons.empty()) reasons += ", ";
      reasons += reason + " " + std::to_string(count);
    }
    return reasons;
  };
  // Drops the user asked for (dedup, quality, language, decontamination, too_long under
  // --on-overlong drop) are the export doing its job: they are listed, not failed on.
  if (!summary->filtered_by_reason.empty()) {
    std::fprintf(stderr, "tunepack: filtered as asked: %s; all in %s/rejected.jsonl\n",
                 by_reason(summary->filtered_by_reason).c_str(), options.output_dir.c_str());
  }
  if (summary->rejected == 0) return kExitOk;
  std::fprintf(stderr, "tunepack: rejected: %s; first: %s; all in %s/rejected.jsonl\n",
               by_reason(summary->rejected_by_reason).c_str(), summary->first_rejection.c_str(),
               options.output_dir.c_str());
  return kExitRejected;
}

}  // namespace tunepack::cli
