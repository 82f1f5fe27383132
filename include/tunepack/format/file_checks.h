// FileChecks: what `tunepack validate` checks in a format's files beyond reading each record
// as the format reads it. A format that has such checks carries them in its Format
// (Format::checks), so they live with the format: openai has the checks OpenAI's chat
// fine-tuning guide applies (src/format/openai_checks.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <simdjson.h>

namespace tunepack::format {

enum class Severity { kError, kWarning };

// Problem: one finding, tied to the 1-based line of the record it is about.
struct Problem {
  uint64_t line = 0;
  Severity severity = Severity::kError;
  std::string message;
};

// Problems: where checks append what they find.
using Problems = std::vector<Problem>;

struct FileChecks {
  // Checks one parsed JSONL record found at `line`. Returns true when the record is well
  // formed enough to be read as an Example (for the token limit). Null: no record checks.
  std::function<bool(simdjson::dom::element record, uint64_t line, Problems& out)> record;
  // Checks the file as a whole once all `records` were seen (may be null). File-level
  // findings are reported at line 1.
  std::function<void(uint64_t records, Problems& out)> file;
};

}  // namespace tunepack::format
