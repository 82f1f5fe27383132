// The file-level checks of a target: its published example counts and file size, and which
// of its formats a record has (Together refuses a file whose records fit two).
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/format/target.h"

namespace tunepack::format {

std::vector<std::string> CheckTargetFile(const Target& target, uint64_t records, uint64_t bytes) {
  std::vector<std::string> problems;
  if (target.min_examples.value && records < *target.min_examples.value) {
    problems.push_back(std::to_string(records) + " examples; " + target.name + " needs at least " +
                       DescribeLimit(target.min_examples) + " (" + target.min_examples.source + ")");
  }
  if (target.max_examples.value && records > *target.max_examples.value) {
    problems.push_back(std::to_string(records) + " examples; " + target.name + " takes at most " +
                       DescribeLimit(target.max_examples) + " (" + target.max_examples.source + ")");
  }
  if (target.max_file_bytes.value && bytes > *target.max_file_bytes.value) {
    problems.push_back(std::to_string(bytes) + " bytes; " + target.name + " takes files up to " +
                       DescribeLimit(target.max_file_bytes, true) + " (" + target.max_file_bytes.source +
                       "): split it with " + OptionRef("max-records-per-file"));
  }
  return problems;
}

std::vector<std::string> MatchingTargetFormats(const Target& target, simdjson::dom::element record) {
  std::vector<std::string> names;
  for (const std::string& name : target.formats) {
    const Format* format = BuiltinFormats().Find(name);
    if (format != nullptr && format->matches && format->matches(record)) names.push_back(name);
  }
  return names;
}

}  // namespace tunepack::format
