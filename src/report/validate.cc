#include "tunepack/report/validate.h"

#include <algorithm>
#include <fstream>

#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/example_tokens.h"

namespace tunepack::report {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Returns whether `path` has the extension of `format`'s plain-file form (JSONL files are
// records, even though chatml also has a plain-file form).
bool HasPlainFileExtension(const format::Format& format, const std::string& path) {
  return format.split && !EndsWith(path, ".jsonl") && !EndsWith(path, ".json") &&
         EndsWith(path, format.extension);
}

bool IsPlainFileFormat(const format::Format& format, const std::string& path) {
  return !format.read || HasPlainFileExtension(format, path);
}

// Returns the format of the first line that parses as a JSON object, or null.
const format::Format* DetectJsonlFormat(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element root;
    if (parser.parse(line).get(root) || !root.is_object()) continue;
    return format::DetectFormat(format::BuiltinFormats(), root);
  }
  return nullptr;
}

class Checker {
 public:
  Checker(const ValidateOptions& options, const std::function<void(const Problem&)>& report,
          ValidationSummary& summary)
      : options_(options), report_(report), summary_(summary) {}

  void Add(uint64_t line, Severity severity, std::string message) {
    Flush({{line, severity, std::move(message)}});
  }
  void Flush(const Problems& problems) {
    for (const Problem& p : problems) {
      ++(p.severity == Severity::kError ? summary_.errors : summary_.warnings);
      report_(p);
    }
  }
  // The token limit, shared by every format.
  Status CheckTokens(const Example& example, uint64_t line) {
    if (!options_.tokenizer || options_.max_tokens == 0) return Status::Ok();
    TP_ASSIGN_OR_RETURN(ExampleTokens tokens, CountExampleTokens(*options_.tokenizer, example));
    if (tokens.total > options_.max_tokens) {
      Add(line, Severity::kError,
          std::to_string(tokens.total) + " tokens (" + std::string(options_.tokenizer->name()) +
              "), over the limit of " + std::to_string(options_.max_tokens) +
              ": a trainer would truncate it");
    }
    return Status::Ok();
  }

 private:
  const ValidateOptions& options_;
  const std::function<void(const Problem&)>& report_;
  ValidationSummary& summary_;
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

Status ValidateJsonl(const std::string& path, const format::Format& format, Checker& checker,
                     ValidationSummary& summary) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot read the file");
  const RecordChecks* checks = BuiltinRecordChecks().Find(format.name);
  simdjson::dom::parser parser;
  std::string line;
  uint64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) {
      checker.Add(1, Severity::kError, "the file starts with a byte-order mark; JSONL must be plain UTF-8");
      line.erase(0, 3);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      checker.Add(line_number, Severity::kWarning, "blank line");
      continue;
    }
    ++summary.records;
    simdjson::dom::element root;
    if (auto error = parser.parse(line).get(root); error) {
      checker.Add(line_number, Severity::kError,
                  std::string("invalid JSON (") + simdjson::error_message(error) +
                      "); each line must be one complete JSON object");
      continue;
    }
    if (!root.is_object()) {
      checker.Add(line_number, Severity::kError, "the line is not a JSON object");
      continue;
    }
    Problems problems;
    bool readable = true;
    if (checks != nullptr) readable = checks->check_record(root, line_number, problems);
    checker.Flush(problems);
    if (!readable) continue;
    Example example;
    example.origin = Origin{path, summary.records - 1, line_number};
    if (Status status = format.read(root, example); !status.ok()) {
      // The format-specific checks found nothing, yet the record does not read: say why.
      const bool said = std::any_of(problems.begin(), problems.end(),
                                    [](const Problem& p) { return p.severity == Severity::kError; });
      if (!said) checker.Add(line_number, Severity::kError, "not a valid " + format.name + " record: " + status.message());
      continue;
    }
    TP_RETURN_IF_ERROR(checker.CheckTokens(example, line_number));
  }
  if (checks != nullptr && checks->check_file) {
    Problems problems;
    checks->check_file(summary.records, problems);
    checker.Flush(problems);
  }
  return Status::Ok();
}

}  // namespace

const RecordChecksRegistry& BuiltinRecordChecks() {
  static const RecordChecksRegistry* registry = [] {
    auto* r = new RecordChecksRegistry();
    Status status = RegisterOpenAiChecks(*r);
    (void)status;  // built-in names are distinct
    return r;
  }();
  return *registry;
}

Result<ValidationSummary> ValidateFile(const std::string& path, const format::Format* forced,
                                       const ValidateOptions& options,
                                       const std::function<void(const Problem&)>& report) {
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) return NotFoundError(path + ": cannot read the file");
  }
  const format::Format* format = forced;
  if (format == nullptr) {
    for (const format::Format& f : format::BuiltinFormats().entries()) {
      if (HasPlainFileExtension(f, path)) {
        format = &f;
        break;
      }
    }
  }
  if (format == nullptr) format = DetectJsonlFormat(path);
  if (format == nullptr) {
    return InvalidArgumentError(path + ": no line is a record of a known dataset format; pass "
                                "--format (see `tunepack formats`)");
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
