// The urlize filter as Jinja2 3.1.2 has it (jinja2.utils.urlize, do_urlize): the text is
// HTML-escaped, split on whitespace, and each word that is a URL or an e-mail address,
// once leading "(" "<" and trailing ")" ">" "." "," are set aside (kept when they balance
// the parentheses), becomes a link. Jinja2 decides "is a URL" with a regular expression
// (_http_re, case-insensitive, Unicode \w); the matchers below accept the same language
// without backtracking, so a long word costs linear time.
#include <algorithm>
#include <set>

#include "template/limits.h"
#include "template/pystr.h"
#include "template/text_filters.h"
#include "tunepack/core/html_escape.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

using Text = std::u32string;

Text Decode(std::string_view s) {
  Text out;
  size_t pos = 0;
  while (pos < s.size()) out.push_back(DecodeUtf8(s, pos));
  return out;
}
std::string Encode(const Text& t) {
  std::string out;
  for (char32_t c : t) AppendUtf8(c, out);
  return out;
}

// The ASCII letter a character matches under re.IGNORECASE (Python folds these four
// non-ASCII letters onto ASCII ones), lower-cased; other characters unchanged.
char32_t Fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  if (c == 0x130 || c == 0x131) return 'i';
  if (c == 0x17F) return 's';
  if (c == 0x212A) return 'k';
  return c;
}
bool IsAsciiLetter(char32_t c) { return Fold(c) >= 'a' && Fold(c) <= 'z'; }
bool IsHexDigit(char32_t c) { return IsPyDecimal(c) || (Fold(c) >= 'a' && Fold(c) <= 'f'); }
// [\w%-]
bool IsLabelChar(char32_t c) { return IsPyWordChar(c) || c == '%' || c == '-'; }

// Returns true when `s` starts with the ASCII `prefix`, ignoring case.
bool StartsWithFolded(const Text& s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size() || at > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Fold(s[at + i]) != static_cast<char32_t>(prefix[i])) return false;
  }
  return true;
}
bool EqualsFolded(const Text& s, size_t from, size_t to, std::string_view word) {
  return to - from == word.size() && StartsWithFolded(s, from, word);
}

template <typename Pred>
bool All(const Text& s, size_t from, size_t to, Pred&& pred) {
  for (size_t i = from; i < to; ++i) {
    if (!pred(s[i])) return false;
  }
  return true;
}

// The '.'-separated pieces of s[from, to).
std::vector<std::pair<size_t, size_t>> Labels(const Text& s, size_t from, size_t to) {
  std::vector<std::pair<size_t, size_t>> labels;
  size_t start = from;
  for (size_t i = from; i <= to; ++i) {
    if (i == to || s[i] == '.') {
      labels.emplace_back(start, i);
      start = i + 1;
    }
  }
  return labels;
}

// (([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59}), all of s[from, to).
bool IsHostWithTld(const Text& s, size_t from, size_t to) {
  const auto labels = Labels(s, from, to);
  for (size_t i = 0; i + 1 < labels.size(); ++i) {
    if (labels[i].first == labels[i].second || !All(s, labels[i].first, labels[i].second, IsLabelChar)) return false;
  }
  const auto [a, b] = labels.back();
  if (b - a >= 2 && b - a <= 63 && All(s, a, b, IsAsciiLetter)) return true;
  return StartsWithFolded(s, a, "xn--") && b - a >= 6 && b - a <= 63 &&
         All(s, a + 4, b, [](char32_t c) { return IsPyWordChar(c) || c == '%'; });
}

// ([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil), all of s[from, to).
bool IsBasicDomain(const Text& s, size_t from, size_t to) {
  const auto labels = Labels(s, from, to);
  if (labels.size() < 2) return false;
  for (size_t i = 0; i + 1 < labels.size(); ++i) {
    const size_t n = labels[i].second - labels[i].first;
    if (n < 2 || n > 63 || !All(s, labels[i].first, labels[i].second, IsLabelChar)) return false;
  }
  const auto [a, b] = labels.back();
  for (std::string_view tld : {"com", "net", "int", "edu", "gov", "org", "info", "mil"}) {
    if (EqualsFolded(s, a, b, tld)) return true;
  }
  return false;
}

// \d{1,3}(\.\d{1,3}){3}
bool IsIpv4(const Text& s, size_t from, size_t to) {
  const auto labels = Labels(s, from, to);
  if (labels.size() != 4) return false;
  for (const auto& [a, b] : labels) {
    if (b - a < 1 || b - a > 3 || !All(s, a, b, IsPyDecimal)) return false;
  }
  return true;
}

// \[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}]
bool IsIpv6(const Text& s, size_t from, size_t to) {
  if (to - from < 2 || s[from] != '[' || s[to - 1] != ']') return false;
  size_t i = from + 1;
  const size_t end = to - 1;
  for (int group = 0; group < 2; ++group) {
    size_t hex = 0;
    while (i < end && IsHexDigit(s[i]) && hex < 4) ++i, ++hex;
    if (i >= end || s[i] != ':') return false;
    ++i;
  }
  // Then at most six pieces of up to four hex digits, each maybe followed by ':' (taking
  // as much as possible per piece needs the fewest pieces).
  int pieces = 0;
  while (i < end) {
    size_t hex = 0;
    while (i < end && IsHexDigit(s[i]) && hex < 4) ++i, ++hex;
    if (i < end && s[i] == ':') ++i;
    else if (hex == 0) return false;  // a character that is neither hex nor ':'
    ++pieces;
  }
  return pieces <= 6;
}

// The host part of _http_re (before the optional port), all of s[0, to).
bool IsHttpHost(const Text& s, size_t to) {
  size_t scheme = 0;
  if (StartsWithFolded(s, 0, "https://")) scheme = 8;
  else if (StartsWithFolded(s, 0, "http://")) scheme = 7;
  const size_t www = StartsWithFolded(s, 0, "www.") ? 4 : 0;
  if (scheme != 0 && scheme <= to &&
      (IsHostWithTld(s, scheme, to) || IsIpv4(s, scheme, to) || IsIpv6(s, scheme, to))) {
    return true;
  }
  if (www != 0 && www <= to && IsHostWithTld(s, www, to)) return true;
  return IsBasicDomain(s, 0, to);
}

// Returns true when `s` matches jinja2.utils._http_re: a host, an optional :port, an
// optional path starting with / ? or #.
bool IsHttpUrl(const Text& s) {
  // The host cannot hold / ? # after its scheme, so the path starts at the first of them.
  const size_t scheme = StartsWithFolded(s, 0, "https://") ? 8 : StartsWithFolded(s, 0, "http://") ? 7 : 0;
  for (size_t skip : {scheme, size_t{0}}) {
    size_t path = s.size();
    for (size_t i = skip; i < s.size(); ++i) {
      if (s[i] == '/' || s[i] == '?' || s[i] == '#') {
        path = i;
        break;
      }
    }
    if (IsHttpHost(s, path)) return true;
    // ...or the host ends with a port (:1 to :99999).
    size_t digits = 0;
    while (digits < path && IsPyDecimal(s[path - 1 - digits])) ++digits;
    if (digits >= 1 && digits <= 5 && digits < path && s[path - 1 - digits] == ':' &&
        IsHttpHost(s, path - 1 - digits)) {
      return true;
    }
  }
  return false;
}

// Returns true when `s` matches ^\S+@\w[\w.-]*\.\w+$ (no word holds whitespace).
bool IsEmail(const Text& s, size_t from) {
  const size_t at = s.rfind(U'@');
  if (at == Text::npos || at <= from) return false;
  const size_t domain = at + 1;
  if (domain >= s.size() || !IsPyWordChar(s[domain])) return false;
  if (!All(s, domain, s.size(), [](char32_t c) { return IsPyWordChar(c) || c == '.' || c == '-'; })) return false;
  const size_t dot = s.rfind(U'.');
  return dot != Text::npos && dot > domain && dot + 1 < s.size() && All(s, dot + 1, s.size(), IsPyWordChar);
}

size_t Count(const Text& s, const Text& needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != Text::npos; at = s.find(needle, at + needle.size())) ++n;
  return n;
}

struct UrlizeOptions {
  const Value* trim_url_limit = nullptr;
  std::string rel_attr, target_attr;
  std::vector<Text> extra_schemes;
};

Text TrimUrl(const Text& url, const UrlizeOptions& o) {
  if (o.trim_url_limit == nullptr) return url;
  const Value& limit = *o.trim_url_limit;
  if (!limit.is_int() && !limit.is_bool()) {
    if (limit.is_float()) {
      if (static_cast<double>(url.size()) <= limit.as_float()) return url;
      Throw("slice indices must be integers or None or have an __index__ method");
    }
    Throw("'>' not supported between instances of 'int' and '" + std::string(PyTypeName(limit)) + "'");
  }
  int64_t n = limit.is_bool() ? limit.as_bool() : limit.as_int();
  if (static_cast<int64_t>(url.size()) <= n) return url;
  if (n < 0) n = std::max<int64_t>(0, static_cast<int64_t>(url.size()) + n);
  return url.substr(0, static_cast<size_t>(n)) + U"...";
}

Text Link(const Text& href, const Text& text, const UrlizeOptions& o) {
  return U"<a href=\"" + href + U"\"" + Decode(o.rel_attr) + Decode(o.target_attr) + U">" + text + U"</a>";
}

// One whitespace-free (or all-whitespace) word of the escaped text.
Text UrlizeWord(Text middle, const UrlizeOptions& o) {
  Text head, tail;
  const Text lt = U"&lt;", gt = U"&gt;";
  size_t h = 0;
  while (true) {
    if (h < middle.size() && (middle[h] == '(' || middle[h] == '<')) ++h;
    else if (middle.compare(h, 4, lt) == 0) h += 4;
    else break;
  }
  head = middle.substr(0, h);
  middle.erase(0, h);
  size_t t = middle.size();
  while (true) {
    if (t > 0 && (middle[t - 1] == ')' || middle[t - 1] == '>' || middle[t - 1] == '.' || middle[t - 1] == ',' ||
                  middle[t - 1] == '\n')) {
      --t;
    } else if (t >= 4 && middle.compare(t - 4, 4, gt) == 0) {
      t -= 4;
    } else {
      break;
    }
  }
  tail = middle.substr(t);
  middle.resize(t);
  // Parentheses the URL opens take their closing ones back from the tail.
  for (const auto& [open, close] : {std::pair<Text, Text>{U"(", U")"}, {U"<", U">"}, {lt, gt}}) {
    const size_t opens = Count(middle, open);
    if (opens <= Count(middle, close)) continue;
    const size_t moves = std::min(opens, Count(tail, close));
    for (size_t k = 0; k < moves; ++k) {
      const size_t end = tail.find(close) + close.size();
      middle += tail.substr(0, end);
      tail.erase(0, end);
    }
  }
  if (IsHttpUrl(middle)) {
    const bool has_scheme = middle.compare(0, 8, U"https://") == 0 || middle.compare(0, 7, U"http://") == 0;
    middle = Link(has_scheme ? middle : U"https://" + middle, TrimUrl(middle, o), o);
  } else if (middle.compare(0, 7, U"mailto:") == 0 && IsEmail(middle, 7)) {
    middle = U"<a href=\"" + middle + U"\">" + middle.substr(7) + U"</a>";
  } else if (middle.find(U'@') != Text::npos && middle.compare(0, 4, U"www.") != 0 &&
             middle.find(U':') == Text::npos && IsEmail(middle, 0)) {
    middle = U"<a href=\"mailto:" + middle + U"\">" + middle + U"</a>";
  } else {
    for (const Text& scheme : o.extra_schemes) {
      if (middle != scheme && middle.compare(0, scheme.size(), scheme) == 0) middle = Link(middle, middle, o);
    }
  }
  return head + middle + tail;
}

// ^([\w.+-]{2,}:(/){0,2})$
bool IsUriSchemePrefix(const Text& s) {
  const size_t colon = s.find(U':');
  if (colon == Text::npos || colon < 2) return false;
  if (!All(s, 0, colon, [](char32_t c) { return IsPyWordChar(c) || c == '.' || c == '+' || c == '-'; })) return false;
  const size_t slashes = s.size() - colon - 1;
  return slashes <= 2 && All(s, colon + 1, s.size(), [](char32_t c) { return c == '/'; });
}

std::string Repr(const Value& v) {
  std::string out;
  AppendPyRepr(v, out);
  return out;
}

}  // namespace

Value DoUrlize(Renderer& renderer, const Value& input, CallArgs& args) {
  UrlizeOptions o;
  if (const Value* limit = args.Get(0, "trim_url_limit"); limit != nullptr && !limit->is_none()) o.trim_url_limit = limit;
  // rel: the given words, "nofollow" when asked, and the default policy's "noopener", sorted.
  std::set<std::string> rel_parts;
  if (const Value* rel = args.Get(3, "rel"); rel != nullptr && rel->Truthy()) {
    if (!rel->is_string()) Throw("'" + std::string(PyTypeName(*rel)) + "' object has no attribute 'split'");
    for (std::string& word : PySplit(rel->as_string(), nullptr, -1)) rel_parts.insert(std::move(word));
  }
  if (const Value* nofollow = args.Get(1, "nofollow"); nofollow != nullptr && nofollow->Truthy()) rel_parts.insert("nofollow");
  rel_parts.insert("noopener");
  std::string rel;
  for (const std::string& part : rel_parts) rel += (rel.empty() ? "" : " ") + part;
  o.rel_attr = " rel=\"" + EscapeHtml(rel) + "\"";
  if (const Value* target = args.Get(2, "target"); target != nullptr && target->Truthy()) {
    o.target_attr = " target=\"" + EscapeHtml(PyStr(*target)) + "\"";
  }
  if (const Value* schemes = args.Get(4, "extra_schemes"); schemes != nullptr && !schemes->is_none()) {
    for (const Value& scheme : Iterate(*schemes)) {
      if (!scheme.is_string()) Throw("expected string or bytes-like object, got '" + std::string(PyTypeName(scheme)) + "'");
      Text prefix = Decode(scheme.as_string());
      if (!IsUriSchemePrefix(prefix)) Throw(Repr(scheme) + " is not a valid URI scheme prefix.");
      o.extra_schemes.push_back(std::move(prefix));
    }
  }
  const Text text = Decode(input.is_undefined() ? std::string() : EscapeHtml(PyStr(input)));
  Text out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    const bool space = IsPySpace(text[i]);
    while (j < text.size() && IsPySpace(text[j]) == space) ++j;
    out += space ? text.substr(i, j - i) : UrlizeWord(text.substr(i, j - i), o);
    CheckValueBytes(out.size() * 4);
    renderer.Charge(1);
    i = j;
  }
  return Value::String(Encode(out));
}

}  // namespace tunepack::jinja
