#include "quality/gopher_words.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <string>
#include <unordered_map>

#include <utf8proc.h>

#include "quality/gopher_span_cache.h"
#include "quality/next_code_point.h"
#include "tunepack/core/utf8.h"

namespace tunepack::quality {
namespace {

// A token being split: its code points and where each starts in the text.
struct CodePoints {
  std::vector<char32_t> cp;
  std::vector<size_t> byte;  // byte offset of cp[i]; byte[cp.size()] is the end
};

utf8proc_category_t Category(char32_t c) {
  return static_cast<utf8proc_category_t>(utf8proc_category(static_cast<utf8proc_int32_t>(c)));
}

// Python's str.isspace, which is what separates tokens. Inline: it runs on every character.
inline bool IsPythonSpace(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  return c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

// The tokenizer's letter classes: any letter, lower case (or caseless), upper case (or
// caseless). Its own classes list scripts one by one; Unicode categories cover the same
// letters and a few scripts more.
bool IsAlpha(char32_t c) {
  if (c < 128) return (c | 32) >= 'a' && (c | 32) <= 'z';
  const auto cat = Category(c);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}
bool IsAlphaLower(char32_t c) {
  if (c < 128) return c >= 'a' && c <= 'z';
  const auto cat = Category(c);
  return cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_LO;
}
bool IsAlphaUpper(char32_t c) {
  if (c < 128) return c >= 'A' && c <= 'Z';
  const auto cat = Category(c);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
         cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_LO;
}
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsIcon(char32_t c) { return c >= 128 && Category(c) == UTF8PROC_CATEGORY_SO; }

bool In(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

// Single-character punctuation the tokenizer splits off either end of a token.
constexpr std::u32string_view kPunct =
    U"…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪";
constexpr std::u32string_view kQuotes =
    U"'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧";
constexpr std::u32string_view kCurrencySingle = U"$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿";
constexpr std::array<std::u32string_view, 3> kCurrencyMulti = {U"US$", U"C$", U"A$"};
// Units split off a number's end ("10km" is "10", "km").
constexpr std::array<std::u32string_view, 95> kUnits = {
    U"km", U"km²", U"km³", U"m", U"m²", U"m³", U"dm", U"dm²", U"dm³", U"cm", U"cm²", U"cm³",
    U"mm", U"mm²", U"mm³", U"ha", U"µm", U"nm", U"yd", U"in", U"ft", U"kg", U"g", U"mg",
    U"µg", U"t", U"lb", U"oz", U"m/s", U"km/h", U"kmh", U"mph", U"hPa", U"Pa", U"mbar",
    U"mb", U"MB", U"kb", U"KB", U"gb", U"GB", U"tb", U"TB", U"T", U"G", U"M", U"K", U"%",
    U"км", U"км²", U"км³", U"м", U"м²", U"м³", U"дм", U"дм²", U"дм³", U"см", U"см²",
    U"см³", U"мм", U"мм²", U"мм³", U"нм", U"кг", U"г", U"мг", U"м/с", U"км/ч", U"кПа",
    U"Па", U"мбар", U"Кб", U"КБ", U"кб", U"Мб", U"МБ", U"мб", U"Гб", U"ГБ", U"гб", U"Тб",
    U"ТБ", U"тбكم", U"كم²", U"كم³", U"م", U"م²", U"م³", U"سم", U"سم²", U"سم³", U"مم", U"مم²",
    U"مم³"};
constexpr std::array<std::u32string_view, 7> kHyphens = {U"-", U"–", U"—", U"--", U"---", U"——", U"~"};

bool Matches(const std::vector<char32_t>& s, size_t at, std::u32string_view piece) {
  if (at + piece.size() > s.size()) return false;
  return std::equal(piece.begin(), piece.end(), s.begin() + static_cast<std::ptrdiff_t>(at));
}

// Length of the prefix to split off s[begin, end), or 0. The first rule that matches wins, in
// the tokenizer's order.
size_t PrefixLength(const std::vector<char32_t>& s, size_t begin, size_t end) {
  if (begin >= end) return 0;
  const char32_t c = s[begin];
  if (c == U'§' || c == U'%' || c == U'=' || c == U'—' || c == U'–') return 1;
  if (c == U'+') return (begin + 1 < end && IsDigit(s[begin + 1])) ? 0 : 1;
  if (In(c, kPunct)) return 1;
  if (c == U'.') {
    size_t n = 0;
    while (begin + n < end && s[begin + n] == U'.') ++n;
    if (n >= 2) return n;
  }
  if (In(c, kQuotes) || In(c, kCurrencySingle)) return 1;
  for (std::u32string_view currency : kCurrencyMulti) {
    if (begin + currency.size() <= end && Matches(s, begin, currency)) return currency.size();
  }
  if (IsIcon(c)) return 1;
  return 0;
}

// Whether the suffix rule set matches exactly s[at, end), given what precedes `at` (the
// tokenizer's look-behinds see only the current string, from `begin`).
bool SuffixMatchesAt(const std::vector<char32_t>& s, size_t begin, size_t at, size_t end) {
  const size_t n = end - at;
  auto before = [&](size_t k) -> char32_t { return at >= begin + k ? s[at - k] : 0; };
  if (n == 1) {
    const char32_t c = s[at];
    if (In(c, kPunct) || In(c, kQuotes) || IsIcon(c) || c == U'—' || c == U'–') return true;
    if (c == U'…') return true;
    if (c == U'+' && IsDigit(before(1))) return true;
    if (c == U'.') {
      const char32_t b = before(1);
      if (b == 0) return false;
      if ((before(2) == U'°') && In(b, U"FfCcKk")) return true;
      if (IsDigit(b) || IsAlphaLower(b) || In(b, U"%²-+") || In(b, kQuotes) || In(b, kPunct) ||
          b == U'|') {
        return true;
      }
      if (IsAlphaUpper(b) && IsAlphaUpper(before(2))) return true;
    }
  }
  if (n == 2 && s[at] == U'…' && s[at + 1] == U'…') return true;
  if (n >= 2 && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(at),
                            s.begin() + static_cast<std::ptrdiff_t>(end),
                            [](char32_t c) { return c == U'.'; })) {
    return true;
  }
  if (n == 2 && (s[at] == U'\'' || s[at] == U'’') && (s[at + 1] == U's' || s[at + 1] == U'S')) {
    return true;
  }
  if (IsDigit(before(1))) {
    const std::u32string_view rest(s.data() + at, n);
    if (n == 1 && In(s[at], kCurrencySingle)) return true;
    for (std::u32string_view currency : kCurrencyMulti) {
      if (rest == currency) return true;
    }
    for (std::u32string_view unit : kUnits) {
      if (rest == unit) return true;
    }
  }
  return false;
}

// Length of the suffix to split off s[begin, end): the regex search finds the leftmost start
// from which a rule matches to the end.
size_t SuffixLength(const std::vector<char32_t>& s, size_t begin, size_t end) {
  if (begin >= end) return 0;
  // A run of dots is the one rule that can be long.
  size_t dots = end;
  while (dots > begin && s[dots - 1] == U'.') --dots;
  const size_t longest = 6;  // "km/h", "US$"... nothing else is longer than this
  size_t from = end > begin + longest ? end - longest : begin;
  if (end - dots >= 2) from = std::min(from, dots);
  for (size_t at = from; at < end; ++at) {
    if (SuffixMatchesAt(s, begin, at, end)) return end - at;
  }
  return 0;
}

// An infix match at `at` (with look-behind from `begin`), its length, or 0.
size_t InfixAt(const std::vector<char32_t>& s, size_t begin, size_t at, size_t end) {
  const char32_t c = s[at];
  const char32_t prev = at > begin ? s[at - 1] : 0;
  const char32_t next = at + 1 < end ? s[at + 1] : 0;
  if (c == U'.' && next == U'.') {
    size_t n = 0;
    while (at + n < end && s[at + n] == U'.') ++n;
    return n;
  }
  if (c == U'…' || IsIcon(c)) return 1;
  if (In(c, U"+-*^") && IsDigit(prev) && (IsDigit(next) || next == U'-')) return 1;
  if (c == U'.' && (IsAlphaLower(prev) || In(prev, kQuotes)) &&
      (IsAlphaUpper(next) || In(next, kQuotes))) {
    return 1;
  }
  if (c == U',' && IsAlpha(prev) && IsAlpha(next)) return 1;
  // Every hyphen starts with one of these: other characters skip the hyphen list.
  const bool hyphen_start = c == U'-' || c == U'–' || c == U'—' || c == U'~';
  if (hyphen_start && (IsAlpha(prev) || IsDigit(prev))) {
    for (std::u32string_view hyphen : kHyphens) {
      if (Matches(s, at, hyphen) && at + hyphen.size() < end && IsAlpha(s[at + hyphen.size()])) {
        return hyphen.size();
      }
    }
  }
  if ((IsAlpha(prev) || IsDigit(prev)) && In(c, U":<>=/") && IsAlpha(next)) return 1;
  return 0;
}

// The tokenizer's special cases that matter for counting words: English contractions
// ("don't" is "do", "n't"; "dont" is "do", "nt"), "cannot", clock times ("5pm"), and a few
// abbreviations kept whole ("Mr.", "e.g."). Each maps to the lengths of its pieces.
class SpecialCases {
 public:
  SpecialCases() {
    auto both_cases = [](std::u32string_view word) {
      std::u32string title(word);
      title[0] = static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(title[0])));
      return std::array<std::u32string, 2>{std::u32string(word), title};
    };
    // word + each ending (its pieces, each starting with an apostrophe), with the apostrophe
    // (' or ’) and without it: "don't" is "do", "n't"; "dont" is "do", "nt".
    using Ending = std::vector<std::u32string_view>;
    auto contract = [&](std::u32string_view word, std::initializer_list<Ending> endings) {
      for (const std::u32string& form : both_cases(word)) {
        for (const Ending& ending : endings) {
          std::u32string key = form, plain = form;
          std::vector<size_t> pieces = {form.size()}, plain_pieces = {form.size()};
          for (std::u32string_view piece : ending) {
            key += piece;
            pieces.push_back(piece.size());
            std::u32string bare(piece);
            bare.erase(std::remove(bare.begin(), bare.end(), U'\''), bare.end());
            plain += bare;
            plain_pieces.push_back(bare.size());
          }
          Add(key, pieces);
          std::u32string curly = key;
          std::replace(curly.begin(), curly.end(), U'\'', U'’');
          Add(curly, pieces);
          Add(plain, plain_pieces);
        }
      }
    };
    const Ending m = {U"'m"}, ma = {U"'m", U"a"}, ll = {U"'ll"}, llve = {U"'ll", U"'ve"},
                 d = {U"'d"}, dve = {U"'d", U"'ve"}, ve = {U"'ve"}, re = {U"'re"}, s = {U"'s"},
                 nt = {U"n't"}, ntve = {U"n't", U"'ve"};
    contract(U"i", {m, ma});
    for (auto p : {U"i", U"you", U"he", U"she", U"it", U"we", U"they"}) contract(p, {ll, llve, d, dve});
    for (auto p : {U"i", U"you", U"we", U"they"}) contract(p, {ve});
    for (auto p : {U"you", U"we", U"they"}) contract(p, {re});
    for (auto p : {U"he", U"she", U"it"}) contract(p, {s});
    for (auto w : {U"who", U"what", U"when", U"where", U"why", U"how", U"there", U"that",
                   U"this", U"these", U"those"}) {
      const std::u32string_view word(w);
      const bool plural = word == U"these" || word == U"those";
      const bool singular = word == U"that" || word == U"this";
      if (!plural) contract(word, {s});
      contract(word, {ll, llve, d, dve});
      if (!singular) contract(word, {re, ve});
    }
    for (auto v : {U"ca", U"could", U"do", U"does", U"did", U"had", U"may", U"might", U"must",
                   U"need", U"ought", U"sha", U"should", U"wo", U"would"}) {
      contract(v, {nt, ntve});
    }
    for (auto v : {U"could", U"might", U"must", U"should", U"would"}) contract(v, {ve});
    for (auto v : {U"ai", U"are", U"is", U"was", U"were", U"have", U"has", U"dare"}) contract(v, {nt});
    Add(U"cannot", {3, 3});
    for (int h = 1; h <= 12; ++h) {
      std::u32string hour;
      for (char c : std::to_string(h)) hour.push_back(static_cast<char32_t>(c));
      for (std::u32string_view period : {U"a.m.", U"am", U"p.m.", U"pm"}) {
        Add(hour + std::u32string(period), {hour.size(), period.size()});
      }
    }
    for (auto whole : {U"'d", U"a.m.", U"Adm.", U"Bros.", U"co.", U"Co.", U"Corp.", U"D.C.",
                       U"Dr.", U"e.g.", U"E.g.", U"E.G.", U"Gen.", U"Gov.", U"i.e.", U"I.e.",
                       U"I.E.", U"Inc.", U"Jr.", U"Ltd.", U"Md.", U"Messrs.", U"Mo.", U"Mont.",
                       U"Mr.", U"Mrs.", U"Ms.", U"p.m.", U"Ph.D.", U"Prof.", U"Rep.", U"Rev.",
                       U"Sen.", U"St.", U"vs.", U"v.s.", U"Mt.", U"Ak.", U"Ala.", U"Apr.",
                       U"Ariz.", U"Ark.", U"Aug.", U"Calif.", U"Colo.", U"Conn.", U"Dec.", U"Del.",
                       U"Feb.", U"Fla.", U"Ga.", U"Ia.", U"Id.", U"Ill.", U"Ind.", U"Jan.", U"Jul.",
                       U"Jun.", U"Kan.", U"Kans.", U"Ky.", U"La.", U"Mar.", U"Mass.", U"Mich.",
                       U"Minn.", U"Miss.", U"N.C.", U"N.D.", U"N.H.", U"N.J.", U"N.M.", U"N.Y.",
                       U"Neb.", U"Nebr.", U"Nev.", U"Nov.", U"Oct.", U"Okla.", U"Ore.", U"Pa.",
                       U"S.C.", U"Sep.", U"Sept.", U"Tenn.", U"Va.", U"Wash.", U"Wis.", U"and/or",
                       U"w/o", U"o'clock", U"O'clock", U"ma'am", U"Ma'am", U"C++", U"''",
                       U"a.", U"b.", U"c.", U"d.", U"e.", U"f.", U"g.", U"h.", U"i.", U"j.", U"k.",
                       U"l.", U"m.", U"n.", U"o.", U"p.", U"q.", U"r.", U"s.", U"t.", U"u.", U"v.",
                       U"w.", U"x.", U"y.", U"z.", U"ä.", U"ö.", U"ü."}) {
      Add(whole, {std::u32string_view(whole).size()});
    }
    // Words that would read as contractions but are words.
    for (auto word : {U"Ill", U"ill", U"Its", U"its", U"Hell", U"hell", U"Shell", U"shell",
                      U"Shed", U"shed", U"were", U"Were", U"Well", U"well", U"Whore", U"whore"}) {
      cases_.erase(Hash(word));
    }
  }

  // The pieces of s[begin, end) when it is a special case, or nullptr. Called several times per
  // token, so it neither allocates nor hashes more than twelve characters.
  const std::vector<size_t>* Find(const std::vector<char32_t>& s, size_t begin, size_t end) const {
    if (end - begin > kLongest || end == begin) return nullptr;
    const std::u32string_view key(s.data() + begin, end - begin);
    const uint64_t hash = Hash(key);
    if (!filter_[hash & (kFilterBits - 1)]) return nullptr;  // almost every word stops here
    auto it = cases_.find(hash);
    return it == cases_.end() || it->second.key != key ? nullptr : &it->second.pieces;
  }

 private:
  static constexpr size_t kLongest = 12;  // "shouldn't've"
  struct Entry {
    std::u32string key;
    std::vector<size_t> pieces;
  };
  static uint64_t Hash(std::u32string_view key) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (char32_t c : key) h = (h ^ c) * 0x100000001b3ULL;
    return h;
  }
  void Add(const std::u32string& key, std::vector<size_t> pieces) {
    const uint64_t hash = Hash(key);
    cases_[hash] = Entry{key, std::move(pieces)};
    filter_[hash & (kFilterBits - 1)] = true;
  }
  static constexpr size_t kFilterBits = size_t{1} << 16;
  std::unordered_map<uint64_t, Entry> cases_;
  std::bitset<kFilterBits> filter_;
};

const SpecialCases& Specials() {
  static const SpecialCases specials;
  return specials;
}

// Whether s[begin, end) is a URL or an e-mail address to the tokenizer (kept whole, no infix
// split): an optional scheme, an optional user@, a host name ending in a lower-case top-level
// domain of 2+ letters (or a dotted IPv4 address), an optional port and path.
bool IsUrl(const std::vector<char32_t>& s, size_t begin, size_t end) {
  size_t i = begin;
  // scheme://
  for (size_t j = begin; j + 2 < end; ++j) {
    const char32_t c = s[j];
    if (c == U':' && s[j + 1] == U'/' && s[j + 2] == U'/' && j - begin >= 2) {
      i = j + 3;
      break;
    }
    if (!(IsAlpha(c) || IsDigit(c) || c == U'_' || c == U'+' || c == U'-' || c == U'.')) break;
  }
  // user@ (up to the last @ before the path)
  size_t path = i;
  while (path < end && s[path] != U'/' && s[path] != U'?' && s[path] != U'#') ++path;
  for (size_t j = path; j > i; --j) {
    if (s[j - 1] == U'@') {
      i = j;
      break;
    }
  }
  // host: labels ending in '.', then a lower-case TLD
  size_t host_end = i;
  while (host_end < end && s[host_end] != U':' && s[host_end] != U'/' && s[host_end] != U'?' &&
         s[host_end] != U'#') {
    ++host_end;
  }
  auto label_char = [](char32_t c) { return IsDigit(c) || (c < 128 ? IsAlpha(c) : c >= 0xA1 && c <= 0xFFFF); };
  size_t last_dot = host_end;
  for (size_t j = host_end; j > i; --j) {
    if (s[j - 1] == U'.') {
      last_dot = j - 1;
      break;
    }
  }
  if (last_dot == host_end || last_dot == i) return false;
  const size_t tld = host_end - last_dot - 1;
  bool host_ok = tld >= 2 && tld <= 63;
  for (size_t j = last_dot + 1; host_ok && j < host_end; ++j) host_ok = IsAlphaLower(s[j]);
  bool ipv4 = true;
  int dots = 0;
  for (size_t j = i; j < host_end; ++j) {
    if (s[j] == U'.') {
      ++dots;
    } else if (!IsDigit(s[j])) {
      ipv4 = false;
    }
  }
  ipv4 = ipv4 && dots == 3;
  if (!host_ok && !ipv4) return false;
  if (host_ok) {
    // Labels: start and end with a letter or digit, '-' and '_' inside.
    size_t label_begin = i;
    for (size_t j = i; j <= last_dot; ++j) {
      if (j == last_dot || s[j] == U'.') {
        if (j == label_begin || !label_char(s[label_begin]) || !label_char(s[j - 1])) return false;
        label_begin = j + 1;
      } else if (!label_char(s[j]) && s[j] != U'-' && s[j] != U'_') {
        return false;
      }
    }
  }
  size_t at = host_end;
  if (at < end && s[at] == U':') {
    size_t digits = 0;
    while (at + 1 + digits < end && IsDigit(s[at + 1 + digits])) ++digits;
    if (digits < 2 || digits > 5) return false;
    at += 1 + digits;
  }
  return at == end || s[at] == U'/' || s[at] == U'?' || s[at] == U'#';
}

// Splits one white-space-free span into tokens, appended as [begin, end) code point ranges.
void SplitSpan(const std::vector<char32_t>& s, size_t begin, size_t end,
               std::vector<std::pair<size_t, size_t>>* out) {
  const SpecialCases& specials = Specials();
  auto emit_special = [&](size_t from, const std::vector<size_t>& pieces) {
    for (size_t length : pieces) {
      out->emplace_back(from, from + length);
      from += length;
    }
  };
  if (const auto* pieces = specials.Find(s, begin, end)) {
    emit_special(begin, *pieces);
    return;
  }
  // Most tokens are plain words: ASCII letters have no prefix, suffix or infix rule.
  if (std::all_of(s.begin() + static_cast<std::ptrdiff_t>(begin), s.begin() + static_cast<std::ptrdiff_t>(end),
                  [](char32_t c) { return c < 128 && IsAlpha(c); })) {
    out->emplace_back(begin, end);
    return;
  }
  // Scratch reused across spans (a span allocated two vectors when it had an affix).
  thread_local std::vector<std::pair<size_t, size_t>> prefixes, suffixes;
  prefixes.clear();
  suffixes.clear();
  size_t last_size = 0;
  while (end > begin && end - begin != last_size) {
    if (specials.Find(s, begin, end)) break;
    last_size = end - begin;
    const size_t pre = PrefixLength(s, begin, end);
    if (pre != 0 && begin + pre < end && specials.Find(s, begin + pre, end)) {
      prefixes.emplace_back(begin, begin + pre);
      begin += pre;
      break;
    }
    const size_t suf = SuffixLength(s, begin + pre, end);
    if (suf != 0 && end - suf > begin && specials.Find(s, begin, end - suf)) {
      suffixes.emplace_back(end - suf, end);
      end -= suf;
      break;
    }
    if (pre != 0 && suf != 0 && pre + suf <= end - begin) {
      prefixes.emplace_back(begin, begin + pre);
      suffixes.emplace_back(end - suf, end);
      begin += pre;
      end -= suf;
    } else if (pre != 0) {
      prefixes.emplace_back(begin, begin + pre);
      begin += pre;
    } else if (suf != 0) {
      suffixes.emplace_back(end - suf, end);
      end -= suf;
    }
  }
  for (const auto& prefix : prefixes) out->push_back(prefix);
  if (end > begin) {
    if (const auto* pieces = specials.Find(s, begin, end)) {
      emit_special(begin, *pieces);
    } else if (IsUrl(s, begin, end)) {
      out->emplace_back(begin, end);
    } else {
      size_t start = begin;
      for (size_t at = begin; at < end;) {
        const size_t length = InfixAt(s, begin, at, end);
        if (length == 0) {
          ++at;
          continue;
        }
        if (at != begin) {  // an infix at the very start does not split
          if (at != start) out->emplace_back(start, at);
          out->emplace_back(at, at + length);
          start = at + length;
        }
        at += length;
      }
      if (start < end) out->emplace_back(start, end);
    }
  }
  for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it) out->push_back(*it);
}

// The tokenizer's second pass: a special case that affix splitting cut into pieces ("Mr", ".")
// is put back together ("Mr."), looking at runs of up to four adjacent tokens of one span.
void RejoinSpecialCases(const std::vector<char32_t>& s, std::vector<std::pair<size_t, size_t>>* tokens,
                        size_t first) {
  const SpecialCases& specials = Specials();
  // Only the span's own tokens, from `first`, are rewritten: copying the whole document's
  // tokens for every span with two or more made splitting quadratic in the document.
  thread_local std::vector<std::pair<size_t, size_t>> out;
  out.clear();
  for (size_t i = first; i < tokens->size();) {
    size_t joined = 0;
    for (size_t k = std::min<size_t>(4, tokens->size() - i); k >= 2 && joined == 0; --k) {
      const size_t begin = (*tokens)[i].first, end = (*tokens)[i + k - 1].second;
      if (const auto* pieces = specials.Find(s, begin, end)) {
        size_t at = begin;
        for (size_t length : *pieces) {
          out.emplace_back(at, at + length);
          at += length;
        }
        joined = k;
      }
    }
    if (joined == 0) {
      out.push_back((*tokens)[i]);
      joined = 1;
    }
    i += joined;
  }
  tokens->resize(first);
  tokens->insert(tokens->end(), out.begin(), out.end());
}

// datatrove's PUNCTUATION and TERMINAL_PUNCTUATION (ASCII punctuation, C0/C1 controls but
// tab and newline, and sentence-ending marks of many scripts), as code point ranges.
constexpr std::pair<char32_t, char32_t> kPunctuationRanges[] = {
    {0x0, 0x8}, {0xB, 0x1F}, {0x21, 0x2F}, {0x3A, 0x40}, {0x5B, 0x60}, {0x7B, 0x9F},
    {0xAB, 0xAB}, {0xB4, 0xB4}, {0xBB, 0xBB}, {0x589, 0x589}, {0x61D, 0x61F}, {0x6D4, 0x6D4},
    {0x700, 0x702}, {0x7F9, 0x7F9}, {0x837, 0x837}, {0x839, 0x839}, {0x83D, 0x83E},
    {0x964, 0x965}, {0x104A, 0x104B}, {0x1362, 0x1362}, {0x1367, 0x1368}, {0x166E, 0x166E},
    {0x1735, 0x1736}, {0x17D4, 0x17D6}, {0x17D9, 0x17DA}, {0x1803, 0x1803}, {0x1809, 0x1809},
    {0x1944, 0x1945}, {0x1AA8, 0x1AAB}, {0x1B5A, 0x1B5B}, {0x1B5E, 0x1B5F}, {0x1B7D, 0x1B7E},
    {0x1C3B, 0x1C3C}, {0x1C7E, 0x1C7F}, {0x2013, 0x2014}, {0x2019, 0x2019}, {0x201C, 0x201E},
    {0x2026, 0x2026}, {0x203C, 0x203D}, {0x2047, 0x2049}, {0x2236, 0x2236}, {0x2501, 0x2501},
    {0x25BA, 0x25BA}, {0x2E2E, 0x2E2E}, {0x2E3C, 0x2E3C}, {0x2E53, 0x2E54}, {0x3001, 0x3002},
    {0x3008, 0x300D}, {0x3010, 0x3011}, {0xA4FF, 0xA4FF}, {0xA60E, 0xA60F}, {0xA6F3, 0xA6F3},
    {0xA6F7, 0xA6F7}, {0xA876, 0xA877}, {0xA8CE, 0xA8CF}, {0xA92F, 0xA92F}, {0xA9C8, 0xA9C9},
    {0xAA5D, 0xAA5F}, {0xAAF0, 0xAAF1}, {0xABEB, 0xABEB}, {0xFE52, 0xFE52}, {0xFE56, 0xFE57},
    {0xFF01, 0xFF01}, {0xFF05, 0xFF05}, {0xFF08, 0xFF09}, {0xFF0C, 0xFF0C}, {0xFF0E, 0xFF0E},
    {0xFF11, 0xFF11}, {0xFF1A, 0xFF1B}, {0xFF1F, 0xFF1F}, {0xFF5E, 0xFF5E}, {0xFF61, 0xFF61},
    {0x10A56, 0x10A57}, {0x10F55, 0x10F59}, {0x10F86, 0x10F89}, {0x11047, 0x11048},
    {0x110BE, 0x110C1}, {0x11141, 0x11143}, {0x111C5, 0x111C6}, {0x111CD, 0x111CD},
    {0x111DE, 0x111DF}, {0x11238, 0x11239}, {0x1123B, 0x1123C}, {0x112A9, 0x112A9},
    {0x1144B, 0x1144C}, {0x115C2, 0x115C3}, {0x115C9, 0x115D7}, {0x11641, 0x11642},
    {0x1173C, 0x1173E}, {0x11944, 0x11944}, {0x11946, 0x11946}, {0x11A42, 0x11A43},
    {0x11A9B, 0x11A9C}, {0x11C41, 0x11C42}, {0x11EF7, 0x11EF8}, {0x11F43, 0x11F44},
    {0x16A6E, 0x16A6F}, {0x16AF5, 0x16AF5}, {0x16B37, 0x16B38}, {0x16B44, 0x16B44},
    {0x16E98, 0x16E98}, {0x1BC9F, 0x1BC9F}, {0x1DA88, 0x1DA88}};

constexpr bool InPunctuationSet(char32_t c) {
  auto it = std::upper_bound(std::begin(kPunctuationRanges), std::end(kPunctuationRanges), c,
                             [](char32_t v, const auto& range) { return v < range.first; });
  return it != std::begin(kPunctuationRanges) && c <= std::prev(it)->second;
}

// InPunctuationSet for ASCII, as a table (one lookup per character of every word).
constexpr std::array<bool, 128> MakeAsciiPunctuation() {
  std::array<bool, 128> table{};
  for (char32_t c = 0; c < 128; ++c) table[c] = InPunctuationSet(c);
  return table;
}
constexpr std::array<bool, 128> kAsciiPunctuation = MakeAsciiPunctuation();

}  // namespace

std::vector<std::string_view> SplitGopherWords(std::string_view text) {
  CodePoints points;
  points.cp.reserve(text.size());
  points.byte.reserve(text.size() + 1);
  for (size_t pos = 0; pos < text.size();) {
    points.byte.push_back(pos);
    points.cp.push_back(NextCodePoint(text, pos));
  }
  points.byte.push_back(text.size());
  std::vector<std::pair<size_t, size_t>> ranges;
  thread_local GopherSpanCache cache;
  const size_t n = points.cp.size();
  for (size_t i = 0; i < n;) {
    while (i < n && IsPythonSpace(points.cp[i])) ++i;
    const size_t begin = i;
    while (i < n && !IsPythonSpace(points.cp[i])) ++i;
    if (i > begin) {
      const std::string_view span = text.substr(points.byte[begin], points.byte[i] - points.byte[begin]);
      if (cache.Find(span, begin, &ranges)) continue;
      const size_t first = ranges.size();
      SplitSpan(points.cp, begin, i, &ranges);
      if (ranges.size() - first > 1) RejoinSpecialCases(points.cp, &ranges, first);
      cache.Store(span, begin, ranges.data() + first, ranges.size() - first);
    }
  }
  std::vector<std::string_view> words;
  words.reserve(ranges.size());
  for (const auto& [begin, end] : ranges) {
    words.push_back(text.substr(points.byte[begin], points.byte[end] - points.byte[begin]));
  }
  return words;
}

bool IsNonSymbolWord(std::string_view word) {
  for (size_t pos = 0; pos < word.size();) {
    const char32_t c = NextCodePoint(word, pos);
    // ASCII outside the set: letters, digits, tab, newline and space.
    if (c < 0x80 ? !kAsciiPunctuation[c] : !InPunctuationSet(c)) return true;
  }
  return false;
}

}  // namespace tunepack::quality
