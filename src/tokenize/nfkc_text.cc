#include "tokenize/nfkc_text.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <unordered_map>
#include <vector>

namespace tunepack::tokenize {
namespace {

// CodePointInfo: what normalisation needs to know about one code point, cached per thread
// because looking it up takes a full compatibility decomposition.
struct CodePointInfo {
  bool starts_segment = true;  ///< a safe normalization boundary lies before it
  bool unchanged = true;       ///< NFKC of the code point alone is itself
  std::string nfkc;            ///< NFKC of the code point alone, when changed
};

bool IsCompositionSecond(utf8proc_int32_t cp) {
  // Hangul vowel and trailing jamo compose algorithmically, outside utf8proc's table.
  if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2)) return true;
  // utf8proc 2.8 marks the second code point of a composition pair with bit 15 of
  // comb_index (0xFFFF meaning "takes part in no composition").
  const utf8proc_uint16_t index = utf8proc_get_property(cp)->comb_index;
  return index != 0xFFFF && index >= 0x8000;
}

CodePointInfo Describe(utf8proc_int32_t cp) {
  CodePointInfo info;
  utf8proc_int32_t decomposed[32];
  int last_boundclass = 0;
  const utf8proc_ssize_t count = utf8proc_decompose_char(
      cp, decomposed, 32, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT),
      &last_boundclass);
  if (count <= 0) return info;
  const utf8proc_int32_t first = decomposed[0];
  info.starts_segment =
      utf8proc_get_property(first)->combining_class == 0 && !IsCompositionSecond(first);
  if (count == 1 && first == cp) return info;
  // Changed by decomposition; composition may still give the code point back (é).
  uint8_t bytes[4];
  const utf8proc_ssize_t length = utf8proc_encode_char(cp, bytes);
  utf8proc_uint8_t* normalized = nullptr;
  if (utf8proc_map(bytes, length, &normalized,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                  UTF8PROC_COMPAT)) >= 0) {
    const std::string_view original(reinterpret_cast<const char*>(bytes),
                                    static_cast<size_t>(length));
    const std::string_view result(reinterpret_cast<const char*>(normalized));
    if (result != original) {
      info.unchanged = false;
      info.nfkc = std::string(result);
    }
  }
  std::free(normalized);
  return info;
}

const CodePointInfo& Lookup(utf8proc_int32_t cp) {
  static const CodePointInfo kPlain;
  // Below U+00A0 no code point combines with what precedes it or changes under NFKC.
  if (cp < 0xA0) return kPlain;
  // Per-thread caches: a 2-bit state per BMP code point (unknown / plain / described in the
  // map), so that text in one script costs one table read per character after the first.
  enum : uint8_t { kUnknown = 0, kPlainState = 1, kDescribed = 2 };
  thread_local std::vector<uint8_t> bmp_state(0x10000 / 4, 0);
  thread_local std::unordered_map<utf8proc_int32_t, CodePointInfo> described;
  const bool in_bmp = cp < 0x10000;
  if (in_bmp) {
    const uint8_t state = (bmp_state[cp >> 2] >> ((cp & 3) * 2)) & 3;
    if (state == kPlainState) return kPlain;
    if (state == kDescribed) return described.find(cp)->second;
  } else if (auto it = described.find(cp); it != described.end()) {
    return it->second;
  }
  CodePointInfo info = Describe(cp);
  const bool plain = info.starts_segment && info.unchanged;
  if (in_bmp) {
    bmp_state[cp >> 2] |= static_cast<uint8_t>((plain ? kPlainState : kDescribed) << ((cp & 3) * 2));
    if (plain) return kPlain;
  }
  return described.emplace(cp, std::move(info)).first->second;
}

// Decodes the code point at `pos`; returns its byte length, or 0 for a byte that does not
// start valid UTF-8.
size_t DecodeAt(std::string_view text, size_t pos, utf8proc_int32_t* cp) {
  const utf8proc_ssize_t length = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
      static_cast<utf8proc_ssize_t>(text.size() - pos), cp);
  return length > 0 ? static_cast<size_t>(length) : 0;
}

}  // namespace

void NfkcText::AddSegment(uint32_t original, std::string_view output, bool verbatim) {
  // Consecutive verbatim segments merge: their map is one linear run.
  if (!(verbatim && !segments_.empty() && segments_.back().verbatim)) {
    segments_.push_back({static_cast<uint32_t>(text_.size()), original, verbatim});
  }
  text_.append(output);
}

void NfkcText::Assign(std::string_view input) {
  text_.clear();
  segments_.clear();
  original_size_ = static_cast<uint32_t>(input.size());
  unchanged_ = std::all_of(input.begin(), input.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (unchanged_) {  // ASCII is its own NFKC
    text_.assign(input);
    segments_.push_back({0, 0, true});
    return;
  }
  size_t pos = 0;
  while (pos < input.size()) {
    // A run of ASCII is its own NFKC and every character in it starts a segment; only its
    // last character may take combining marks that follow, so it goes the general way.
    size_t ascii_end = pos;
    while (ascii_end < input.size() && static_cast<unsigned char>(input[ascii_end]) < 0x80) {
      ++ascii_end;
    }
    if (ascii_end - pos > 1) {
      AddSegment(static_cast<uint32_t>(pos), input.substr(pos, ascii_end - 1 - pos), true);
      pos = ascii_end - 1;
    }
    const size_t begin = pos;
    utf8proc_int32_t cp = 0;
    const size_t length = DecodeAt(input, pos, &cp);
    if (length == 0) {  // not UTF-8: kept as the byte it is
      AddSegment(static_cast<uint32_t>(begin), input.substr(begin, 1), true);
      ++pos;
      continue;
    }
    pos += length;
    size_t code_points = 1;
    // Take the following code points that cannot start a segment of their own.
    while (pos < input.size()) {
      utf8proc_int32_t next = 0;
      const size_t next_length = DecodeAt(input, pos, &next);
      if (next_length == 0 || Lookup(next).starts_segment) break;
      pos += next_length;
      ++code_points;
    }
    const std::string_view segment = input.substr(begin, pos - begin);
    if (code_points == 1) {
      const CodePointInfo& info = Lookup(cp);
      AddSegment(static_cast<uint32_t>(begin), info.unchanged ? segment : info.nfkc,
                 info.unchanged);
      continue;
    }
    utf8proc_uint8_t* normalized = nullptr;
    const utf8proc_ssize_t normalized_length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(segment.data()),
        static_cast<utf8proc_ssize_t>(segment.size()), &normalized,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
    if (normalized_length < 0) {
      // Cannot happen for valid UTF-8 segments; keep the text rather than lose it.
      AddSegment(static_cast<uint32_t>(begin), segment, true);
    } else {
      const std::string_view result(reinterpret_cast<const char*>(normalized),
                                    static_cast<size_t>(normalized_length));
      AddSegment(static_cast<uint32_t>(begin), result, result == segment);
    }
    std::free(normalized);
  }
  unchanged_ = text_ == input;
}

size_t NfkcText::SegmentAt(uint32_t pos) const {
  const auto after = std::upper_bound(
      segments_.begin(), segments_.end(), pos,
      [](uint32_t value, const Segment& segment) { return value < segment.normalized; });
  return static_cast<size_t>(after - segments_.begin()) - 1;
}

uint32_t NfkcText::OriginalBegin(uint32_t begin) const {
  if (begin >= text_.size()) return original_size_;
  const Segment& segment = segments_[SegmentAt(begin)];
  return segment.verbatim ? segment.original + (begin - segment.normalized) : segment.original;
}

uint32_t NfkcText::OriginalEnd(uint32_t end) const {
  if (end == 0) return 0;
  const size_t index = SegmentAt(end - 1);
  const Segment& segment = segments_[index];
  if (segment.verbatim) return segment.original + (end - segment.normalized);
  return index + 1 < segments_.size() ? segments_[index + 1].original : original_size_;
}

}  // namespace tunepack::tokenize
