#include "ingest/legacy_charsets.h"

#include <cstring>

namespace tunepack::ingest::internal {
namespace {

constexpr LegacyCharset kCandidates[] = {
    // CJK, double-byte: the everyday ones, then the supersets ICU lacks (glibc's names).
    {"GB18030"}, {"SHIFT_JIS"}, {"EUC-JP"}, {"WINDOWS-949"}, {"BIG5"}, {"BIG5-HKSCS"},
    {"JOHAB", "JOHAB"}, {"EUC-JIS-2004", "EUC-JISX0213"}, {"SHIFT_JIS-2004", "SHIFT_JISX0213"},
    // Windows-1252 (the most widespread), Cyrillic, Greek, then the other Windows and ISO pages.
    {"WINDOWS-1252"}, {"WINDOWS-1251"}, {"KOI8-R"}, {"KOI8-U"},
    {"WINDOWS-1253"}, {"ISO-8859-7"}, {"IBM737"}, {"IBM866"}, {"ISO-8859-5"},
    {"WINDOWS-1250"}, {"ISO-8859-2"}, {"WINDOWS-1254"}, {"WINDOWS-1257"}, {"WINDOWS-1255"},
    {"WINDOWS-1256"}, {"WINDOWS-874"},
};

struct NearMissList {
  const char* charset;
  const char* near[3];
};

constexpr NearMissList kNearMisses[] = {
    {"EUC-KR", {"WINDOWS-949", "JOHAB"}},
    {"WINDOWS-949", {"JOHAB"}},
    {"SHIFT_JIS", {"SHIFT_JIS-2004"}},
    {"EUC-JP", {"EUC-JIS-2004"}},
    {"BIG5", {"BIG5-HKSCS"}},
    {"KOI8-R", {"KOI8-U"}},
    {"ISO-8859-2", {"WINDOWS-1250"}},
    {"WINDOWS-1250", {"ISO-8859-2"}},
    {"ISO-8859-9", {"WINDOWS-1254"}},
    {"ISO-8859-13", {"WINDOWS-1257"}},
    {"ISO-8859-8", {"WINDOWS-1255"}},
    {"ISO-8859-7", {"WINDOWS-1253"}},
    {"WINDOWS-1252", {"ISO-8859-15"}},
};

}  // namespace

std::span<const LegacyCharset> LegacyCandidates() { return kCandidates; }

std::span<const char* const> NearMisses(const std::string& charset) {
  for (const NearMissList& list : kNearMisses) {
    if (charset != list.charset) continue;
    size_t n = 0;
    while (n < 3 && list.near[n] != nullptr) ++n;
    return {list.near, n};
  }
  return {};
}

bool IsLegacyCandidate(const std::string& charset) {
  for (const LegacyCharset& candidate : kCandidates) {
    if (charset == candidate.name) return true;
  }
  return false;
}

const char* IconvNameOf(const std::string& charset) {
  for (const LegacyCharset& candidate : kCandidates) {
    if (candidate.iconv_name != nullptr && charset == candidate.name) return candidate.iconv_name;
  }
  return nullptr;
}

std::string IcuConverterName(const std::string& charset) {
  if (charset == "ISO-2022-KR") return "ISO_2022,locale=ko,version=1";
  return charset;
}

}  // namespace tunepack::ingest::internal
