// Decoding a file's bytes to UTF-8. The order (BOM, declaration, ISO-2022/HZ escapes,
// whole-buffer UTF-8 check, statistical detection with a mojibake second opinion,
// Windows-1252) is the one docs/ingest.md ("Encodings") documents, with its measured
// accuracy. Detectors that only sample a prefix fail on files whose first non-ASCII byte
// comes late, so every check here looks at the whole buffer.
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ingest/escape_encodings.h"
#include "ingest/iconv_decode.h"
#include "ingest/icu_callback.h"
#include "ingest/legacy_charsets.h"
#include "ingest/mojibake.h"
#include "tunepack/ingest/detect.h"

namespace tunepack::ingest {
namespace {

using internal::CallbackState;
using internal::ConverterPtr;
using internal::OnInvalidBytes;
using internal::OpenConverter;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsUtf8Name(const std::string& upper) { return upper == "UTF-8" || upper == "UTF8"; }

// Maps a declared or detected charset name to the one to decode with. Follows the WHATWG
// Encoding Standard where it differs from the label's literal meaning: ISO-8859-1 and ASCII
// labels mean Windows-1252 (which fills 0x80-0x9F with the characters people typed), and
// GB2312/GBK mean GB18030, their superset.
std::string CanonicalCharset(std::string_view name) {
  const std::string upper = Upper(name);
  if (upper == "ISO-8859-1" || upper == "ISO8859-1" || upper == "LATIN1" || upper == "L1" ||
      upper == "US-ASCII" || upper == "ASCII" || upper == "CP1252" || upper == "WINDOWS-1252") {
    return "WINDOWS-1252";
  }
  if (upper == "GB2312" || upper == "GBK" || upper == "CP936" || upper == "X-GBK" ||
      upper == "GB18030") {
    return "GB18030";
  }
  if (upper == "SHIFT-JIS" || upper == "SJIS" || upper == "X-SJIS" || upper == "SHIFT_JIS" ||
      upper == "MS_KANJI") {
    return "SHIFT_JIS";
  }
  // EUC-KR is a subset of Windows-949 (UHC): the superset decodes both.
  if (upper == "UHC" || upper == "CP949" || upper == "EUC-KR" || upper == "KS_C_5601-1987") {
    return "WINDOWS-949";
  }
  if (upper == "TIS-620" || upper == "ISO-8859-11") return "WINDOWS-874";
  if (upper == "EUC-JISX0213") return "EUC-JIS-2004";
  if (upper == "SHIFT_JISX0213") return "SHIFT_JIS-2004";
  if (upper == "HZ-GB-2312") return "HZ";
  if (IsUtf8Name(upper)) return "UTF-8";
  return upper;
}

// Appends UTF-16 `units` to `out` as UTF-8; a lone surrogate becomes U+FFFD.
void AppendUtf16AsUtf8(const std::u16string& units, std::string& out) {
  out.reserve(out.size() + units.size() * 3 / 2);
  for (size_t i = 0; i < units.size(); ++i) {
    char32_t cp = units[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    AppendUtf8(cp, out);
  }
}

// Returns the line and column (code points) at UTF-16 index `end` of `units`.
TextPosition PositionInUtf16(const std::u16string& units, size_t end) {
  TextPosition position;
  for (size_t i = 0; i < end && i < units.size(); ++i) {
    if (units[i] == u'\n') {
      ++position.line;
      position.column = 1;
    } else if (units[i] < 0xDC00 || units[i] > 0xDFFF) {
      ++position.column;
    }
  }
  return position;
}

std::string DescribePosition(TextPosition at, size_t byte) {
  return "line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
         " (byte " + std::to_string(byte) + ")";
}

// Converts `bytes` from `charset` into `decoded`. Returns NotFound when ICU has no such
// converter, DataLoss under kFail when a sequence is invalid.
Status ConvertWithIcu(std::string_view bytes, const std::string& charset, size_t base_offset,
                      InvalidUtf8Policy policy, DecodedText& decoded) {
  ConverterPtr converter = OpenConverter(internal::IcuConverterName(charset));
  if (converter == nullptr) return NotFoundError("no converter for charset '" + charset + "'");
  CallbackState state;
  state.policy = policy;
  state.windows_1252 = charset == "WINDOWS-1252";
  state.input_begin = bytes.data();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), &OnInvalidBytes, &state, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return InternalError("cannot set the ICU callback");

  std::u16string units;
  std::u16string chunk(64 * 1024, u'\0');
  const char* source = bytes.data();
  const char* source_end = bytes.data() + bytes.size();
  do {
    status = U_ZERO_ERROR;
    UChar* target = reinterpret_cast<UChar*>(chunk.data());
    state.chunk_begin = target;
    state.output_before_chunk = units.size();
    ucnv_toUnicode(converter.get(), &target, target + chunk.size(), &source, source_end,
                   nullptr, /*flush=*/true, &status);
    units.append(chunk.data(), static_cast<size_t>(target - reinterpret_cast<UChar*>(chunk.data())));
  } while (status == U_BUFFER_OVERFLOW_ERROR);
  if (U_FAILURE(status)) {
    return DataLossError("cannot decode " + charset + ": " + u_errorName(status));
  }
  if (state.invalid > 0 && policy == InvalidUtf8Policy::kFail) {
    return DataLossError("invalid " + charset + " byte sequence at " +
                         DescribePosition(PositionInUtf16(units, state.first_invalid_unit),
                                          base_offset + state.first_invalid_byte));
  }
  decoded.text.clear();
  AppendUtf16AsUtf8(units, decoded.text);
  decoded.encoding = charset;
  decoded.invalid_sequences = state.invalid;
  decoded.first_invalid = state.invalid > 0 ? base_offset + state.first_invalid_byte : 0;
  return Status::Ok();
}

// Converts `bytes` from `charset` with glibc iconv (the charsets ICU lacks), as
// ConvertWithIcu does.
Status ConvertWithIconvCharset(std::string_view bytes, const std::string& charset,
                               const char* iconv_name, size_t base_offset,
                               InvalidUtf8Policy policy, DecodedText& decoded) {
  internal::IconvDecoded converted;
  TP_RETURN_IF_ERROR(internal::ConvertWithIconv(bytes, iconv_name, policy, converted));
  if (converted.invalid > 0 && policy == InvalidUtf8Policy::kFail) {
    return DataLossError("invalid " + charset + " byte sequence at " +
                         DescribePosition(PositionOf(converted.text, converted.first_invalid_text),
                                          base_offset + converted.first_invalid_byte));
  }
  decoded.text = std::move(converted.text);
  decoded.encoding = charset;
  decoded.invalid_sequences = converted.invalid;
  decoded.first_invalid = converted.invalid > 0 ? base_offset + converted.first_invalid_byte : 0;
  return Status::Ok();
}

// Converts `bytes` from `charset` with whichever library has a converter for it.
Status Convert(std::string_view bytes, const std::string& charset, size_t base_offset,
               InvalidUtf8Policy policy, DecodedText& decoded) {
  if (const char* iconv_name = internal::IconvNameOf(charset)) {
    return ConvertWithIconvCharset(bytes, charset, iconv_name, base_offset, policy, decoded);
  }
  return ConvertWithIcu(bytes, charset, base_offset, policy, decoded);
}

// Takes `bytes` as UTF-8, applying `policy` to invalid sequences.
Status TakeUtf8(std::string_view bytes, size_t base_offset, InvalidUtf8Policy policy,
                DecodedText& decoded) {
  Result<RepairReport> report = RepairUtf8(bytes, policy, &decoded.text);
  if (!report.ok()) {
    const size_t offset = FindInvalidUtf8(bytes);
    return DataLossError("invalid UTF-8 at " +
                         DescribePosition(PositionOf(bytes, offset), base_offset + offset));
  }
  decoded.encoding = "UTF-8";
  decoded.invalid_sequences = report->invalid_sequences;
  decoded.first_invalid = report->invalid_sequences > 0 ? base_offset + report->first_invalid : 0;
  return Status::Ok();
}

// Returns true when `bytes` is UTF-8 with a few bad bytes rather than a legacy encoding: it
// has at least as many valid multi-byte sequences as invalid ones. Legacy single-byte text
// almost never forms valid multi-byte sequences by accident.
bool MostlyUtf8(std::string_view bytes, int& confidence) {
  size_t valid_multibyte = 0, invalid = 0, pos = 0;
  while (pos < bytes.size()) {
    const size_t bad = pos + FindInvalidUtf8(bytes.substr(pos));
    for (size_t i = pos; i < bad; ++i) {
      const unsigned char c = static_cast<unsigned char>(bytes[i]);
      valid_multibyte += c >= 0xC2 && c <= 0xF4;
    }
    if (bad >= bytes.size()) break;
    ++invalid;
    pos = bad + 1;
  }
  if (valid_multibyte == 0 || valid_multibyte < invalid) return false;
  confidence = static_cast<int>(100 * valid_multibyte / (valid_multibyte + invalid));
  return true;
}

// Returns "UTF-16LE" or "UTF-16BE" when `bytes` has NULs in nearly every other byte (ASCII
// text in UTF-16 without a BOM), else empty.
std::string Utf16WithoutBom(std::string_view bytes) {
  const size_t sample = std::min<size_t>(bytes.size(), 64 * 1024) & ~size_t{1};
  if (sample < 8) return {};
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i < sample; i += 2) {
    even_nul += bytes[i] == '\0';
    odd_nul += bytes[i + 1] == '\0';
  }
  const size_t pairs = sample / 2;
  if (odd_nul * 10 >= pairs * 4 && even_nul * 20 <= pairs) return "UTF-16LE";
  if (even_nul * 10 >= pairs * 4 && odd_nul * 20 <= pairs) return "UTF-16BE";
  return {};
}

// Asks uchardet about the whole buffer; empty when it has no answer.
std::string Uchardet(std::string_view bytes) {
  uchardet_t detector = uchardet_new();
  if (detector == nullptr) return {};
  std::string charset;
  if (uchardet_handle_data(detector, bytes.data(), bytes.size()) == 0) {
    uchardet_data_end(detector);
    const char* name = uchardet_get_charset(detector);
    if (name != nullptr) charset = name;
  }
  uchardet_delete(detector);
  return charset;
}

// IcuGuess: ICU's best match and its confidence (0-100), and all its matches best first.
struct IcuGuess {
  std::string charset;
  int confidence = 0;
  std::vector<std::string> ranked;
};

IcuGuess IcuDetect(std::string_view bytes) {
  IcuGuess guess;
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* detector = ucsdet_open(&status);
  if (U_FAILURE(status)) return guess;
  // ICU's detector takes an int32_t length and gains nothing from more than a megabyte.
  const int32_t length = static_cast<int32_t>(std::min<size_t>(bytes.size(), 1 << 20));
  ucsdet_setText(detector, bytes.data(), length, &status);
  int32_t found = 0;
  const UCharsetMatch** matches =
      U_SUCCESS(status) ? ucsdet_detectAll(detector, &found, &status) : nullptr;
  for (int32_t i = 0; matches != nullptr && U_SUCCESS(status) && i < found; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (name == nullptr || U_FAILURE(status)) break;
    if (i == 0) {
      guess.charset = name;
      guess.confidence = ucsdet_getConfidence(matches[i], &status);
    }
    guess.ranked.push_back(CanonicalCharset(name));
  }
  ucsdet_close(detector);
  return guess;
}

// How many bytes the second opinion decodes per candidate: enough to judge, cheap enough
// to try two dozen charsets. Cut at a line end so no character is split.
std::string_view JudgingSample(std::string_view bytes) {
  constexpr size_t kSample = 256 * 1024;
  if (bytes.size() <= kSample) return bytes;
  const size_t newline = bytes.rfind('\n', kSample);
  return bytes.substr(0, newline == std::string_view::npos ? kSample : newline + 1);
}

// The language-plausibility second opinion: when `primary` (the detectors' answer, or the
// fallback) decodes with mojibake marks (mojibake.h), every legacy candidate is
// tried, the detector's near misses first, and the one with clearly fewer marks per
// non-ASCII character wins; ties go to the earlier charset: the near misses, then ICU's
// ranking (it knows which language's letter pairs the bytes make), then the preference
// order. A `weak` primary (the Windows-1252 fallback, or a rare code page) loses ties.
// Returns the charset to decode with, and sets `confidence` when it changed.
std::string SecondOpinion(std::string_view bytes, const std::string& primary,
                          const std::vector<std::string>& icu_ranked, bool weak, int& confidence) {
  const std::string_view sample = JudgingSample(bytes);
  DecodedText trial;
  const auto score_of = [&](const std::string& charset) {
    internal::MojibakeScore score;
    if (!Convert(sample, charset, 0, InvalidUtf8Policy::kReplace, trial).ok()) {
      score.symptoms = 1e9;
      score.non_ascii = 1;
      return score;
    }
    return internal::ScoreMojibake(trial.text);
  };
  const internal::MojibakeScore primary_score = score_of(primary);
  const double primary_rate = primary_score.Rate();
  const bool rare_primary = weak || !internal::IsLegacyCandidate(primary);
  if (primary_rate == 0 && !rare_primary) return primary;
  std::string best = primary;
  double best_rate = primary_rate;
  const auto consider = [&](const std::string& charset) {
    if (charset == primary) return;
    const internal::MojibakeScore score = score_of(charset);
    const double rate = score.Rate();
    // "Clearly better": a few marks fewer per character than the detector's answer, or rid
    // of characters text never has (U+FFFD, C1 controls, private use) at no other cost.
    const bool clearly = rate + 0.02 < primary_rate || (rare_primary && rate <= primary_rate) ||
                         (score.never < primary_score.never && rate < primary_rate);
    if ((rate < best_rate || (best == primary && rate <= best_rate)) && clearly) {
      best = charset;
      best_rate = rate;
    }
  };
  // A near miss with fewer marks wins by any margin: these pairs differ in a few bytes
  // (œ and € in ISO-8859-15, the HKSCS additions to Big5), so one mark is the evidence.
  for (const char* near : internal::NearMisses(primary)) {
    const internal::MojibakeScore score = score_of(near);
    if (score.Rate() < best_rate || (rare_primary && best == primary && score.Rate() <= best_rate)) {
      best = near;
      best_rate = score.Rate();
    }
  }
  for (const std::string& ranked : icu_ranked) {
    if (internal::IsLegacyCandidate(ranked)) consider(ranked);
  }
  for (const internal::LegacyCharset& candidate : internal::LegacyCandidates()) {
    consider(candidate.name);
  }
  if (best != primary) confidence = std::clamp(static_cast<int>(100 * (1 - best_rate)), 20, 90);
  return best;
}

// Decodes `bytes` (not valid UTF-8, no BOM, no usable declaration) by detection.
Status DecodeDetected(std::string_view bytes, InvalidUtf8Policy policy, DecodedText& decoded) {
  int confidence = 0;
  if (MostlyUtf8(bytes, confidence)) {
    decoded.encoding_source = "detected";
    decoded.confidence = confidence;
    return TakeUtf8(bytes, 0, policy, decoded);
  }
  if (std::string utf16 = Utf16WithoutBom(bytes); !utf16.empty()) {
    decoded.encoding_source = "detected";
    decoded.confidence = 90;
    return ConvertWithIcu(bytes, utf16, 0, policy, decoded);
  }
  const IcuGuess icu = IcuDetect(bytes);
  const std::string icu_charset = icu.charset.empty() ? "" : CanonicalCharset(icu.charset);
  // uchardet is right more often on the encodings we see; ICU breaks ties and answers when
  // uchardet has nothing to say (the order docs/ingest.md, "Encodings", gives).
  std::string charset = CanonicalCharset(Uchardet(bytes));
  int charset_confidence = 0;
  if (!charset.empty() && charset != "UTF-8") {
    charset_confidence = charset == icu_charset ? std::max(icu.confidence, 80) : 60;
  } else if (!icu_charset.empty() && icu_charset != "UTF-8" && icu.confidence >= 50) {
    charset = icu_charset;
    charset_confidence = icu.confidence;
  } else {
    charset.clear();
  }
  if (!charset.empty() && internal::IconvNameOf(charset) == nullptr &&
      OpenConverter(charset) == nullptr) {
    charset.clear();
  }
  decoded.encoding_source = charset.empty() ? "fallback" : "detected";
  const bool fallback = charset.empty();
  if (fallback) {
    charset = "WINDOWS-1252";
    charset_confidence = 10;
  }
  const std::string chosen = SecondOpinion(bytes, charset, icu.ranked, fallback, charset_confidence);
  if (chosen != charset) decoded.encoding_source = "detected";
  decoded.confidence = charset_confidence;
  return Convert(bytes, chosen, 0, policy, decoded);
}

}  // namespace

Result<DecodedText> DecodeToUtf8(std::string_view bytes, InvalidUtf8Policy policy,
                                 std::string_view declared_charset) {
  DecodedText decoded;
  // 1. Byte-order mark. UTF-32LE's BOM starts like UTF-16LE's, so it is checked first.
  struct Bom {
    std::string_view bytes;
    const char* charset;
  };
  static constexpr Bom kBoms[] = {
      {std::string_view("\xFF\xFE\0\0", 4), "UTF-32LE"},
      {std::string_view("\0\0\xFE\xFF", 4), "UTF-32BE"},
      {"\xEF\xBB\xBF", "UTF-8"},
      {"\xFF\xFE", "UTF-16LE"},
      {"\xFE\xFF", "UTF-16BE"},
  };
  for (const Bom& bom : kBoms) {
    if (bytes.substr(0, bom.bytes.size()) != bom.bytes) continue;
    decoded.encoding_source = "bom";
    const std::string_view rest = bytes.substr(bom.bytes.size());
    Status status = std::string_view(bom.charset) == "UTF-8"
                        ? TakeUtf8(rest, bom.bytes.size(), policy, decoded)
                        : ConvertWithIcu(rest, bom.charset, bom.bytes.size(), policy, decoded);
    if (!status.ok()) return status;
    return decoded;
  }

  // 2. The document's own declaration. A <meta> naming UTF-16 was necessarily read as
  // ASCII, so it cannot be true; browsers take UTF-8 then, and so do we.
  std::string declared = CanonicalCharset(declared_charset);
  if (declared.rfind("UTF-16", 0) == 0 || declared.rfind("UTF-32", 0) == 0) declared = "UTF-8";
  if (!declared.empty() && declared != "UTF-8" &&
      (internal::IconvNameOf(declared) != nullptr || OpenConverter(declared) != nullptr)) {
    decoded.encoding_source = "declared";
    Status status = Convert(bytes, declared, 0, policy, decoded);
    if (!status.ok()) return status;
    return decoded;
  }

  // 3. The 7-bit encodings (ISO-2022-JP/KR/CN, HZ) are valid ASCII: their escape
  // sequences decide before the UTF-8 check would take them verbatim.
  if (std::string escaped = internal::DetectEscapeEncoding(bytes); !escaped.empty()) {
    decoded.encoding_source = "detected";
    decoded.confidence = 95;
    Status status = ConvertWithIcu(bytes, escaped, 0, policy, decoded);
    if (!status.ok()) return status;
    return decoded;
  }

  // 4. Valid UTF-8 over the whole buffer (pure ASCII included) is UTF-8, unless a NUL
  // stands in nearly every other byte: then it is ASCII text in UTF-16 without a BOM
  // (valid UTF-8 too, byte for byte, but never meant as such).
  if (std::string utf16 = Utf16WithoutBom(bytes); !utf16.empty()) {
    decoded.encoding_source = "detected";
    decoded.confidence = 90;
    Status status = ConvertWithIcu(bytes, utf16, 0, policy, decoded);
    if (!status.ok()) return status;
    return decoded;
  }
  if (IsValidUtf8(bytes)) {
    decoded.text.assign(bytes);
    decoded.encoding = "UTF-8";
    decoded.encoding_source = declared == "UTF-8" ? "declared" : "utf8-valid";
    return decoded;
  }
  if (declared == "UTF-8") {
    decoded.encoding_source = "declared";
    Status status = TakeUtf8(bytes, 0, policy, decoded);
    if (!status.ok()) return status;
    return decoded;
  }

  // 5. to 7. Detection, the second opinion, then Windows-1252.
  Status status = DecodeDetected(bytes, policy, decoded);
  if (!status.ok()) return status;
  return decoded;
}

}  // namespace tunepack::ingest
