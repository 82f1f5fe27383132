#include "tunepack/quality/gopher.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include <utf8proc.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tunepack/core/text_elements.h"
#include "tunepack/core/utf8.h"

#include "quality/gopher_words.h"
#include "quality/next_code_point.h"

namespace tunepack::quality {
namespace {

// Python's str.isspace (str.strip and str.lstrip/rstrip remove these).
bool IsPythonSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Python's str.isalpha for one character: Unicode categories Lu, Ll, Lt, Lm, Lo.
bool IsLetter(char32_t cp) {
  if (cp < 128) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool HasLetter(std::string_view word) {
  for (size_t p = 0; p < word.size();) {
    if (IsLetter(NextCodePoint(word, p))) return true;
  }
  return false;
}

// The code point that ends at `end` (exclusive) and where it starts.
char32_t LastCodePoint(std::string_view s, size_t end, size_t* start) {
  size_t at = end - 1;
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  *start = at;
  size_t pos = at;
  return NextCodePoint(s, pos);
}

// str.strip, str.lstrip, str.rstrip with Python's white space.
std::string_view PythonLStrip(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t next = pos;
    if (!IsPythonSpace(NextCodePoint(s, next))) break;
    pos = next;
  }
  return s.substr(pos);
}
std::string_view PythonRStrip(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t start;
    if (!IsPythonSpace(LastCodePoint(s, end, &start))) break;
    end = start;
  }
  return s.substr(0, end);
}

// str.splitlines(): the lines of `text` without their breaks (\n, \r, \r\n, \v, \f, \x1c-\x1e,
// \x85, U+2028, U+2029); a break at the very end starts no further line.
std::vector<std::string_view> PythonSplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t begin = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t at = pos;
    const char32_t c = NextCodePoint(text, pos);
    const bool line_break = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C ||
                            (c >= 0x1C && c <= 0x1E) || c == 0x85 || c == 0x2028 || c == 0x2029;
    if (!line_break) continue;
    lines.push_back(text.substr(begin, at - begin));
    if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    begin = pos;
  }
  if (begin < text.size()) lines.push_back(text.substr(begin));
  return lines;
}

// Counts repeated elements the way the Gopher repetition rules do: an element equal to an
// earlier one adds 1 to the count and its length in code points to the characters.
struct Repeats {
  size_t total = 0;
  size_t repeated = 0;
  size_t repeated_chars = 0;
};

// An element is a repeat when an equal one came before it: a flat table of the first
// occurrences (their hash and index, compared in full on a hash match), reused across calls;
// a node-based set allocated once per line of every document.
Repeats CountRepeats(const std::vector<std::string_view>& elements) {
  Repeats r;
  r.total = elements.size();
  thread_local std::vector<uint32_t> slots;  // index + 1 of a first occurrence; 0 = empty
  thread_local std::vector<uint64_t> hashes;
  size_t capacity = 16;
  while (capacity < elements.size() * 2) capacity *= 2;
  slots.assign(capacity, 0);
  hashes.resize(elements.size());
  const size_t mask = capacity - 1;
  for (size_t i = 0; i < elements.size(); ++i) {
    const std::string_view element = elements[i];
    const uint64_t hash = XXH3_64bits(element.data(), element.size());
    hashes[i] = hash;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const uint32_t entry = slots[slot];
      if (entry == 0) {
        slots[slot] = static_cast<uint32_t>(i + 1);
        break;
      }
      if (hashes[entry - 1] == hash && elements[entry - 1] == element) {
        ++r.repeated;
        r.repeated_chars += CodePoints(element);
        break;
      }
    }
  }
  return r;
}

// The index of `w` among the, be, to, of, and, that, have, with, or -1; compared character by
// character because it runs once per token.
int StopWordIndex(std::string_view w) {
  switch (w.size()) {
    case 2:
      if (w[0] == 'b' && w[1] == 'e') return 1;
      if (w[0] == 't' && w[1] == 'o') return 2;
      if (w[0] == 'o' && w[1] == 'f') return 3;
      return -1;
    case 3:
      if (w[0] == 't' && w[1] == 'h' && w[2] == 'e') return 0;
      if (w[0] == 'a' && w[1] == 'n' && w[2] == 'd') return 4;
      return -1;
    case 4:
      if (w[0] == 't' && w[1] == 'h' && w[2] == 'a' && w[3] == 't') return 5;
      if (w[0] == 'h' && w[1] == 'a' && w[2] == 'v' && w[3] == 'e') return 6;
      if (w[0] == 'w' && w[1] == 'i' && w[2] == 't' && w[3] == 'h') return 7;
      return -1;
    default:
      return -1;
  }
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
  // Empties the table for up to `expected` keys. Only the slots the last use filled are
  // cleared (nine uses per document each cleared the whole table, several times the text).
  void Reset(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    if (capacity > keys_.size()) {
      keys_.assign(capacity, 0);
      counts_.assign(capacity, 0);
      firsts_.assign(capacity, 0);
    } else {
      for (const size_t slot : used_) {
        keys_[slot] = 0;
        counts_[slot] = 0;
      }
    }
    used_.clear();
    mask_ = capacity - 1;
  }
  // Adds one occurrence of `key` at `position`; returns the slot. Inline: it runs nine
  // times per word.
  [[gnu::always_inline]] size_t Add(uint64_t key, uint32_t position) {
    if (key == 0) key = 1;
    size_t slot = static_cast<size_t>(key) & mask_;
    while (keys_[slot] != 0 && keys_[slot] != key) slot = (slot + 1) & mask_;
    if (keys_[slot] == 0) {
      keys_[slot] = key;
      firsts_[slot] = position;
      used_.push_back(slot);
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
  std::vector<size_t> used_;  ///< slots filled since the last Reset
  size_t mask_ = 0;
};

}  // namespace

GopherScores ScoreGopher(std::string_view text) {
  GopherScores s;
  const double chars = static_cast<double>(CodePoints(text));

  // Words are the tokenizer's tokens, punctuation included; "words" for the count and length
  // rules are those with a character outside the punctuation set.
  const std::vector<std::string_view> tokens = SplitGopherWords(text);
  const double all_tokens = static_cast<double>(tokens.size());
  size_t alpha_words = 0, non_symbol_chars = 0;
  std::array<bool, 8> stop_seen{};
  std::vector<uint64_t> word_hashes;
  std::vector<uint32_t> word_chars;
  word_hashes.reserve(tokens.size());
  word_chars.reserve(tokens.size());
  for (std::string_view token : tokens) {
    const size_t length = CodePoints(token);
    word_hashes.push_back(XXH3_64bits(token.data(), token.size()));
    word_chars.push_back(static_cast<uint32_t>(length));
    alpha_words += HasLetter(token);
    if (const int stop = StopWordIndex(token); stop >= 0) stop_seen[static_cast<size_t>(stop)] = true;
    if (!IsNonSymbolWord(token)) continue;
    ++s.words;
    non_symbol_chars += length;
  }
  s.stop_words = static_cast<size_t>(std::count(stop_seen.begin(), stop_seen.end(), true));
  s.mean_word_length = Ratio(static_cast<double>(non_symbol_chars), static_cast<double>(s.words));
  s.alpha_words = Ratio(static_cast<double>(alpha_words), all_tokens);

  // '#' and ellipses per token (str.count: non-overlapping "...", and each "…").
  size_t hashes = 0, ellipses = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      ++hashes;
    } else if (c == '.' && i + 2 < text.size() && text[i + 1] == '.' && text[i + 2] == '.') {
      ++ellipses;
      i += 2;
    } else if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' && text[i + 2] == '\xA6') {
      ++ellipses;  // U+2026
      i += 2;
    }
  }
  s.hash_to_word = Ratio(static_cast<double>(hashes), all_tokens);
  s.ellipsis_to_word = Ratio(static_cast<double>(ellipses), all_tokens);

  // Lines (blank ones included): bullets at the start, ellipses at the end.
  const std::vector<std::string_view> lines = PythonSplitLines(text);
  size_t bullets = 0, ellipsis_lines = 0;
  for (std::string_view line : lines) {
    const std::string_view head = PythonLStrip(line);
    bullets += head.starts_with("-") || head.starts_with("\u2022");
    const std::string_view tail = PythonRStrip(line);
    ellipsis_lines += tail.ends_with("...") || tail.ends_with("\u2026");
  }
  s.bullet_lines = Ratio(static_cast<double>(bullets), static_cast<double>(lines.size()));
  s.ellipsis_lines = Ratio(static_cast<double>(ellipsis_lines), static_cast<double>(lines.size()));

  // Paragraphs: the stripped text split at blank lines; lines: the text split at newlines
  // (so a text that starts or ends with one has an empty first or last line).
  const Repeats para_repeats = CountRepeats(SplitAtNewlineRuns(PythonRStrip(PythonLStrip(text)), 2));
  const Repeats line_repeats = CountRepeats(SplitAtNewlineRuns(text, 1));
  s.dup_lines = Ratio(static_cast<double>(line_repeats.repeated), static_cast<double>(line_repeats.total));
  s.dup_paragraphs = Ratio(static_cast<double>(para_repeats.repeated), static_cast<double>(para_repeats.total));
  s.dup_line_chars = Ratio(static_cast<double>(line_repeats.repeated_chars), chars);
  s.dup_paragraph_chars = Ratio(static_cast<double>(para_repeats.repeated_chars), chars);

  const size_t nwords = word_hashes.size();
  thread_local NgramTable table;
  // Top n-grams: the n-gram strings joined with spaces; the most frequent one (the first seen
  // among equals) scores its length times its count, even when it occurs once.
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
    size_t ngram_chars = n - 1;
    for (size_t k = 0; k < n; ++k) ngram_chars += word_chars[best_at + k];
    s.top_ngram_chars[n - 2] = Ratio(static_cast<double>(ngram_chars * best_count), chars);
  }
  // Duplicate n-grams: the words joined without spaces, so "ab c" and "a bc" are the same
  // n-gram; a repeat covers its n words and the scan resumes after them.
  std::string joined;
  joined.reserve(text.size());
  std::vector<size_t> offsets;
  offsets.reserve(tokens.size() + 1);
  offsets.push_back(0);
  for (std::string_view token : tokens) {
    joined.append(token);
    offsets.push_back(joined.size());
  }
  for (size_t n = 5; n <= 10; ++n) {
    if (nwords < n) break;
    table.Reset(nwords);
    size_t repeated_chars = 0;
    for (size_t i = 0; i + n <= nwords;) {
      const std::string_view gram(joined.data() + offsets[i], offsets[i + n] - offsets[i]);
      size_t slot = table.Add(XXH3_64bits(gram.data(), gram.size()), static_cast<uint32_t>(i));
      if (table.count(slot) > 1) {
        for (size_t k = 0; k < n; ++k) repeated_chars += word_chars[i + k];
        i += n;
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
      {"min_stop_words", "distinct words among the, be, to, of, and, that, have, with (lower case) below", [](S s) { return double(s.stop_words); }, false, 2},
      {"max_dup_paragraphs", "fraction of repeated paragraphs above", [](S s) { return s.dup_paragraphs; }, true, 0.3},
      {"max_dup_paragraph_chars", "characters in repeated paragraphs above", [](S s) { return s.dup_paragraph_chars; }, true, 0.2},
      {"max_dup_lines", "fraction of repeated lines above", [](S s) { return s.dup_lines; }, true, 0.3},
      {"max_dup_line_chars", "characters in repeated lines above", [](S s) { return s.dup_line_chars; }, true, 0.2},
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
