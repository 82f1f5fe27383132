#include "tunepack/quality/gopher.h"

#include <cmath>
#include <cstdio>
#include <unordered_set>

#include <utf8proc.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tunepack/core/text_elements.h"
#include "tunepack/core/utf8.h"

namespace tunepack::quality {
namespace {

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool IsPunctOrSymbol(char32_t cp) {
  if (cp < 128) {
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
           (cp >= 123 && cp <= 126);
  }
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
         (cat >= UTF8PROC_CATEGORY_SM && cat <= UTF8PROC_CATEGORY_SO);
}

bool IsLetter(char32_t cp) {
  if (cp < 128) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

// Strips leading and trailing punctuation and symbols: the white-space word "(the," is
// the word "the" to the stop-word and length rules, as a word tokenizer would have it.
std::string_view StripPunct(std::string_view word) {
  size_t begin = 0;
  while (begin < word.size()) {
    size_t pos = begin;
    if (!IsPunctOrSymbol(DecodeUtf8(word, pos))) break;
    begin = pos;
  }
  size_t end = word.size();
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(word[start]) & 0xC0) == 0x80) --start;
    size_t pos = start;
    if (!IsPunctOrSymbol(DecodeUtf8(word, pos))) break;
    end = start;
  }
  return word.substr(begin, end - begin);
}

bool IsStopWord(std::string_view w) {
  if (w.size() < 2 || w.size() > 4) return false;
  char lower[4];
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  std::string_view l(lower, w.size());
  return l == "the" || l == "be" || l == "to" || l == "of" || l == "and" || l == "that" ||
         l == "have" || l == "with";
}

// Counts repeated elements the way the Gopher repetition rules do: an element equal to an
// earlier one adds 1 to the count and its length to the characters.
struct Repeats {
  size_t total = 0;
  size_t repeated = 0;
  size_t repeated_chars = 0;
};

Repeats CountRepeats(std::string_view text, bool paragraphs) {
  Repeats r;
  std::unordered_set<uint64_t> seen;
  size_t pos = 0;
  while (pos < text.size()) {
    // An element ends at a newline (lines) or an empty line (paragraphs); the separator
    // after it, one or more newlines, is skipped.
    const size_t end = ElementEnd(text, pos, {paragraphs, /*blank_may_hold_spaces=*/false});
    std::string_view element = text.substr(pos, end - pos);
    pos = end;
    while (pos < text.size() && text[pos] == '\n') ++pos;
    if (element.empty()) continue;
    ++r.total;
    if (!seen.insert(XXH3_64bits(element.data(), element.size())).second) {
      ++r.repeated;
      r.repeated_chars += CodePoints(element);
    }
  }
  return r;
}

uint64_t CombineHashes(const uint64_t* h, size_t n) {
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < n; ++i) x = (x ^ h[i]) * 0x100000001b3ULL + i;
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ULL;
  return x ^ (x >> 29);
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

// An open-addressing map from 64-bit hashes to (count, first position), reset per use.
// std::unordered_map allocated a node per n-gram and held scoring to ~16 MB/s; this
// reuses one thread-local allocation.
class NgramTable {
 public:
  void Reset(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    keys_.assign(capacity, 0);
    counts_.assign(capacity, 0);
    firsts_.assign(capacity, 0);
    mask_ = capacity - 1;
  }
  // Adds one occurrence of `key` at `position`; returns the slot.
  size_t Add(uint64_t key, uint32_t position) {
    if (key == 0) key = 1;
    size_t slot = static_cast<size_t>(key) & mask_;
    while (keys_[slot] != 0 && keys_[slot] != key) slot = (slot + 1) & mask_;
    if (keys_[slot] == 0) {
      keys_[slot] = key;
      firsts_[slot] = position;
    }
    ++counts_[slot];
    return slot;
  }
  uint32_t count(size_t slot) const { return counts_[slot]; }
  uint32_t first(size_t slot) const { return firsts_[slot]; }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> firsts_;
  size_t mask_ = 0;
};

}  // namespace

GopherScores ScoreGopher(std::string_view text) {
  GopherScores s;
  const double chars = static_cast<double>(CodePoints(text));

  // Words: white-space separated; the n-gram rules use them with edge punctuation removed.
  std::vector<uint64_t> word_hashes;
  std::vector<uint32_t> word_chars;
  size_t ws_words = 0, alpha_words = 0, non_symbol_chars = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    size_t begin = pos;
    while (pos < text.size() && !IsSpace(text[pos])) ++pos;
    if (pos == begin) break;
    std::string_view word = text.substr(begin, pos - begin);
    ++ws_words;
    bool has_letter = false;
    for (size_t p = 0; p < word.size() && !has_letter;) has_letter = IsLetter(DecodeUtf8(word, p));
    alpha_words += has_letter;
    std::string_view core = StripPunct(word);
    if (core.empty()) continue;  // a symbol-only word
    ++s.words;
    size_t len = CodePoints(core);
    non_symbol_chars += len;
    s.stop_words += IsStopWord(core);
    word_hashes.push_back(XXH3_64bits(core.data(), core.size()));
    word_chars.push_back(static_cast<uint32_t>(len));
  }
  s.mean_word_length = Ratio(static_cast<double>(non_symbol_chars), static_cast<double>(s.words));
  s.alpha_words = Ratio(static_cast<double>(alpha_words), static_cast<double>(ws_words));

  size_t hashes = 0, ellipses = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '#') ++hashes;
    if (text.compare(i, 3, "...") == 0) {
      ++ellipses;
      i += 2;
    } else if (text.compare(i, 3, "\u2026") == 0) {
      ++ellipses;
      i += 2;
    }
  }
  s.hash_to_word = Ratio(static_cast<double>(hashes), static_cast<double>(s.words));
  s.ellipsis_to_word = Ratio(static_cast<double>(ellipses), static_cast<double>(s.words));

  // Lines: bullets at the start, ellipses at the end.
  size_t lines = 0, bullets = 0, ellipsis_lines = 0;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    size_t first = 0;
    while (first < line.size() && IsSpace(line[first])) ++first;
    size_t last = line.size();
    while (last > first && IsSpace(line[last - 1])) --last;
    if (first == last) continue;
    std::string_view body = line.substr(first, last - first);
    ++lines;
    bullets += body.starts_with("-") || body.starts_with("\u2022");
    ellipsis_lines += body.ends_with("...") || body.ends_with("\u2026");
  }
  s.bullet_lines = Ratio(static_cast<double>(bullets), static_cast<double>(lines));
  s.ellipsis_lines = Ratio(static_cast<double>(ellipsis_lines), static_cast<double>(lines));

  Repeats line_repeats = CountRepeats(text, /*paragraphs=*/false);
  Repeats para_repeats = CountRepeats(text, /*paragraphs=*/true);
  s.dup_lines = Ratio(static_cast<double>(line_repeats.repeated), static_cast<double>(line_repeats.total));
  s.dup_paragraphs = Ratio(static_cast<double>(para_repeats.repeated), static_cast<double>(para_repeats.total));
  s.dup_line_chars = Ratio(static_cast<double>(line_repeats.repeated_chars), chars);
  s.dup_paragraph_chars = Ratio(static_cast<double>(para_repeats.repeated_chars), chars);

  // n-gram characters: the words' lengths plus the n-1 spaces joining them.
  const size_t nwords = word_hashes.size();
  auto ngram_chars = [&](size_t at, size_t n) {
    size_t c = n - 1;
    for (size_t k = 0; k < n; ++k) c += word_chars[at + k];
    return c;
  };
  thread_local NgramTable table;
  for (size_t n = 2; n <= 4; ++n) {
    if (nwords < n) break;
    table.Reset(nwords);
    uint32_t best_count = 0, best_at = 0;
    for (size_t i = 0; i + n <= nwords; ++i) {
      size_t slot = table.Add(CombineHashes(&word_hashes[i], n), static_cast<uint32_t>(i));
      uint32_t c = table.count(slot), first = table.first(slot);
      if (c > best_count || (c == best_count && first < best_at)) {
        best_count = c;
        best_at = first;
      }
    }
    // An n-gram that occurs once is not repetition: without this, any short text would fail
    // (the only 2-gram of a 3-word text covers most of it).
    if (best_count >= 2) {
      s.top_ngram_chars[n - 2] =
          Ratio(static_cast<double>(ngram_chars(best_at, n) * best_count), chars);
    }
  }
  for (size_t n = 5; n <= 10; ++n) {
    if (nwords < n) break;
    table.Reset(nwords);
    size_t repeated_chars = 0;
    for (size_t i = 0; i + n <= nwords;) {
      size_t slot = table.Add(CombineHashes(&word_hashes[i], n), static_cast<uint32_t>(i));
      if (table.count(slot) > 1) {
        repeated_chars += ngram_chars(i, n);
        i += n;  // a repeat covers its n words; overlapping repeats are not counted twice
      } else {
        ++i;
      }
    }
    s.dup_ngram_chars[n - 5] = Ratio(static_cast<double>(repeated_chars), chars);
  }
  return s;
}

void GopherScores::AppendJson(std::string* out) const {
  char buf[64];
  bool first = true;
  auto field = [&](const char* name, double value, bool integer = false) {
    out->append(first ? "\"" : ",\"");
    first = false;
    out->append(name);
    out->append("\":");
    if (integer) {
      std::snprintf(buf, sizeof(buf), "%.0f", value);
    } else {
      std::snprintf(buf, sizeof(buf), "%.4g", std::round(value * 10000) / 10000);
    }
    out->append(buf);
  };
  out->push_back('{');
  field("words", static_cast<double>(words), true);
  field("mean_word_length", mean_word_length);
  field("hash_to_word", hash_to_word);
  field("ellipsis_to_word", ellipsis_to_word);
  field("bullet_lines", bullet_lines);
  field("ellipsis_lines", ellipsis_lines);
  field("alpha_words", alpha_words);
  field("stop_words", static_cast<double>(stop_words), true);
  field("dup_lines", dup_lines);
  field("dup_paragraphs", dup_paragraphs);
  field("dup_line_chars", dup_line_chars);
  field("dup_paragraph_chars", dup_paragraph_chars);
  static const char* kTop[] = {"top_2gram_chars", "top_3gram_chars", "top_4gram_chars"};
  for (int i = 0; i < 3; ++i) field(kTop[i], top_ngram_chars[i]);
  static const char* kDup[] = {"dup_5gram_chars", "dup_6gram_chars", "dup_7gram_chars",
                               "dup_8gram_chars", "dup_9gram_chars", "dup_10gram_chars"};
  for (int i = 0; i < 6; ++i) field(kDup[i], dup_ngram_chars[i]);
  out->push_back('}');
}

namespace {
template <int I>
double TopNgram(const GopherScores& s) { return s.top_ngram_chars[I]; }
template <int I>
double DupNgram(const GopherScores& s) { return s.dup_ngram_chars[I]; }
}  // namespace

std::vector<QualityRule> DefaultGopherRules() {
  using S = const GopherScores&;
  std::vector<QualityRule> rules = {
      {"min_words", "fewer words than this", [](S s) { return double(s.words); }, false, 50},
      {"max_words", "more words than this", [](S s) { return double(s.words); }, true, 100000},
      {"min_mean_word_length", "mean word length below", [](S s) { return s.mean_word_length; }, false, 3},
      {"max_mean_word_length", "mean word length above", [](S s) { return s.mean_word_length; }, true, 10},
      {"max_hash_to_word", "'#' per word above", [](S s) { return s.hash_to_word; }, true, 0.1},
      {"max_ellipsis_to_word", "ellipses per word above", [](S s) { return s.ellipsis_to_word; }, true, 0.1},
      {"max_bullet_lines", "fraction of lines starting with a bullet above", [](S s) { return s.bullet_lines; }, true, 0.9},
      {"max_ellipsis_lines", "fraction of lines ending in an ellipsis above", [](S s) { return s.ellipsis_lines; }, true, 0.3},
      {"min_alpha_words", "fraction of words with a letter below", [](S s) { return s.alpha_words; }, false, 0.8},
      {"min_stop_words", "occurrences of the, be, to, of, and, that, have, with below", [](S s) { return double(s.stop_words); }, false, 2},
      {"max_dup_lines", "fraction of repeated lines above", [](S s) { return s.dup_lines; }, true, 0.3},
      {"max_dup_paragraphs", "fraction of repeated paragraphs above", [](S s) { return s.dup_paragraphs; }, true, 0.3},
      {"max_dup_line_chars", "characters in repeated lines above", [](S s) { return s.dup_line_chars; }, true, 0.2},
      {"max_dup_paragraph_chars", "characters in repeated paragraphs above", [](S s) { return s.dup_paragraph_chars; }, true, 0.2},
      {"max_top_2gram_chars", "characters in the most frequent 2-gram above", TopNgram<0>, true, 0.20},
      {"max_top_3gram_chars", "characters in the most frequent 3-gram above", TopNgram<1>, true, 0.18},
      {"max_top_4gram_chars", "characters in the most frequent 4-gram above", TopNgram<2>, true, 0.16},
      {"max_dup_5gram_chars", "characters in repeated 5-grams above", DupNgram<0>, true, 0.15},
      {"max_dup_6gram_chars", "characters in repeated 6-grams above", DupNgram<1>, true, 0.14},
      {"max_dup_7gram_chars", "characters in repeated 7-grams above", DupNgram<2>, true, 0.13},
      {"max_dup_8gram_chars", "characters in repeated 8-grams above", DupNgram<3>, true, 0.12},
      {"max_dup_9gram_chars", "characters in repeated 9-grams above", DupNgram<4>, true, 0.11},
      {"max_dup_10gram_chars", "characters in repeated 10-grams above", DupNgram<5>, true, 0.10},
  };
  return rules;
}

Status SetRuleThreshold(std::vector<QualityRule>& rules, std::string_view name, double value) {
  std::string names;
  for (QualityRule& rule : rules) {
    if (rule.name == name) {
      rule.enabled = value >= 0;
      if (rule.enabled) rule.threshold = value;
      return Status::Ok();
    }
    names += names.empty() ? "" : ", ";
    names += rule.name;
  }
  return NotFoundError("unknown quality rule '" + std::string(name) + "' (rules: " + names + ")");
}

const QualityRule* FirstFailedRule(const std::vector<QualityRule>& rules,
                                   const GopherScores& scores) {
  for (const QualityRule& rule : rules) {
    if (!rule.enabled) continue;
    double value = rule.score(scores);
    if (rule.is_max ? value > rule.threshold : value < rule.threshold) return &rule;
  }
  return nullptr;
}

std::string FailureReason(const QualityRule& rule, const GopherScores& scores) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "quality: %s (%.4g %s %.4g)", rule.name.c_str(),
                rule.score(scores), rule.is_max ? ">" : "<", rule.threshold);
  return buf;
}

}  // namespace tunepack::quality
