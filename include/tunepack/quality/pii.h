// PII redaction: e-mail addresses, phone numbers, IPv4/IPv6 addresses, API-key-looking
// secrets, and (when asked for) payment card numbers (Luhn) and IBANs (mod 97), found by hand-written scanners (no regex engine: one pass, linear time, no
// catastrophic backtracking on hostile input).
#pragma once

#include "tunepack/core/enum_table.h"
#include "tunepack/core/result.h"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tunepack::quality {

enum class PiiKind { kEmail, kPhone, kIpv4, kIpv6, kSecret, kCard, kIban };
inline constexpr size_t kPiiKinds = 7;
inline constexpr EnumTable<PiiKind, kPiiKinds> kPiiKindNames{
    "pii-kinds",
    {{{PiiKind::kEmail, "email"}, {PiiKind::kPhone, "phone"}, {PiiKind::kIpv4, "ipv4"},
      {PiiKind::kIpv6, "ipv6"}, {PiiKind::kSecret, "secret"}, {PiiKind::kCard, "card"},
      {PiiKind::kIban, "iban"}}}};

// Whether `--redact-pii` redacts a kind when --pii-kinds is not given: payment cards and IBANs
// are asked for by name (they came later; the default set, and so earlier outputs, stay as
// they were).
inline constexpr bool PiiKindOnByDefault(PiiKind kind) {
  return kind != PiiKind::kCard && kind != PiiKind::kIban;
}

// Returns "email", "phone", "ipv4", "ipv6", "secret", "card" or "iban".
inline std::string_view PiiKindName(PiiKind kind) { return kPiiKindNames.Name(kind); }

// Parses one of the names PiiKindName returns; InvalidArgument listing them otherwise.
inline Result<PiiKind> ParsePiiKind(std::string_view name) { return kPiiKindNames.Parse(name); }

// PiiOptions: which kinds to redact and what to put in their place.
struct PiiOptions {
  std::array<bool, kPiiKinds> enabled = {true, true, true, true, true, false, false};
  // Replacement per kind; the defaults name the kind so the trained model sees a
  // placeholder rather than a hole.
  std::array<std::string, kPiiKinds> replacement = {"[EMAIL]", "[PHONE]", "[IP]", "[IP]",
                                                    "[SECRET]", "[CARD]", "[IBAN]"};
  // Private, loopback and documentation IPv4 ranges (10/8, 127/8, 192.168/16, ...) are
  // not personal; datatrove replaces only public addresses by default, and so do we.
  bool redact_private_ips = false;
};

// PiiMatch: one finding, a byte range of the input.
struct PiiMatch {
  PiiKind kind;
  size_t begin = 0;
  size_t end = 0;
};

// PiiCounts: findings per kind, for the manifest ("pii": {"email": 3, ...}).
struct PiiCounts {
  std::array<size_t, kPiiKinds> by_kind{};
  size_t total() const;
  PiiCounts& operator+=(const PiiCounts& other);
};

// Returns the non-overlapping findings in `text`, in order. Thread-safe.
std::vector<PiiMatch> FindPii(std::string_view text, const PiiOptions& options);

// Writes `text` with every finding replaced to `out` and returns the counts.
PiiCounts RedactPii(std::string_view text, const PiiOptions& options, std::string* out);

}  // namespace tunepack::quality
