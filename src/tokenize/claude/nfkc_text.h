// NfkcText: text in Unicode normalization form KC with a map from its bytes back to the
// bytes of the input, so that tokens found in the normalised text can be given spans of the
// original (the legacy Claude tokenizer applies NFKC before its BPE).
//
// The input is cut into segments that NFKC normalises independently: a segment starts at a
// character whose decomposition begins with a starter that cannot compose with what comes
// before it (canonical combining class 0 and not the second half of any composition, as
// UAX #15 describes for safe normalization boundaries), and takes the combining characters
// that follow. Most segments are one character. Unchanged characters map byte for byte; a
// segment that NFKC changes ("ﬁ" -> "fi", "e" + U+0301 -> "é") maps as a whole, so a
// position inside its output maps to the segment's start (for a token's begin) or end (for
// a token's end).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tunepack::tokenize {

class NfkcText {
 public:
  // Normalises `text` (UTF-8; a byte that is not part of valid UTF-8 is kept as it is),
  // replacing what the object held. Reuses its buffers.
  void Assign(std::string_view text);

  // Returns true when `text` is all ASCII, which is its own NFKC: callers can then skip
  // Assign and its copy.
  static bool IsAscii(std::string_view text);

  // Returns the NFKC form of the text given to Assign.
  std::string_view text() const { return text_; }

  // Returns true when the text was unchanged (offsets then map to themselves).
  bool unchanged() const { return unchanged_; }

  // Returns the input offset for a token that begins at `begin` in text().
  uint32_t OriginalBegin(uint32_t begin) const;
  // Returns the input offset for a token that ends at `end` (> 0) in text().
  uint32_t OriginalEnd(uint32_t end) const;

 private:
  // Segment: output bytes from `normalized` on come from input bytes from `original` on,
  // byte for byte when `verbatim`, otherwise as a whole up to the next segment.
  struct Segment {
    uint32_t normalized;
    uint32_t original;
    bool verbatim;
  };

  // Returns the index of the segment holding output byte `pos`.
  size_t SegmentAt(uint32_t pos) const;
  void AddSegment(uint32_t original, std::string_view output, bool verbatim);

  std::string text_;
  std::vector<Segment> segments_;
  uint32_t original_size_ = 0;
  bool unchanged_ = true;
};

}  // namespace tunepack::tokenize
