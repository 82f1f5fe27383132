// AlignedText: text being normalised or pre-tokenized, with the map from each of its bytes
// back to the input bytes it came from (Hugging Face's NormalizedString alignments). The map
// is kept only when the caller asked for offsets: without it, encoding skips the bookkeeping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize::hf {

struct AlignedText {
  std::string text;
  // When true, text[i] came from input bytes [orig_begin[i], orig_end[i]).
  bool tracked = false;
  std::vector<uint32_t> orig_begin;
  std::vector<uint32_t> orig_end;

  // Starts a text holding input[begin, end).
  void Reset(std::string_view input, uint32_t begin, uint32_t end, bool track) {
    text.assign(input.substr(begin, end - begin));
    tracked = track;
    orig_begin.clear();
    orig_end.clear();
    if (!track) return;
    for (uint32_t i = begin; i < end; ++i) {
      orig_begin.push_back(i);
      orig_end.push_back(i + 1);
    }
  }

  // Empties the text, keeping `track`.
  void Clear(bool track) {
    text.clear();
    tracked = track;
    orig_begin.clear();
    orig_end.clear();
  }

  // Appends `bytes`, which all come from input [begin, end).
  void Append(std::string_view bytes, uint32_t begin, uint32_t end) {
    text.append(bytes);
    if (!tracked) return;
    orig_begin.insert(orig_begin.end(), bytes.size(), begin);
    orig_end.insert(orig_end.end(), bytes.size(), end);
  }

  // Appends other.text[b, e) with its alignment.
  void AppendFrom(const AlignedText& other, uint32_t b, uint32_t e) {
    text.append(other.text, b, e - b);
    if (!tracked) return;
    orig_begin.insert(orig_begin.end(), other.orig_begin.begin() + b, other.orig_begin.begin() + e);
    orig_end.insert(orig_end.end(), other.orig_end.begin() + b, other.orig_end.begin() + e);
  }

  // Returns the input span of the first byte of text[b, e) (as an empty span when b == size).
  uint32_t OrigBegin(uint32_t b) const {
    if (b < orig_begin.size()) return orig_begin[b];
    return orig_end.empty() ? 0 : orig_end.back();
  }

  // Returns the input bytes text[b, e) (non-empty) came from; zeros when not tracked.
  TokenSpan SpanOf(uint32_t b, uint32_t e) const {
    if (!tracked || b >= e) return {};
    return {orig_begin[b], orig_end[e - 1]};
  }
};

}  // namespace tunepack::tokenize::hf
