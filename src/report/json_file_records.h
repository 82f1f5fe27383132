// Records of a container file that is not JSON Lines: a .json file (a JSON array of
// records, or one record; LLaMA-Factory and many hubs ship datasets this way) or a binary
// record container such as Parquet (recognised by its first bytes). Read the way `export`
// reads them (the ingest record containers), for the commands that look at datasets:
// stats and validate.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::report {

// Returns the ingest record container `path` is read with ("json", "parquet"), or empty
// for JSON Lines (read line by line by the callers).
std::string ContainerFileKind(const std::string& path);

// Returns true when `path` is read through a record container (ContainerFileKind not empty).
inline bool IsContainerFile(const std::string& path) { return !ContainerFileKind(path).empty(); }

// JsonFileVisitor: one call per record, with the 1-based line the record starts on (the
// row number for Parquet).
struct JsonFileVisitor {
  // `json` is the record's JSON text.
  std::function<Status(uint64_t line, std::string_view json)> on_record;
  // A record that could not be split out of the file (malformed JSON, too large).
  std::function<Status(uint64_t line, const std::string& message)> on_error;
};

// Reads the records of `path` in order. NotFound when the file cannot be read; a file the
// container cannot read at all (a corrupt Parquet footer) is one on_error at line 0.
Status ForEachContainerRecord(const std::string& path, const JsonFileVisitor& visitor);

}  // namespace tunepack::report
