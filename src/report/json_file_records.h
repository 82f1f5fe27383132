// Records of a .json file (a JSON array of records, or one record), read the way `export`
// reads them (the ingest "json" container), for the commands that look at datasets: stats
// and validate. LLaMA-Factory and many hubs ship datasets this way.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::report {

// Returns true when `path` names a .json file (records in a JSON array), not JSONL.
bool IsJsonArrayFile(const std::string& path);

// JsonFileVisitor: one call per record, with the 1-based line the record starts on.
struct JsonFileVisitor {
  // `json` is the record's JSON text.
  std::function<Status(uint64_t line, std::string_view json)> on_record;
  // A record that could not be split out of the file (malformed JSON, too large).
  std::function<Status(uint64_t line, const std::string& message)> on_error;
};

// Reads the records of `path` in order. NotFound when the file cannot be read.
Status ForEachJsonFileRecord(const std::string& path, const JsonFileVisitor& visitor);

}  // namespace tunepack::report
