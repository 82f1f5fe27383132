// The legacy charsets DecodeToUtf8 weighs against each other when the statistical
// detectors are unsure, in order of preference (a superset before its subset, the more
// widespread before the rarer), and the near misses to try first for a detector's answer.
// Internal to the ingest module.
#pragma once

#include <span>
#include <string>

namespace tunepack::ingest::internal {

// LegacyCharset: a charset name as DecodeToUtf8 reports it, and the glibc iconv name when
// ICU has no converter for it (nullptr: ICU's converter of the same name).
struct LegacyCharset {
  const char* name;
  const char* iconv_name = nullptr;
};

// Every candidate, in order of preference.
std::span<const LegacyCharset> LegacyCandidates();

// The charsets a detector's answer `charset` is most often confused with (a superset, a
// sibling code page), to be tried before the rest; may be empty.
std::span<const char* const> NearMisses(const std::string& charset);

// True when `charset` is one of LegacyCandidates(); the detectors also answer rarer code
// pages (IBM852, Mac Central European...), which lose ties to a candidate.
bool IsLegacyCandidate(const std::string& charset);

// The iconv name for `charset` when only iconv decodes it, else nullptr.
const char* IconvNameOf(const std::string& charset);

// The ICU converter that decodes `charset` as files mean it, where ICU's converter of that
// name does not (ICU's ISO-2022-KR reads 0x5C as a won sign; the version=1 variant keeps
// ASCII); otherwise `charset` itself.
std::string IcuConverterName(const std::string& charset);

}  // namespace tunepack::ingest::internal
