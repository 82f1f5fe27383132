#include "tunepack/report/validate.h"

#include <algorithm>
#include <filesystem>

#include "report/json_file_records.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/unread_fields.h"
#include "tunepack/io/file.h"
#include "tunepack/io/line_reader.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/dataset_stats.h"
#include "tunepack/report/example_tokens.h"

namespace tunepack::report {
namespace {

// Returns whether `path` has the extension of `format`'s plain-file form (JSONL files are
// records, even though chatml also has a plain-file form).
bool HasPlainFileExtension(const format::Format& format, const std::string& path) {
  const format::Format* plain = format::PlainFileFormatFor(path);
  return plain != nullptr && plain->name == format.name;
}

bool IsPlainFileFormat(const format::Format& format, const std::string& path) {
  return !format.read || HasPlainFileExtension(format, path);
}

// Returns the format of the first record that parses as a JSON object, or null.
Result<const format::Format*> DetectJsonlFormat(const std::string& path) {
  simdjson::dom::parser parser;
  const format::Format* found = nullptr;
  auto detect = [&](std::string_view text) {
    simdjson::dom::element root;
    if (parser.parse(std::string(text)).get(root) || !root.is_object()) return false;
    found = format::DetectFormat(format::BuiltinFormats(), root);
    return true;
  };
  if (IsContainerFile(path)) {
    JsonFileVisitor visitor;
    // Stops at the first object: a status that is not OK ends the walk.
    visitor.on_record = [&](uint64_t, std::string_view json) {
      return detect(json) ? CancelledError("found") : Status::Ok();
    };
    visitor.on_error = [](uint64_t, const std::string&) { return Status::Ok(); };
    (void)ForEachContainerRecord(path, visitor);
    return found;
  }
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::LineReader> lines, io::LineReader::Open(path));
  std::string_view line;
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, lines->Next(line));
    if (!more) return nullptr;
    if (detect(line)) return found;
  }
}

class Checker {
 public:
  Checker(const ValidateOptions& options, const std::function<void(const Problem&)>& report,
          ValidationSummary& summary)
      : options_(options), report_(report), summary_(summary) {}

  const format::Target* target() const { return options_.target; }

  void Add(uint64_t line, Severity severity, std::string message) {
    Flush({{line, severity, std::move(message)}});
  }
  void Flush(const Problems& problems) {
    for (const Problem& p : problems) {
      ++(p.severity == Severity::kError ? summary_.errors : summary_.warnings);
      report_(p);
    }
  }
  // The token limit and the left-over generation prompt, shared by every format.
  // `billed_as_openai`: an openai file, also checked against OpenAI's per-example limit.
  Status CheckTokens(const Example& example, uint64_t line, bool billed_as_openai = false) {
    const std::string& prompt = options_.generation_prompt;
    if (!prompt.empty() && example.kind == ExampleKind::kText && example.text.size() >= prompt.size() &&
        example.text.compare(example.text.size() - prompt.size(), prompt.size(), prompt) == 0) {
      Add(line, Severity::kWarning,
          "the text ends with the chat template's generation prompt " + JsonQuote(prompt) +
              ", an empty assistant turn the model would train on (export with " +
              OptionRef("strip-generation-prompt") + " to cut it)");
    }
    if (!options_.tokenizer) return Status::Ok();
    if (billed_as_openai && example.kind == ExampleKind::kConversation) {
      // OpenAI's per-example limit, on its own count (the notebook's "may be over the limit").
      TP_ASSIGN_OR_RETURN(ExampleTokens tokens, CountExampleTokens(*options_.tokenizer, example));
      if (!billing_) {
        TP_ASSIGN_OR_RETURN(billing_, OpenAiBilling::Create(options_.tokenizer));
      }
      TP_ASSIGN_OR_RETURN(const uint64_t billed, billing_->Billed(example, tokens));
      if (billed > kOpenAiTokensPerExample) {
        Add(line, Severity::kWarning,
            std::to_string(billed) + " tokens as OpenAI counts them (" + std::string(options_.tokenizer->name()) +
                ", with 3 per message and 3 for the reply), over its limit of " +
                std::to_string(kOpenAiTokensPerExample) + " per example: it will be truncated in training");
      }
    }
    if (options_.max_tokens == 0) return Status::Ok();
    TP_ASSIGN_OR_RETURN(ExampleTokens tokens, CountExampleTokens(*options_.tokenizer, example));
    const uint64_t longest = tokens.LongestSequence();
    if (longest > options_.max_tokens) {
      Add(line, Severity::kError,
          std::to_string(longest) + " tokens (" + std::string(options_.tokenizer->name()) + ")" +
              (IsPreference(example.kind) ? " in the prompt with its longer answer" : "") +
              ", over the limit of " + std::to_string(options_.max_tokens) + ": a trainer would truncate it");
    }
    return Status::Ok();
  }
  // A preference pair whose answers are the same teaches nothing: DPO's loss pushes the
  // chosen up and the rejected down, and they cancel.
  void CheckPreference(const Example& example, uint64_t line) {
    if (example.kind == ExampleKind::kPreference && example.chosen == example.rejected) {
      Add(line, Severity::kWarning,
          "chosen and rejected are identical: the pair has nothing to learn from (its preference "
          "loss is the same whichever way it goes); drop it or fix the answers");
    }
  }

 private:
  const ValidateOptions& options_;
  const std::function<void(const Problem&)>& report_;
  ValidationSummary& summary_;
  std::optional<OpenAiBilling> billing_;  ///< made on the first openai conversation
};

Status ValidatePlainFile(const std::string& path, const format::Format& format, Checker& checker,
                         ValidationSummary& summary) {
  DatasetVisitor visitor;
  visitor.on_example = [&](const Example& example, uint64_t line) {
    ++summary.records;
    return checker.CheckTokens(example, line);
  };
  visitor.on_unreadable = [&](uint64_t line, const std::string& message) {
    checker.Add(line == 0 ? 1 : line, Severity::kError, message);
    return Status::Ok();
  };
  return ReadDataset(path, &format, visitor);
}

// Checks one record's JSON text, found at `line_number`.
class RecordChecker {
 public:
  // `unit` names a record in messages: "line" (JSONL) or "record" (a JSON array).
  RecordChecker(const std::string& path, const format::Format& format, Checker& checker,
                ValidationSummary& summary, std::string unit)
      : path_(path), format_(format), checks_(format.checks.record ? &format.checks : nullptr),
        checker_(checker), summary_(summary), unit_(std::move(unit)) {}

  Status Check(uint64_t line_number, std::string_view text) {
    ++summary_.records;
    simdjson::dom::element root;
    copy_.assign(text);
    if (auto error = parser_.parse(copy_).get(root); error) {
      checker_.Add(line_number, Severity::kError,
                   std::string("invalid JSON (") + simdjson::error_message(error) +
                       "); each " + unit_ + " must be one complete JSON object");
      return Status::Ok();
    }
    if (!root.is_object()) {
      checker_.Add(line_number, Severity::kError, "the " + unit_ + " is not a JSON object");
      return Status::Ok();
    }
    // A record in another of the target's formats than the file's: that is the finding, and
    // the format's own checks would only repeat it as missing fields.
    if (!CheckTargetShape(root, line_number)) return Status::Ok();
    Problems problems;
    bool readable = true;
    if (checks_ != nullptr) readable = checks_->record(root, line_number, problems);
    checker_.Flush(problems);
    if (!readable) return Status::Ok();
    Example example;
    example.origin = Origin{path_, summary_.records - 1, line_number};
    if (Status status = format_.read(root, example); !status.ok()) {
      // The format-specific checks found nothing, yet the record does not read: say why.
      const bool said = std::any_of(problems.begin(), problems.end(),
                                    [](const Problem& p) { return p.severity == Severity::kError; });
      if (!said) checker_.Add(line_number, Severity::kError, "not a valid " + format_.name + " record: " + status.message());
      return Status::Ok();
    }
    const format::Target* target = checker_.target();
    if (target != nullptr) {
      if (Status broken = format::CheckTurnRules(target->rules, example, target->name); !broken.ok()) {
        checker_.Add(line_number, Severity::kError, broken.message());
      }
      if (target->no_extra_keys) {
        for (const MetadataEntry& field : example.unread_fields.entries()) {
          checker_.Add(line_number, Severity::kError,
                       "key \"" + field.key + "\": " + target->name + " refuses records with keys besides " +
                           format_.name + "'s own");
        }
      }
    }
    // Fields the format does not read would be refused by export and convert (or carried in
    // metadata with --with-metadata); openai's own checks already name unrecognized keys.
    if (checks_ == nullptr && (target == nullptr || !target->no_extra_keys)) {
      for (const MetadataEntry& field : example.unread_fields.entries()) {
        std::string message = "field \"" + field.key + "\"";
        const std::string_view holds = format::DescribeKnownField(field.key);
        if (!holds.empty()) message += " (" + std::string(holds) + ")";
        message += " is not part of " + format_.name + " records: export and convert refuse the record "
                   "unless the output format holds it or " + OptionRef("with-metadata") + " carries it";
        checker_.Add(line_number, Severity::kWarning, std::move(message));
      }
    }
    checker_.CheckPreference(example, line_number);
    const bool openai = format_.name == "openai";
    if (openai && example.kind == ExampleKind::kConversation &&
        std::none_of(example.messages.begin(), example.messages.end(),
                     [](const Message& message) { return message.role == Role::kSystem; })) {
      ++summary_.missing_system;
    }
    return checker_.CheckTokens(example, line_number, openai);
  }

  void Finish() {
    if (const format::Target* target = checker_.target()) {
      // The target's published limits replace the format's own file checks.
      std::error_code ignored;
      const uint64_t bytes = std::filesystem::file_size(path_, ignored);
      for (std::string& problem : format::CheckTargetFile(*target, summary_.records, ignored ? 0 : bytes)) {
        checker_.Add(1, Severity::kError, std::move(problem));
      }
      return;
    }
    if (checks_ == nullptr || !checks_->file) return;
    Problems problems;
    checks_->file(summary_.records, problems);
    checker_.Flush(problems);
  }

 private:
  // Targets that take one format per file (Together): the record must fit exactly the
  // file's format among the target's.
  // Returns false when the record is in another format than the file's.
  bool CheckTargetShape(simdjson::dom::element root, uint64_t line_number) {
    const format::Target* target = checker_.target();
    if (target == nullptr || !target->one_format_per_file) return true;
    const std::vector<std::string> fits = format::MatchingTargetFormats(*target, root);
    if (fits.size() > 1) {
      checker_.Add(line_number, Severity::kError,
                   "the record fits both " + fits[0] + " and " + fits[1] + ": " + target->name +
                       " refuses a file whose records fit two formats; keep one shape's keys");
    } else if (fits.size() == 1 && fits[0] != format_.name) {
      checker_.Add(line_number, Severity::kError,
                   "the record is " + fits[0] + " and the file is " + format_.name + ": " + target->name +
                       " takes one format per file");
      return false;
    }
    return true;
  }

  const std::string& path_;
  const format::Format& format_;
  const format::FileChecks* checks_;  ///< null when the format has no record checks
  Checker& checker_;
  ValidationSummary& summary_;
  std::string unit_;
  simdjson::dom::parser parser_;
  std::string copy_;
};

// A .json file (its array's records) or a Parquet file (its rows), read as `export` reads them.
Status ValidateJsonArray(const std::string& path, const format::Format& format, Checker& checker,
                         ValidationSummary& summary) {
  RecordChecker records(path, format, checker, summary, "record");
  JsonFileVisitor visitor;
  visitor.on_record = [&](uint64_t line, std::string_view json) { return records.Check(line, json); };
  visitor.on_error = [&](uint64_t line, const std::string& message) {
    ++summary.records;
    checker.Add(line, Severity::kError, message);
    return Status::Ok();
  };
  TP_RETURN_IF_ERROR(ForEachContainerRecord(path, visitor));
  records.Finish();
  return Status::Ok();
}

Status ValidateJsonl(const std::string& path, const format::Format& format, Checker& checker,
                     ValidationSummary& summary) {
  if (IsContainerFile(path)) return ValidateJsonArray(path, format, checker, summary);
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::LineReader> lines, io::LineReader::Open(path));
  RecordChecker records(path, format, checker, summary, "line");
  std::string_view line;
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, lines->Next(line));
    if (!more) break;
    const uint64_t line_number = lines->line_number();
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) {
      checker.Add(1, Severity::kError, "the file starts with a byte-order mark; JSONL must be plain UTF-8");
      line.remove_prefix(3);
    }
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string::npos) {
      checker.Add(line_number, Severity::kWarning, "blank line");
      continue;
    }
    TP_RETURN_IF_ERROR(records.Check(line_number, line));
  }
  records.Finish();
  return Status::Ok();
}

}  // namespace

Result<ValidationSummary> ValidateFile(const std::string& path, const format::Format* forced,
                                       const ValidateOptions& options,
                                       const std::function<void(const Problem&)>& report) {
  // Detection reads the file before the check reads it again: standard input cannot be.
  if (path == "-") return InvalidArgumentError("-: validate reads a file, not standard input");
  // Fails early, with the reason, for a file that cannot be opened.
  TP_RETURN_IF_ERROR(io::InputFile::Open(path).status());
  const format::Format* format = forced;
  if (format == nullptr) format = format::PlainFileFormatFor(path);
  if (format == nullptr) {
    TP_ASSIGN_OR_RETURN(format, DetectJsonlFormat(path));
  }
  if (format == nullptr) {
    return InvalidArgumentError(path + ": no record is in a known dataset format; pass " + OptionRef("format") +
                                " (see `tunepack formats`)");
  }
  if (options.target != nullptr) {
    if (Result<std::string> taken = format::TargetFormat(*options.target, format->name); !taken.has_value()) {
      return InvalidArgumentError(path + ": the file is " + format->name + ", and " + taken.error().message());
    }
  }
  ValidationSummary summary;
  summary.format = format->name;
  Checker checker(options, report, summary);
  if (IsPlainFileFormat(*format, path)) {
    TP_RETURN_IF_ERROR(ValidatePlainFile(path, *format, checker, summary));
  } else {
    TP_RETURN_IF_ERROR(ValidateJsonl(path, *format, checker, summary));
  }
  return summary;
}

}  // namespace tunepack::report
