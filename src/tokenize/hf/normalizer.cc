#include "tokenize/hf/normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <vector>

#include "tokenize/hf/component_types.h"
#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {
namespace {

Status GrowthError(size_t limit) {
  return ResourceExhaustedError(
      "the tokenizer's normalizer grows the text past " + std::to_string(limit) + " bytes (" +
      std::to_string(kMaxNormalizedGrowth) + " times the input plus " +
      std::to_string(kNormalizedSlack) + "); a normalizer this expansive (chained Replace "
      "steps?) is refused rather than run out of memory");
}

// Appends the UTF-8 encoding of `cp`.
void AppendUtf8(char32_t cp, std::string* out) {
  utf8proc_uint8_t buffer[4];
  const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
  out->append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(length));
}

// Calls emit(cp, begin, end) for each character of `in` with its byte range.
template <typename Emit>
void ForEachChar(const AlignedText& in, Emit&& emit) {
  const std::string_view text = in.text;
  for (size_t pos = 0; pos < text.size();) {
    const CodePoint cp = DecodeAt(text, pos);
    emit(cp.value, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + cp.length));
    pos += cp.length;
  }
}

// Appends the bytes `bytes` to `out`, all aligned to what in.text[b, e) came from.
void AppendAligned(const AlignedText& in, uint32_t b, uint32_t e, std::string_view bytes,
                   AlignedText* out) {
  if (!out->tracked) {
    out->text.append(bytes);
    return;
  }
  if (b == e) {
    const uint32_t at = in.OrigBegin(b);
    out->Append(bytes, at, at);
  } else {
    const TokenSpan span = in.SpanOf(b, e);
    out->Append(bytes, span.begin, span.end);
  }
}

// Code points utf8proc (Unicode 15) normalises and Hugging Face does not, because the
// tables of its unicode-normalization-alignments crate are older.
constexpr std::pair<char32_t, char32_t> kLagging[] = {
#include "tokenize/hf/unicode_lag_table.inc"
};

// Returns whether Hugging Face treats `cp` as an inert starter although utf8proc does not.
bool IsLagging(char32_t cp) {
  const auto it = std::upper_bound(std::begin(kLagging), std::end(kLagging), cp,
                                   [](char32_t value, const auto& range) { return value < range.first; });
  return it != std::begin(kLagging) && cp <= std::prev(it)->second;
}

// Returns the end of the run of non-ASCII characters from `pos` that Hugging Face also
// normalises (stopping before ASCII or a lagging code point).
size_t ActiveRunEnd(std::string_view text, size_t pos) {
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) >= 0x80) {
    const CodePoint cp = DecodeAt(text, pos);
    if (cp.value >= 0x345 && IsLagging(cp.value)) break;
    pos += cp.length;
  }
  return pos;
}

// Appends the normalised `unit` (in.text[begin, end)) segment by segment, each aligned to its
// own input, a segment being one character (`per_character`) or a starter and the
// non-starters after it: when normalising the segments one by one gives the same text as
// the whole unit (per character it does unless marks reorder or compose; per starter unless
// characters compose across starters, as Hangul jamo do). Returns false, appending nothing,
// otherwise. Hugging Face aligns each output character with the input it came from.
bool AppendBySegments(const AlignedText& in, uint32_t begin, uint32_t end, std::string_view whole,
                      int options, bool per_character, AlignedText* out) {
  std::vector<std::pair<uint32_t, std::string>> segments;  // input start, normalised text
  size_t total = 0;
  uint32_t segment_begin = begin;
  auto flush = [&](uint32_t segment_end) {
    if (segment_end == segment_begin) return true;
    utf8proc_uint8_t* result = nullptr;
    const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.text.data() + segment_begin),
                                     segment_end - segment_begin, &result, static_cast<utf8proc_option_t>(options));
    if (length < 0) return false;
    segments.emplace_back(segment_begin, std::string(reinterpret_cast<const char*>(result), length));
    std::free(result);
    total += static_cast<size_t>(length);
    segment_begin = segment_end;
    return true;
  };
  for (uint32_t pos = begin; pos < end;) {
    const CodePoint cp = DecodeAt(in.text, pos);
    const bool starter = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp.value))->combining_class == 0;
    if ((starter || per_character) && pos > segment_begin && !flush(pos)) return false;
    pos += cp.length;
  }
  if (!flush(end)) return false;
  if (total != whole.size()) return false;
  size_t at = 0;
  for (const auto& [start, text] : segments) {
    if (whole.compare(at, text.size(), text) != 0) return false;
    at += text.size();
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    const uint32_t segment_end = i + 1 < segments.size() ? segments[i + 1].first : end;
    AppendAligned(in, segments[i].first, segment_end, segments[i].second, out);
  }
  return true;
}

// StableUnits: a small per-thread memory of the units (words, mostly) that a normal form
// left unchanged, so that text in a non-Latin script does not call utf8proc for every
// word again. Entries hold the whole unit, compared in full.
class StableUnits {
 public:
  bool Contains(std::string_view unit, int options) const {
    if (unit.size() > kMaxUnit) return false;
    const Entry& entry = entries_[Index(unit, options)];
    return entry.length == unit.size() && entry.options == options &&
           std::memcmp(entry.bytes, unit.data(), unit.size()) == 0;
  }
  void Add(std::string_view unit, int options) {
    if (unit.size() > kMaxUnit) return;
    Entry& entry = entries_[Index(unit, options)];
    entry.length = static_cast<uint8_t>(unit.size());
    entry.options = options;
    std::memcpy(entry.bytes, unit.data(), unit.size());
  }

 private:
  static constexpr size_t kMaxUnit = 54;
  static constexpr size_t kEntries = 1 << 12;
  struct Entry {
    uint8_t length = 0;  ///< 0: empty (units are never empty)
    char bytes[kMaxUnit];
    int options = 0;
  };
  static size_t Index(std::string_view unit, int options) {
    uint64_t h = 0xCBF29CE484222325ull ^ static_cast<uint64_t>(options);
    for (const char c : unit) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    return (h ^ (h >> 29)) & (kEntries - 1);
  }
  std::vector<Entry> entries_ = std::vector<Entry>(kEntries);
};

// The Unicode normal forms through utf8proc. ASCII characters are starters that never
// combine with what precedes them and never change, so the text is normalised in units of
// one run of non-ASCII characters plus the character before it; a unit that changes maps
// as a whole onto the input it came from. Lagging code points are units of their own,
// left as they are, which is what Hugging Face's older tables make of them.
Status NormalizeForm(const UnicodeForm& form, const AlignedText& in, size_t limit, AlignedText* out) {
  thread_local StableUnits stable;
  const std::string_view text = in.text;
  int options = UTF8PROC_STABLE | (form.compose ? UTF8PROC_COMPOSE : UTF8PROC_DECOMPOSE);
  if (form.compat) options |= UTF8PROC_COMPAT;
  size_t pos = 0;
  while (pos < text.size()) {
    // Checked as the text grows, so a step never holds much more than the limit.
    if (out->text.size() > limit) return GrowthError(limit);
    size_t ascii_end = pos;
    while (ascii_end < text.size() && static_cast<unsigned char>(text[ascii_end]) < 0x80) ++ascii_end;
    if (ascii_end == text.size()) {
      out->AppendFrom(in, pos, ascii_end);
      break;
    }
    // The unit starts at the last ASCII character before the non-ASCII run.
    const size_t unit_begin = ascii_end > pos ? ascii_end - 1 : ascii_end;
    out->AppendFrom(in, pos, unit_begin);
    size_t unit_end = ActiveRunEnd(text, ascii_end);
    if (unit_end == ascii_end) {
      // A lagging code point: copied as it is, and nothing combines across it.
      const uint32_t length = DecodeAt(text, ascii_end).length;
      out->AppendFrom(in, unit_begin, ascii_end + length);
      pos = ascii_end + length;
      continue;
    }
    const std::string_view unit = text.substr(unit_begin, unit_end - unit_begin);
    if (stable.Contains(unit, options)) {
      out->AppendFrom(in, unit_begin, unit_end);
      pos = unit_end;
      continue;
    }
    utf8proc_uint8_t* result = nullptr;
    const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(unit.data()),
                                     static_cast<utf8proc_ssize_t>(unit.size()), &result,
                                     static_cast<utf8proc_option_t>(options));
    if (length < 0) {
      out->AppendFrom(in, unit_begin, unit_end);  // not valid UTF-8: left as it is
    } else {
      const std::string_view normalised(reinterpret_cast<const char*>(result), length);
      if (normalised == unit) {
        out->AppendFrom(in, unit_begin, unit_end);
        stable.Add(unit, options);
      } else if (!out->tracked ||
                 (!AppendBySegments(in, unit_begin, unit_end, normalised, options, true, out) &&
                  !AppendBySegments(in, unit_begin, unit_end, normalised, options, false, out))) {
        AppendAligned(in, unit_begin, unit_end, normalised, out);
      }
    }
    std::free(result);
    pos = unit_end;
  }
  return out->text.size() > limit ? GrowthError(limit) : Status::Ok();
}

// Hugging Face's answers for case, marks and controls (its Unicode tables are not
// utf8proc's; see tools/tokenizers/hf_unicode_tables.js).
#include "tokenize/hf/unicode_hf_tables.inc"

template <size_t N>
bool InRanges(const std::pair<char32_t, char32_t> (&ranges)[N], char32_t cp) {
  const auto it = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                                   [](char32_t value, const auto& range) { return value < range.first; });
  return it != std::begin(ranges) && cp <= std::prev(it)->second;
}

// Rust's char::to_lowercase as Hugging Face applies it: the full mapping, whose only
// multi-character case is U+0130.
void LowercaseChar(char32_t cp, std::string* bytes) {
  if (cp == 0x130) {
    bytes->append("i\xCC\x87");
    return;
  }
  const auto it = std::lower_bound(std::begin(kHfLowercase), std::end(kHfLowercase), cp,
                                   [](const auto& entry, char32_t value) { return entry.first < value; });
  AppendUtf8(it != std::end(kHfLowercase) && it->first == cp ? it->second : cp, bytes);
}

template <typename MapChar>
void MapChars(const AlignedText& in, AlignedText* out, MapChar&& map_char) {
  std::string bytes;
  ForEachChar(in, [&](char32_t cp, uint32_t b, uint32_t e) {
    bytes.clear();
    if (!map_char(cp, &bytes)) {
      out->AppendFrom(in, b, e);
      return;
    }
    AppendAligned(in, b, e, bytes, out);
  });
}

// StripAccents' is_combining_mark.
bool IsMark(char32_t cp) { return cp >= 0x300 && InRanges(kHfCombiningMark, cp); }

// Rust's char::is_whitespace: the White_Space property.
bool IsWhiteSpace(char32_t cp) { return ClassOf(cp) & kClassSpace; }

// The CJK ideograph blocks BertNormalizer pads with spaces (its is_chinese_char).
bool IsChineseChar(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

// What BertNormalizer's clean_text removes: NUL, U+FFFD and its is_control (categories Cc,
// Cf, Co as its tables have them, except \t \n \r; unassigned code points are kept).
bool IsBertRemoved(char32_t cp) { return InRanges(kHfBertControl, cp); }

// What BertNormalizer's strip_accents removes after NFD: category Mn in its tables.
bool IsBertNonspacing(char32_t cp) { return cp >= 0x300 && InRanges(kHfBertNonspacing, cp); }

Status ApplyBert(const BertNormalizer& bert, const AlignedText& in, size_t limit, AlignedText* out) {
  AlignedText a;
  a.Clear(in.tracked);
  const AlignedText* current = &in;
  if (bert.clean_text || bert.handle_chinese_chars) {
    MapChars(in, &a, [&](char32_t cp, std::string* bytes) {
      if (bert.clean_text) {
        if (IsBertRemoved(cp)) return true;  // removed
        if (IsWhiteSpace(cp)) {
          bytes->push_back(' ');
          return true;
        }
      }
      if (bert.handle_chinese_chars && IsChineseChar(cp)) {
        bytes->push_back(' ');
        AppendUtf8(cp, bytes);
        bytes->push_back(' ');
        return true;
      }
      return false;
    });
    current = &a;
  }
  AlignedText b;
  b.Clear(in.tracked);
  if (bert.strip_accents) {
    AlignedText decomposed;
    decomposed.Clear(in.tracked);
    TP_RETURN_IF_ERROR(NormalizeForm({.compose = false, .compat = false}, *current, limit, &decomposed));
    MapChars(decomposed, &b, [](char32_t cp, std::string*) { return IsBertNonspacing(cp); });
    current = &b;
  }
  if (bert.lowercase) {
    MapChars(*current, out, [](char32_t cp, std::string* bytes) {
      LowercaseChar(cp, bytes);
      return true;
    });
  } else {
    out->AppendFrom(*current, 0, static_cast<uint32_t>(current->text.size()));
  }
  return Status::Ok();
}

// Each step returns an error when its output would pass `limit` bytes; the steps other
// than Replace, Prepend and the normal forms grow text by a small factor at most, and are
// checked once done.
struct Applier {
  const AlignedText& in;
  size_t limit;
  AlignedText* out;

  Status operator()(const UnicodeForm& form) const { return NormalizeForm(form, in, limit, out); }
  Status operator()(const Lowercase&) const {
    MapChars(in, out, [](char32_t cp, std::string* bytes) {
      if (cp < 0x80) {
        if (cp < 'A' || cp > 'Z') return false;
        bytes->push_back(static_cast<char>(cp - 'A' + 'a'));
        return true;
      }
      LowercaseChar(cp, bytes);
      return true;
    });
    return Checked();
  }
  Status operator()(const Replace& replace) const {
    thread_local std::vector<Piece> matches;
    matches.clear();
    TP_RETURN_IF_ERROR(replace.pattern->Find(in.text, &matches));
    // The size is known before anything is built: a chain of Replace steps that each
    // multiply the text fails here instead of allocating gigabytes.
    size_t size = in.text.size();
    for (const Piece& match : matches) {
      size = size - (match.end - match.begin) + replace.content.size();
      if (size > limit) return GrowthError(limit);
    }
    if (!out->tracked) {
      // Without alignment the output is the pieces between matches and the replacement:
      // written into place, without a call per piece (a space-to-U+2581 Replace matches
      // every space of the text).
      const size_t before = out->text.size();
      out->text.resize(before + size);
      char* to = out->text.data() + before;
      const char* from = in.text.data();
      uint32_t pos = 0;
      for (const Piece& match : matches) {
        for (uint32_t i = pos; i < match.begin; ++i) *to++ = from[i];
        for (const char c : replace.content) *to++ = c;
        pos = match.end;
      }
      std::memcpy(to, from + pos, in.text.size() - pos);
      return Status::Ok();
    }
    uint32_t pos = 0;
    for (const Piece& match : matches) {
      out->AppendFrom(in, pos, match.begin);
      AppendAligned(in, match.begin, match.end, replace.content, out);
      pos = match.end;
    }
    out->AppendFrom(in, pos, static_cast<uint32_t>(in.text.size()));
    return Status::Ok();
  }
  Status operator()(const Prepend& prepend) const {
    if (in.text.empty()) return Status::Ok();
    if (in.text.size() + prepend.prepend.size() > limit) return GrowthError(limit);
    // The prepended text aligns with the first character, as Hugging Face's prepend does.
    const CodePoint first = DecodeAt(in.text, 0);
    AppendAligned(in, 0, first.length, prepend.prepend, out);
    out->AppendFrom(in, 0, static_cast<uint32_t>(in.text.size()));
    return Status::Ok();
  }
  Status operator()(const Strip& strip) const {
    uint32_t begin = 0;
    uint32_t end = static_cast<uint32_t>(in.text.size());
    if (strip.left) {
      while (begin < end) {
        const CodePoint cp = DecodeAt(in.text, begin);
        if (!IsWhiteSpace(cp.value)) break;
        begin += cp.length;
      }
    }
    if (strip.right) {
      while (end > begin) {
        uint32_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(in.text[start]) & 0xC0) == 0x80) --start;
        if (!IsWhiteSpace(DecodeAt(in.text, start).value)) break;
        end = start;
      }
    }
    out->AppendFrom(in, begin, end);
    return Status::Ok();
  }
  Status operator()(const StripAccents&) const {
    MapChars(in, out, [](char32_t cp, std::string*) { return IsMark(cp); });
    return Status::Ok();
  }
  Status operator()(const BertNormalizer& bert) const {
    TP_RETURN_IF_ERROR(ApplyBert(bert, in, limit, out));
    return Checked();
  }
  Status operator()(const std::shared_ptr<NormalizerSequence>& sequence) const {
    if (sequence->steps.empty()) {
      out->AppendFrom(in, 0, static_cast<uint32_t>(in.text.size()));
      return Status::Ok();
    }
    AlignedText current = in;
    for (const Normalizer& step : sequence->steps) {
      AlignedText next;
      next.Clear(in.tracked);
      TP_RETURN_IF_ERROR(Normalize(step, current, limit, &next));
      current = std::move(next);
    }
    out->AppendFrom(current, 0, static_cast<uint32_t>(current.text.size()));
    return Status::Ok();
  }

  Status Checked() const { return out->text.size() > limit ? GrowthError(limit) : Status::Ok(); }
};

}  // namespace

size_t NormalizedSizeLimit(size_t input_size) {
  const size_t limit = input_size * kMaxNormalizedGrowth + kNormalizedSlack;
  return std::min<size_t>(limit, UINT32_MAX - 1);
}

Status Normalize(const Normalizer& normalizer, const AlignedText& in, size_t limit, AlignedText* out) {
  return std::visit(Applier{in, limit, out}, normalizer);
}

namespace {

Result<Normalizer> ParseStrip(Json json) {
  return Normalizer(Strip{BoolOr(json, "strip_left", true), BoolOr(json, "strip_right", true)});
}

Result<Normalizer> ParsePrepend(Json json) {
  TP_ASSIGN_OR_RETURN(const std::string_view prepend, StringField(json, "prepend"));
  return Normalizer(Prepend{std::string(prepend)});
}

Result<Normalizer> ParseReplace(Json json) {
  TP_ASSIGN_OR_RETURN(Replacement replace, ParseReplacement(json));
  return Normalizer(std::move(replace));
}

Result<Normalizer> ParseBertNormalizer(Json json) {
  BertNormalizer bert;
  bert.clean_text = BoolOr(json, "clean_text", true);
  bert.handle_chinese_chars = BoolOr(json, "handle_chinese_chars", true);
  bert.lowercase = BoolOr(json, "lowercase", true);
  // strip_accents: null means "follow lowercase", as in Hugging Face.
  bert.strip_accents = BoolOr(json, "strip_accents", bert.lowercase);
  return Normalizer(bert);
}

Result<Normalizer> ParseSequence(Json json) {
  auto sequence = std::make_shared<NormalizerSequence>();
  TP_ASSIGN_OR_RETURN(sequence->steps, ParseSequenceSteps(json, "normalizer", "normalizers", ParseNormalizer));
  return Normalizer(std::move(sequence));
}

template <bool kCompose, bool kCompatibility>
Result<Normalizer> ParseForm(Json) {
  return Normalizer(UnicodeForm{kCompose, kCompatibility});
}

constexpr ComponentType<Normalizer> kNormalizerTypes[] = {
    {"NFC", ParseForm<true, false>},
    {"NFD", ParseForm<false, false>},
    {"NFKC", ParseForm<true, true>},
    {"NFKD", ParseForm<false, true>},
    {"Lowercase", ParseWithoutSettings<Normalizer, Lowercase>},
    {"Replace", ParseReplace},
    {"Prepend", ParsePrepend},
    {"Strip", ParseStrip},
    {"StripAccents", ParseWithoutSettings<Normalizer, StripAccents>},
    {"BertNormalizer", ParseBertNormalizer},
    {"Sequence", ParseSequence},
};

}  // namespace

Result<Normalizer> ParseNormalizer(Json json) { return ParseComponent(json, "normalizer", kNormalizerTypes); }

}  // namespace tunepack::tokenize::hf
