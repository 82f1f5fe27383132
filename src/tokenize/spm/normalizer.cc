#include "tokenize/spm/normalizer.h"

#include <cstring>

namespace tunepack::tokenize::spm {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD
// SentencePiece's Normalizer::kMaxTrieResultsSize: prefixes past this many are not seen.
constexpr size_t kMaxRuleMatches = 32;

bool IsTrail(char c) { return (static_cast<uint8_t>(c) & 0xC0) == 0x80; }

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

size_t ValidCharLength(std::string_view text) {
  const auto lead = static_cast<uint8_t>(text[0]);
  if (lead < 0x80) return 1;
  const size_t size = text.size();
  if ((lead & 0xE0) == 0xC0) {
    if (size < 2 || !IsTrail(text[1])) return 0;
    const uint32_t cp = ((lead & 0x1Fu) << 6) | (static_cast<uint8_t>(text[1]) & 0x3Fu);
    return cp >= 0x80 ? 2 : 0;
  }
  if ((lead & 0xF0) == 0xE0) {
    if (size < 3 || !IsTrail(text[1]) || !IsTrail(text[2])) return 0;
    const uint32_t cp = ((lead & 0x0Fu) << 12) | ((static_cast<uint8_t>(text[1]) & 0x3Fu) << 6) |
                        (static_cast<uint8_t>(text[2]) & 0x3Fu);
    return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? 3 : 0;
  }
  if ((lead & 0xF8) == 0xF0) {
    if (size < 4 || !IsTrail(text[1]) || !IsTrail(text[2]) || !IsTrail(text[3])) return 0;
    const uint32_t cp = ((lead & 0x07u) << 18) | ((static_cast<uint8_t>(text[1]) & 0x3Fu) << 12) |
                        ((static_cast<uint8_t>(text[2]) & 0x3Fu) << 6) |
                        (static_cast<uint8_t>(text[3]) & 0x3Fu);
    return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
  }
  return 0;
}

Result<Charsmap> Charsmap::Read(std::string_view blob) {
  uint32_t trie_size = 0;
  if (blob.size() <= sizeof(trie_size)) return InvalidArgumentError("precompiled_charsmap is truncated");
  std::memcpy(&trie_size, blob.data(), sizeof(trie_size));  // little-endian, as written
  blob.remove_prefix(sizeof(trie_size));
  if (trie_size > blob.size() || trie_size % 4 != 0) {
    return InvalidArgumentError("precompiled_charsmap declares a trie larger than itself");
  }
  Charsmap charsmap;
  charsmap.units_.resize(trie_size / 4);
  std::memcpy(charsmap.units_.data(), blob.data(), trie_size);
  charsmap.replacements_ = std::string(blob.substr(trie_size));
  return charsmap;
}

bool Charsmap::HasRuleStartingWith(std::string_view prefix, bool whole) const {
  const auto offset = [](uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); };
  if (units_.empty()) return false;
  size_t node = offset(units_[0]);
  uint32_t unit = 0;
  for (const char c : prefix) {
    const auto label = static_cast<uint8_t>(c);
    node ^= label;
    if (node >= units_.size()) return false;
    unit = units_[node];
    if ((unit & ((1u << 31) | 0xFFu)) != label) return false;
    node ^= offset(unit);
  }
  return !whole || ((unit >> 8) & 1) != 0;
}

bool Charsmap::Start(Cursor* cursor) const {
  if (units_.empty()) return false;
  const uint32_t root = units_[0];
  cursor->node = (root >> 10) << ((root & (1u << 9)) >> 6);
  cursor->whole = false;
  return true;
}

bool Charsmap::Step(uint8_t label, Cursor* cursor) const {
  const size_t node = cursor->node ^ label;
  if (node >= units_.size()) return false;
  const uint32_t unit = units_[node];
  if ((unit & ((1u << 31) | 0xFFu)) != label) return false;
  cursor->node = node ^ ((unit >> 10) << ((unit & (1u << 9)) >> 6));
  cursor->whole = ((unit >> 8) & 1) != 0;
  return true;
}

size_t Charsmap::LongestRule(std::string_view text, std::string_view* replacement) const {
  // darts-clone's unit: bit 8 "has a leaf child", bits 0-7 (and 31) the label, the rest an
  // offset to the children; a leaf unit holds the value in its low 31 bits.
  const auto offset = [](uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); };
  const size_t unit_count = units_.size();
  if (unit_count == 0) return 0;
  size_t node = offset(units_[0]);
  size_t longest = 0;
  uint32_t longest_value = 0;
  size_t matches = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto label = static_cast<uint8_t>(text[i]);
    node ^= label;
    if (node >= unit_count) break;  // a malformed trie: SentencePiece would read past it
    const uint32_t unit = units_[node];
    if ((unit & ((1u << 31) | 0xFFu)) != label) break;
    node ^= offset(unit);
    if (((unit >> 8) & 1) != 0) {
      if (node >= unit_count) break;
      if (matches++ < kMaxRuleMatches) {
        longest = i + 1;
        longest_value = units_[node] & ((1u << 31) - 1);
      }
    }
  }
  if (longest == 0) return 0;
  if (longest_value >= replacements_.size()) {
    *replacement = {};
  } else {
    const char* begin = replacements_.data() + longest_value;
    *replacement = std::string_view(begin, strnlen(begin, replacements_.size() - longest_value));
  }
  return longest;
}

Result<Normalizer> Normalizer::Create(const SentencePieceNormalizerSpec& spec, bool whitespace_as_suffix,
                                      const std::vector<std::string_view>& user_defined) {
  Normalizer normalizer;
  normalizer.spec_ = spec;
  normalizer.spec_.precompiled_charsmap.clear();  // read into charsmap_ below
  normalizer.whitespace_as_suffix_ = whitespace_as_suffix;
  if (!spec.precompiled_charsmap.empty()) {
    TP_ASSIGN_OR_RETURN(normalizer.charsmap_, Charsmap::Read(spec.precompiled_charsmap));
    normalizer.has_charsmap_ = true;
  }
  std::vector<PieceTrie::Entry> entries;
  for (const std::string_view symbol : user_defined) entries.push_back({symbol, 0});
  normalizer.user_defined_ = PieceTrie::Build(entries);
  const auto has_rule = [&](std::string_view prefix, bool whole) {
    return normalizer.has_charsmap_ && normalizer.charsmap_.HasRuleStartingWith(prefix, whole);
  };
  for (int byte = 0; byte < 256; ++byte) {
    const auto lead = static_cast<uint8_t>(byte);
    const char lead_char = static_cast<char>(lead);
    if ((lead >= 0x80 && lead < 0xC0) || normalizer.user_defined_.HasPieceStartingWith(lead)) continue;
    const std::string_view alone(&lead_char, 1);
    if (lead >= 0x80) {
      normalizer.kept_as_is_[lead] = !has_rule(alone, false);
      continue;
    }
    if (has_rule(alone, true)) {
      // A byte whose own rule writes one space (nmt_nfkc's tab, newline and carriage return)
      // is normalised as a space is: that is all NormalizePrefix would do with it.
      std::string_view replacement;
      if (normalizer.charsmap_.LongestRule(alone, &replacement) != 1 || replacement != " ") continue;
      normalizer.becomes_space_[lead] = true;
    } else if (lead == ' ') {
      normalizer.becomes_space_[lead] = true;
    } else {
      normalizer.kept_as_is_[lead] = !has_rule(alone, false);
      if (normalizer.kept_as_is_[lead]) continue;
      normalizer.kept_unless_continued_[lead] = true;
    }
    for (int next = 0; next < 256; ++next) {
      const char pair[2] = {lead_char, static_cast<char>(next)};
      normalizer.continues_rule_[lead][next] = has_rule(std::string_view(pair, 2), false);
    }
  }
  normalizer.ClassifyWideCharacters();
  return normalizer;
}

void Normalizer::ClassifyWideCharacters() {
  Charsmap::Cursor root;
  if (!has_charsmap_ || !charsmap_.Start(&root)) return;
  wide_class_.assign(0x10000, kWideRewritten);
  // Sets the class of the character walked to `at` (its code point `cp`), whose bytes
  // before the last are no rule.
  const auto classify = [&](uint32_t cp, const Charsmap::Cursor& at) {
    if (at.whole) return;  // a rule itself
    std::array<bool, 256> continues{};
    bool continued = false;
    for (int next = 0; next < 256; ++next) {
      Charsmap::Cursor after = at;
      continues[next] = charsmap_.Step(static_cast<uint8_t>(next), &after);
      continued = continued || continues[next];
    }
    if (!continued) {
      wide_class_[cp] = kWideKept;
    } else if (wide_continues_.size() < 255 - kWideKept) {
      wide_continues_.push_back(continues);
      wide_class_[cp] = static_cast<uint8_t>(kWideKept + wide_continues_.size());
    }  // else left to NormalizePrefix
  };
  for (int lead = 0xC2; lead < 0xF0; ++lead) {
    if (kept_as_is_[lead] || user_defined_.HasPieceStartingWith(static_cast<uint8_t>(lead))) continue;
    wide_lookup_[lead] = true;
    Charsmap::Cursor after_lead = root;
    if (!charsmap_.Step(static_cast<uint8_t>(lead), &after_lead) || after_lead.whole) continue;
    const bool two_bytes = lead < 0xE0;
    // After 0xE0 a second byte below 0xA0 is an overlong form, whose code point is a two-byte
    // character's.
    for (int second = lead == 0xE0 ? 0xA0 : 0x80; second < 0xC0; ++second) {
      Charsmap::Cursor after_second = after_lead;
      const bool stepped = charsmap_.Step(static_cast<uint8_t>(second), &after_second);
      if (two_bytes) {
        const uint32_t cp = ((lead & 0x1Fu) << 6) | (second & 0x3Fu);
        if (!stepped) {
          wide_class_[cp] = kWideKept;
        } else {
          classify(cp, after_second);
        }
        continue;
      }
      if (stepped && after_second.whole) continue;
      for (int third = 0x80; third < 0xC0; ++third) {
        const uint32_t cp = ((lead & 0x0Fu) << 12) | ((second & 0x3Fu) << 6) | (third & 0x3Fu);
        Charsmap::Cursor after_third = after_second;
        if (!stepped || !charsmap_.Step(static_cast<uint8_t>(third), &after_third)) {
          wide_class_[cp] = kWideKept;
        } else {
          classify(cp, after_third);
        }
      }
    }
  }
}

size_t Normalizer::KeptWideLength(std::string_view input) const {
  const size_t length = ValidCharLength(input);
  if (length < 2 || length > 3) return 0;
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(input[i]) & 0x3Fu; };
  const uint32_t cp = length == 2 ? (byte(0) & 0x1Fu) << 6 | byte(1)
                                  : (byte(0) & 0x0Fu) << 12 | byte(1) << 6 | byte(2);
  const uint8_t wide_class = wide_class_[cp];
  if (wide_class == kWideRewritten) return 0;
  if (wide_class > kWideKept && length < input.size() &&
      wide_continues_[wide_class - kWideKept - 1][static_cast<uint8_t>(input[length])]) {
    return 0;
  }
  return length;
}

std::string_view Normalizer::NormalizePrefix(std::string_view input, size_t* consumed) const {
  if (!user_defined_.empty()) {
    const size_t length = user_defined_.LongestPrefix(input);
    if (length > 0) {
      *consumed = length;
      return input.substr(0, length);
    }
  }
  if (has_charsmap_) {
    std::string_view replacement;
    const size_t length = charsmap_.LongestRule(input, &replacement);
    if (length > 0) {
      *consumed = length;
      return replacement;
    }
  }
  const size_t length = ValidCharLength(input);
  if (length == 0) {
    *consumed = 1;
    return kReplacementChar;
  }
  *consumed = length;
  return input.substr(0, length);
}

void Normalizer::Normalize(std::string_view input, std::string* normalized,
                           std::vector<uint32_t>* norm_to_orig) const {
  normalized->clear();
  if (norm_to_orig != nullptr) norm_to_orig->clear();
  if (input.empty()) return;
  const bool remove_extra = spec_.remove_extra_whitespaces;
  const bool escape = spec_.escape_whitespaces;
  size_t consumed = 0;
  // Leading spaces (after normalisation) go.
  if (remove_extra) {
    while (!input.empty()) {
      size_t length = 0;
      if (NormalizePrefix(input, &length) != " ") break;
      input.remove_prefix(length);
      consumed += length;
    }
    if (input.empty()) return;
  }
  normalized->reserve(input.size() * 3 / 2 + 4);
  if (norm_to_orig != nullptr) norm_to_orig->reserve(input.size() * 3 / 2 + 4);
  const auto append = [&](std::string_view bytes) {
    normalized->append(bytes);
    if (norm_to_orig != nullptr) norm_to_orig->insert(norm_to_orig->end(), bytes.size(), consumed);
  };
  const std::string_view space = escape ? kSpaceSymbol : std::string_view(" ");
  if (!whitespace_as_suffix_ && spec_.add_dummy_prefix) append(space);
  bool is_prev_space = remove_extra;
  while (!input.empty()) {
    // A run of characters that stay as they are is copied at once; a byte that starts no
    // valid character ends it (it becomes U+FFFD below).
    size_t run = 0;
    while (run < input.size()) {
      const auto lead = static_cast<uint8_t>(input[run]);
      size_t length = 0;
      if (kept_as_is_[lead]) {
        length = lead < 0x80 ? 1 : ValidCharLength(input.substr(run));
      } else if (lead < 0x80) {
        if (kept_unless_continued_[lead] &&
            (run + 1 == input.size() || !continues_rule_[lead][static_cast<uint8_t>(input[run + 1])])) {
          length = 1;
        }
      } else if (wide_lookup_[lead]) {
        length = KeptWideLength(input.substr(run));
      }
      if (length == 0) break;
      if (norm_to_orig != nullptr) norm_to_orig->insert(norm_to_orig->end(), length, consumed + run);
      run += length;
    }
    if (run > 0) {
      normalized->append(input.data(), run);
      consumed += run;
      input.remove_prefix(run);
      is_prev_space = false;
      continue;
    }
    // A space (or a byte whose rule writes one) that no longer rule takes: "▁", or nothing
    // after a space when extra spaces go.
    const auto first = static_cast<uint8_t>(input[0]);
    if (first < 0x80 && becomes_space_[first] &&
        (input.size() == 1 || !continues_rule_[first][static_cast<uint8_t>(input[1])])) {
      if (!is_prev_space) append(space);
      is_prev_space = remove_extra;
      ++consumed;
      input.remove_prefix(1);
      continue;
    }
    size_t length = 0;
    std::string_view piece = NormalizePrefix(input, &length);
    while (is_prev_space && !piece.empty() && piece[0] == ' ') piece.remove_prefix(1);
    if (!piece.empty()) {
      if (escape) {
        size_t start = 0;
        for (size_t n = 0; n < piece.size(); ++n) {
          if (piece[n] != ' ') continue;
          append(piece.substr(start, n - start));
          append(kSpaceSymbol);
          start = n + 1;
        }
        append(piece.substr(start));
      } else {
        append(piece);
      }
      is_prev_space = piece.back() == ' ';
    }
    consumed += length;
    input.remove_prefix(length);
    if (!remove_extra) is_prev_space = false;
  }
  // Trailing spaces go.
  if (remove_extra) {
    while (EndsWith(*normalized, space)) {
      const size_t length = normalized->size() - space.size();
      if (norm_to_orig != nullptr) {
        consumed = (*norm_to_orig)[length];
        norm_to_orig->resize(length);
      }
      normalized->resize(length);
    }
  }
  if (whitespace_as_suffix_ && spec_.add_dummy_prefix) append(space);
  if (norm_to_orig != nullptr) norm_to_orig->push_back(static_cast<uint32_t>(consumed));
}

}  // namespace tunepack::tokenize::spm
