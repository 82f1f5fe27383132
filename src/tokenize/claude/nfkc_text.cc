#include "tokenize/claude/nfkc_text.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
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
// start valid UTF-8. Two- and three-byte sequences that cannot be overlong or surrogates are
// decoded here (most non-ASCII text); the rest goes to utf8proc, which checks every case.
size_t DecodeAt(std::string_view text, size_t pos, utf8proc_int32_t* cp) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data() + pos);
  const size_t left = text.size() - pos;
  auto continuation = [](uint8_t byte) { return (byte & 0xC0) == 0x80; };
  if (bytes[0] >= 0xC2 && bytes[0] <= 0xDF && left >= 2 && continuation(bytes[1])) {
    *cp = ((bytes[0] & 0x1F) << 6) | (bytes[1] & 0x3F);
    return 2;
  }
  if (((bytes[0] >= 0xE1 && bytes[0] <= 0xEC) || bytes[0] >= 0xEE) && bytes[0] <= 0xEF &&
      left >= 3 && continuation(bytes[1]) && continuation(bytes[2])) {
    *cp = ((bytes[0] & 0x0F) << 12) | ((bytes[1] & 0x3F) << 6) | (bytes[2] & 0x3F);
    return 3;
  }
  const utf8proc_ssize_t length = utf8proc_iterate(
      bytes, static_cast<utf8proc_ssize_t>(left), cp);
  return length > 0 ? static_cast<size_t>(length) : 0;
}

// Returns the end of the run of ASCII bytes that starts at `pos`, eight bytes at a time.
size_t AsciiRunEnd(std::string_view text, size_t pos) {
  while (pos + 8 <= text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    if (word & 0x8080808080808080ULL) break;
    pos += 8;
  }
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) ++pos;
  return pos;
}

}  // namespace

void NfkcText::AddSegment(uint32_t original, std::string_view output, bool verbatim) {
  // Consecutive verbatim segments merge: their map is one linear run.
  if (!(verbatim && !segments_.empty() && segments_.back().verbatim)) {
    segments_.push_back({static_cast<uint32_t>(text_.size()), original, verbatim});
  }
  text_.append(output);
}

bool NfkcText::IsAscii(std::string_view text) { return AsciiRunEnd(text, 0) == text.size(); }

void NfkcText::Assign(std::string_view input) {
  text_.clear();
  segments_.clear();
  original_size_ = static_cast<uint32_t>(input.size());
  unchanged_ = IsAscii(input);
  if (unchanged_) {  // ASCII is its own NFKC
    text_.assign(input);
    segments_.push_back({0, 0, true});
    return;
  }
  size_t pos = 0;
  // The non-ASCII code point at `pos` when the previous segment already decoded it (it
  // stopped there because the code point starts a segment of its own).
  utf8proc_int32_t carried = 0;
  size_t carried_length = 0;
  const CodePointInfo* carried_info = nullptr;
  while (pos < input.size()) {
    if (carried_length == 0) {
      // A run of ASCII is its own NFKC and every character in it starts a segment; only its
      // last character may take combining marks that follow, so it goes the general way.
      const size_t ascii_end = AsciiRunEnd(input, pos);
      if (ascii_end - pos > 1) {
        AddSegment(static_cast<uint32_t>(pos), input.substr(pos, ascii_end - 1 - pos), true);
        pos = ascii_end - 1;
      }
    }
    const size_t begin = pos;
    utf8proc_int32_t cp = carried;
    size_t length = carried_length;
    const CodePointInfo* info = carried_info;
    carried_length = 0;
    if (length == 0) {
      length = DecodeAt(input, pos, &cp);
      info = nullptr;
    }
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
      if (next_length == 0) break;
      const CodePointInfo& next_info = Lookup(next);
      if (next_info.starts_segment) {
        if (next >= 0x80) {
          carried = next;
          carried_length = next_length;
          carried_info = &next_info;
        }
        break;
      }
      pos += next_length;
      ++code_points;
    }
    const std::string_view segment = input.substr(begin, pos - begin);
    if (code_points == 1) {
      if (info == nullptr) info = &Lookup(cp);
      AddSegment(static_cast<uint32_t>(begin), info->unchanged ? segment : info->nfkc,
                 info->unchanged);
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
