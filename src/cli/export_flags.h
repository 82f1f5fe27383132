// The flags `export` and `convert` share, defined once, and their conversion to the typed
// ExportOptions before any work starts.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::cli {

// ExportFlags: raw flag values as CLI11 fills them.
struct ExportFlags {
  std::vector<std::string> inputs;
  std::string output_dir;
  std::string format;
  std::string from;
  std::vector<std::string> include, exclude;
  std::string text_field;
  std::vector<std::string> maps;
  std::vector<std::string> meta_fields;
  std::vector<std::string> meta;
  std::string template_file;                ///< --template
  std::vector<std::string> template_dirs;   ///< --template-dir
  std::string model_dir;                    ///< --model (--format chat-template)
  std::string on_invalid_utf8 = "replace";
  std::string unicode_form = "nfc";
  bool no_normalize = false;
  bool normalize_records = false;
  bool strip_generation_prompt = false;
  bool keep_crlf = false;
  bool keep_control_chars = false;
  bool keep_trailing_spaces = false;
  bool keep_blank_lines = false;
  std::string tokenizer;
  size_t max_tokens = 0;
  double overlap = 0;
  size_t min_tokens = 0;
  bool heading_context = false;
  size_t pack = 0;
  uint64_t max_example_tokens = 0;
  std::string on_overlong = "drop";
  std::string dedup = "off";
  double dedup_threshold = 0.8;
  bool quality_filter = false;
  std::vector<std::string> quality_rules;
  std::string remove_repeated = "off";
  bool redact_pii = false;
  std::vector<std::string> pii_kinds = {"email", "phone", "ipv4", "ipv6", "secret"};
  bool detect_language = false;
  std::string languages;
  std::vector<std::string> decontaminate;
  int decontaminate_ngram = 13;
  std::string split = "train=1";
  uint64_t max_records_per_file = 0;
  uint64_t max_record_bytes = 64u << 20;
  bool with_metadata = false;
  bool strict = false;
  bool resume = false;
  bool overwrite = false;
  int jobs = 0;
  std::string progress = "auto";
};

// Adds the shared flags to `command`. `converting` leaves out the document-only flags.
void AddExportFlags(CLI::App& command, ExportFlags& flags, bool converting);

// Validates `flags` into options; InvalidArgument names the flag at fault.
Result<pipeline::ExportOptions> ToExportOptions(const ExportFlags& flags, bool converting);

// Runs the export and prints its summary on stderr; returns the exit code.
int RunExportAndReport(const pipeline::ExportOptions& options);

}  // namespace tunepack::cli
