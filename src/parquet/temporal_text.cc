#include "parquet/temporal_text.h"

#include <cstdio>
#include <cstring>

namespace tunepack::parquet::internal {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kJulianDayOfUnixEpoch = 2440588;

// Floor division: -1 unit before the epoch is the last unit of the day before.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

int FractionDigits(int64_t units_per_second) {
  int digits = 0;
  for (int64_t u = units_per_second; u > 1; u /= 10) ++digits;
  return digits;
}

// Appends "YYYY-MM-DD" for days since 1970-01-01 (H. Hinnant's civil_from_days).
void AppendCivilDate(int64_t days, std::string& out) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buffer[48];
  const int n = std::snprintf(buffer, sizeof(buffer), "%04lld-%02lld-%02lld", static_cast<long long>(y),
                              static_cast<long long>(m), static_cast<long long>(d));
  out.append(buffer, static_cast<size_t>(n));
}

// Appends "HH:MM:SS" and, when `fraction` is not 0, "." and its digits without trailing
// zeros (`digits` wide before trimming).
void AppendClock(int64_t seconds_of_day, int64_t fraction, int digits, std::string& out) {
  char buffer[48];
  int n = std::snprintf(buffer, sizeof(buffer), "%02lld:%02lld:%02lld", static_cast<long long>(seconds_of_day / 3600),
                        static_cast<long long>(seconds_of_day / 60 % 60), static_cast<long long>(seconds_of_day % 60));
  out.append(buffer, static_cast<size_t>(n));
  if (fraction == 0 || digits == 0) return;
  n = std::snprintf(buffer, sizeof(buffer), ".%0*lld", digits, static_cast<long long>(fraction));
  while (n > 1 && buffer[n - 1] == '0') --n;
  out.append(buffer, static_cast<size_t>(n));
}

// Appends a date and time from whole days since the epoch and units within the day.
void AppendDateTime(int64_t days, int64_t units_of_day, int64_t units_per_second, bool utc, std::string& out) {
  out.push_back('"');
  AppendCivilDate(days, out);
  out.push_back('T');
  AppendClock(units_of_day / units_per_second, units_of_day % units_per_second, FractionDigits(units_per_second), out);
  if (utc) out.push_back('Z');
  out.push_back('"');
}

int64_t UnitsPerSecond(int16_t time_unit) {
  switch (time_unit) {
    case kTimeUnitMillis: return 1000;
    case kTimeUnitMicros: return 1000000;
    case kTimeUnitNanos: return 1000000000;
    default: return 0;
  }
}

}  // namespace

TemporalType TemporalOf(const LeafType& t) {
  using Kind = TemporalType::Kind;
  if (t.physical == PhysicalType::kInt96) return {Kind::kInt96Timestamp, 1000000000, false};
  if (t.logical != 0) {
    if (t.logical == kLogicalDate && t.physical == PhysicalType::kInt32) return {Kind::kDate, 1, false};
    const int64_t units = UnitsPerSecond(t.time_unit);
    if (units == 0) return {};
    if (t.logical == kLogicalTimestamp && t.physical == PhysicalType::kInt64) return {Kind::kTimestamp, units, t.utc_adjusted};
    if (t.logical == kLogicalTime && (t.physical == PhysicalType::kInt32 || t.physical == PhysicalType::kInt64)) {
      return {Kind::kTime, units, t.utc_adjusted};
    }
    return {};
  }
  if (!t.converted) return {};
  switch (*t.converted) {
    case kConvertedDate: return t.physical == PhysicalType::kInt32 ? TemporalType{Kind::kDate, 1, false} : TemporalType{};
    case kConvertedTimeMillis: return t.physical == PhysicalType::kInt32 ? TemporalType{Kind::kTime, 1000, true} : TemporalType{};
    case kConvertedTimeMicros: return t.physical == PhysicalType::kInt64 ? TemporalType{Kind::kTime, 1000000, true} : TemporalType{};
    case kConvertedTimestampMillis:
      return t.physical == PhysicalType::kInt64 ? TemporalType{Kind::kTimestamp, 1000, true} : TemporalType{};
    case kConvertedTimestampMicros:
      return t.physical == PhysicalType::kInt64 ? TemporalType{Kind::kTimestamp, 1000000, true} : TemporalType{};
    default: return {};
  }
}

void AppendDate(int64_t days, std::string& out) {
  out.push_back('"');
  AppendCivilDate(days, out);
  out.push_back('"');
}

void AppendTimestamp(int64_t value, const TemporalType& type, std::string& out) {
  const int64_t units_per_day = kSecondsPerDay * type.units_per_second;
  AppendDateTime(FloorDiv(value, units_per_day), FloorMod(value, units_per_day), type.units_per_second, type.utc, out);
}

void AppendTimeOfDay(int64_t value, const TemporalType& type, std::string& out) {
  const int64_t units_per_day = kSecondsPerDay * type.units_per_second;
  value = FloorMod(value, units_per_day);  // a valid time is within the day; keep any other printable
  out.push_back('"');
  AppendClock(value / type.units_per_second, value % type.units_per_second, FractionDigits(type.units_per_second), out);
  if (type.utc) out.push_back('Z');
  out.push_back('"');
}

void AppendInt96Timestamp(const char* bytes, std::string& out) {
  int64_t nanos_of_day;
  int32_t julian_day;
  std::memcpy(&nanos_of_day, bytes, 8);
  std::memcpy(&julian_day, bytes + 8, 4);
  constexpr int64_t kNanosPerDay = kSecondsPerDay * 1000000000;
  // Writers keep the nanoseconds within the day; carry any excess into the days.
  const int64_t days = static_cast<int64_t>(julian_day) - kJulianDayOfUnixEpoch + FloorDiv(nanos_of_day, kNanosPerDay);
  AppendDateTime(days, FloorMod(nanos_of_day, kNanosPerDay), 1000000000, false, out);
}

}  // namespace tunepack::parquet::internal
