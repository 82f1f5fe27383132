#include "tunepack/dedup/repeated_lines.h"

#include <algorithm>
#include <unordered_set>
#include <utility>
#include <vector>

#include "tunepack/core/hash.h"
#include "tunepack/core/text_elements.h"

namespace tunepack::dedup {
namespace {

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Returns the byte ranges to remove, sorted and disjoint.
std::vector<std::pair<size_t, size_t>> FindRepeats(std::string_view text,
                                                   const RepeatedLinesOptions& options) {
  std::vector<std::pair<size_t, size_t>> removed;
  std::unordered_set<Hash128, decltype([](const Hash128& h) { return h.low; })> seen;
  size_t pos = 0;
  while (pos < text.size()) {
    // An element runs to the next newline (lines) or blank line (paragraphs); its range
    // includes the separator after it, so removing it leaves no gap.
    const size_t end = ElementEnd(text, pos, {options.paragraphs, /*blank_may_hold_spaces=*/true});
    size_t stop = end;
    while (stop < text.size() && IsSpace(text[stop]) && (options.paragraphs || stop == end)) ++stop;
    std::string_view element = Trim(text.substr(pos, end - pos));
    if (element.size() >= options.min_chars && !seen.insert(HashBytes(element)).second) {
      removed.emplace_back(pos, stop);
    }
    pos = std::max(stop, end + 1);
  }
  return removed;
}

}  // namespace

RepeatedLinesReport RemoveRepeatedLines(std::string_view text, const RepeatedLinesOptions& options,
                                        std::string* out) {
  RepeatedLinesReport report;
  out->clear();
  size_t pos = 0;
  for (auto [begin, end] : FindRepeats(text, options)) {
    out->append(text.substr(pos, begin - pos));
    ++report.removed;
    report.removed_bytes += end - begin;
    pos = end;
  }
  out->append(text.substr(std::min(pos, text.size())));
  return report;
}

RepeatedLinesReport RemoveRepeatedLines(Document* document, const RepeatedLinesOptions& options) {
  RepeatedLinesReport report;
  std::vector<std::pair<size_t, size_t>> removed = FindRepeats(document->text, options);
  if (removed.empty()) return report;
  // Maps an old offset to the new one: minus the removed bytes before it, and a position
  // inside a removed range moves to the range's start. Binary search over the ranges, with
  // the bytes removed before each, keeps it O(log n) per block.
  std::vector<size_t> removed_before(removed.size() + 1, 0);
  for (size_t i = 0; i < removed.size(); ++i) {
    removed_before[i + 1] = removed_before[i] + removed[i].second - removed[i].first;
  }
  auto map = [&](size_t offset) {
    size_t i = static_cast<size_t>(
        std::upper_bound(removed.begin(), removed.end(), offset,
                         [](size_t o, const std::pair<size_t, size_t>& r) { return o <= r.first; }) -
        removed.begin());
    // Ranges [0, i) start before `offset`; the last of them may contain it.
    if (i > 0 && offset < removed[i - 1].second) return removed[i - 1].first - removed_before[i - 1];
    return offset - removed_before[i];
  };
  std::vector<Block> blocks;
  for (Block block : document->blocks) {
    block.begin = map(block.begin);
    block.end = map(block.end);
    if (block.end > block.begin) blocks.push_back(std::move(block));
  }
  std::string text;
  report = RemoveRepeatedLines(document->text, options, &text);
  document->text = std::move(text);
  document->blocks = std::move(blocks);
  return report;
}

}  // namespace tunepack::dedup
