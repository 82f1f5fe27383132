// Dates and times stored as integers (DATE, TIME, TIMESTAMP in milli-, micro- or
// nanoseconds, and the legacy INT96 timestamps Spark and older pandas write) rendered as
// ISO 8601 JSON strings: "2024-03-01", "13:45:00.25", "2024-03-01T13:45:00.25", with a
// trailing "Z" when the type says the value is adjusted to UTC. The fraction has as many
// digits as the value needs (none for whole seconds), as DuckDB prints them; DuckDB's space
// between date and time is ISO's "T" here, and its "+00" is "Z".
#pragma once

#include <cstdint>
#include <string>

#include "parquet/value_decoder.h"

namespace tunepack::parquet::internal {

// TemporalType: how a leaf's integers read as dates or times.
struct TemporalType {
  enum class Kind { kNone, kDate, kTime, kTimestamp, kInt96Timestamp };
  Kind kind = Kind::kNone;
  int64_t units_per_second = 1;  ///< kTime, kTimestamp: 1000, 1000000 or 1000000000
  bool utc = false;              ///< adjusted to UTC: "Z" is appended
};

// Returns the temporal reading of `type` (kNone for numbers and text). The logical type
// decides when there is one; else the legacy converted type (whose times are UTC).
TemporalType TemporalOf(const LeafType& type);

// Appends days since 1970-01-01 as a JSON string "YYYY-MM-DD".
void AppendDate(int64_t days, std::string& out);
// Appends `value` (units since 1970-01-01T00:00:00) as a JSON string.
void AppendTimestamp(int64_t value, const TemporalType& type, std::string& out);
// Appends `value` (units since midnight) as a JSON string "HH:MM:SS[.fraction]".
void AppendTimeOfDay(int64_t value, const TemporalType& type, std::string& out);
// Appends an INT96 timestamp (8 bytes of nanoseconds within the day, then 4 bytes of
// Julian day number, little-endian) at `bytes` as a JSON string.
void AppendInt96Timestamp(const char* bytes, std::string& out);

}  // namespace tunepack::parquet::internal
