#include "tunepack/quality/pii.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace tunepack::quality {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsHex(char c) { return IsDigit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f'); }
bool IsTokenChar(char c) { return IsAlnum(c) || c == '_' || c == '-'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool StartsWithNoCase(std::string_view text, size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[at + i]) != word[i]) return false;
  }
  return true;
}

// E-mail: local part and domain grown outwards from each '@'; the domain needs a dot and
// an alphabetic top-level label of two or more letters.
void FindEmails(std::string_view t, std::vector<PiiMatch>* out) {
  auto local = [](char c) { return IsAlnum(c) || std::strchr("._%+-", c) != nullptr; };
  auto domain = [](char c) { return IsAlnum(c) || c == '.' || c == '-'; };
  for (size_t at = t.find('@'); at != std::string_view::npos; at = t.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && local(t[begin - 1])) --begin;
    while (begin < at && t[begin] == '.') ++begin;
    if (begin == at) continue;
    size_t end = at + 1;
    while (end < t.size() && domain(t[end])) ++end;
    while (end > at + 1 && (t[end - 1] == '.' || t[end - 1] == '-')) --end;
    std::string_view host = t.substr(at + 1, end - at - 1);
    size_t dot = host.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || host.find("..") != std::string_view::npos)
      continue;
    std::string_view tld = host.substr(dot + 1);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), IsAlpha)) continue;
    out->push_back({PiiKind::kEmail, begin, end});
  }
}

bool IsPrivateIpv4(const int o[4]) {
  return o[0] == 10 || o[0] == 127 || o[0] == 0 || (o[0] == 169 && o[1] == 254) ||
         (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168) ||
         (o[0] == 192 && o[1] == 0 && o[2] == 2) || (o[0] == 198 && o[1] == 51 && o[2] == 100) ||
         (o[0] == 203 && o[1] == 0 && o[2] == 113) || o[0] >= 224;
}

// Parses a dotted quad at `at`; returns its end or 0.
size_t ParseIpv4(std::string_view t, size_t at, int octets[4]) {
  size_t pos = at;
  for (int k = 0; k < 4; ++k) {
    if (k > 0) {
      if (pos >= t.size() || t[pos] != '.') return 0;
      ++pos;
    }
    size_t digits = 0;
    int value = 0;
    while (pos < t.size() && IsDigit(t[pos]) && digits < 4) value = value * 10 + (t[pos++] - '0'), ++digits;
    if (digits == 0 || digits > 3 || value > 255) return 0;
    octets[k] = value;
  }
  if (pos < t.size() && (IsAlnum(t[pos]) || (t[pos] == '.' && pos + 1 < t.size() && IsDigit(t[pos + 1]))))
    return 0;
  return pos;
}

void FindIpv4(std::string_view t, const PiiOptions& options, std::vector<PiiMatch>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (!IsDigit(t[i]) || (i > 0 && (IsAlnum(t[i - 1]) || t[i - 1] == '.'))) continue;
    int octets[4];
    size_t end = ParseIpv4(t, i, octets);
    if (end == 0) continue;
    if (options.redact_private_ips || !IsPrivateIpv4(octets)) {
      out->push_back({PiiKind::kIpv4, i, end});
    }
    i = end;
  }
}

// IPv6: a run of hex digits, colons and dots with at least two colons, checked by
// inet_pton. "std::vector" is not one: the run must not start inside a word.
// Addresses that identify no one, kept unless redact_private_ips (as for IPv4): unspecified
// and loopback (::, ::1), documentation (2001:db8::/32), link-local (fe80::/10), unique local
// (fc00::/7), multicast (ff00::/8), and IPv4-mapped ones whose IPv4 address is private.
bool IsReservedIpv6(const unsigned char a[16]) {
  bool zero_prefix = true;
  for (int k = 0; k < 10; ++k) zero_prefix = zero_prefix && a[k] == 0;
  if (zero_prefix && a[10] == 0 && a[11] == 0 && a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] <= 1) return true;
  if (zero_prefix && a[10] == 0xff && a[11] == 0xff) {
    const int o[4] = {a[12], a[13], a[14], a[15]};
    return IsPrivateIpv4(o);
  }
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return true;
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return true;
  if ((a[0] & 0xfe) == 0xfc) return true;
  return a[0] == 0xff;
}

void FindIpv6(std::string_view t, const PiiOptions& options, std::vector<PiiMatch>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (!(IsHex(t[i]) || t[i] == ':')) continue;
    if (i > 0 && (IsAlnum(t[i - 1]) || t[i - 1] == ':' || t[i - 1] == '.')) continue;
    size_t end = i, colons = 0, hex = 0;
    while (end < t.size() && (IsHex(t[end]) || t[end] == ':' || t[end] == '.')) {
      colons += t[end] == ':';
      hex += IsHex(t[end]);
      ++end;
    }
    while (end > i && t[end - 1] == '.') --end;
    if (colons < 2 || hex < 4 || end - i > 45 || (end < t.size() && IsAlnum(t[end]))) {
      i = end;
      continue;
    }
    std::string candidate(t.substr(i, end - i));
    in6_addr addr;
    if (inet_pton(AF_INET6, candidate.c_str(), &addr) == 1 &&
        (options.redact_private_ips || !IsReservedIpv6(addr.s6_addr))) {
      out->push_back({PiiKind::kIpv6, i, end});
    }
    i = end;
  }
}

// Phone numbers: digit groups separated by spaces, '-', '.', '/', or in parentheses, starting
// with '+', '(' or a digit. What makes a run of digits a phone number and not another number:
// - with '+': 8 to 15 digits (E.164);
// - otherwise 10 to 15 digits, and either some punctuation ('(', '-', '.', '/') or, for
//   numbers written with spaces only, a national trunk prefix: a first group of 2-5 digits
//   starting with 0 ("01 42 98 44 34", "020 3221 1162", "030 54603533");
// and none of the shapes of other numbers: dates and times ("2022-12-31 23:59:59"), IPv4
// addresses, versions and decimals (dots that are not 3-3-4 or 2-2-2-2-2 groups), ISBNs
// (978/979 with a valid check digit, or ISBN-10 after "ISBN"), payment-card groupings
// (4-4-4-4, 4-6-5), a group of more than 8 digits without '+'.
struct DigitGroups {
  std::vector<std::string_view> groups;
  std::string separators;  // one per gap: ' ', '-', '.', '/', '(' or ')' (the strongest seen)
  size_t digits = 0;
};

DigitGroups SplitDigitGroups(std::string_view number) {
  DigitGroups g;
  size_t pos = 0;
  char gap = 0;
  while (pos < number.size()) {
    if (IsDigit(number[pos])) {
      size_t end = pos;
      while (end < number.size() && IsDigit(number[end])) ++end;
      if (!g.groups.empty()) g.separators.push_back(gap);
      g.groups.push_back(number.substr(pos, end - pos));
      g.digits += end - pos;
      gap = 0;
      pos = end;
    } else {
      const char c = number[pos++];
      if (gap == 0 || gap == ' ') gap = c;  // "(415) 555": the ')' counts, not the space
    }
  }
  return g;
}

bool ValidIsbn13(std::string_view digits) {
  if (digits.size() != 13 || !(digits.starts_with("978") || digits.starts_with("979"))) return false;
  int sum = 0;
  for (size_t i = 0; i < 13; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  return sum % 10 == 0;
}

bool LooksLikeDate(const DigitGroups& g) {
  if (g.groups.size() < 3 || g.groups[0].size() != 4 || g.groups[1].size() > 2 || g.groups[2].size() > 2) {
    return false;
  }
  const int year = std::atoi(std::string(g.groups[0]).c_str());
  const int month = std::atoi(std::string(g.groups[1]).c_str());
  return year >= 1800 && year <= 2199 && month >= 1 && month <= 12 &&
         (g.separators[0] == '-' || g.separators[0] == '/' || g.separators[0] == '.');
}

bool IsPhoneNumber(std::string_view t, size_t begin, size_t end) {
  const std::string_view number = t.substr(begin, end - begin);
  const bool plus = number[0] == '+';
  const DigitGroups g = SplitDigitGroups(number);
  if (g.digits > 15 || g.digits < (plus ? 8u : 10u)) return false;
  if (LooksLikeDate(g)) return false;
  const bool dots_only = g.separators.find_first_not_of('.') == std::string::npos && !g.separators.empty();
  const bool spaces_only = g.separators.find_first_not_of(' ') == std::string::npos;
  if (!plus && g.separators.find_first_of(".") != std::string::npos) {
    if (g.groups.size() == 4 && std::all_of(g.groups.begin(), g.groups.end(), [](auto x) { return x.size() <= 3; })) {
      return false;  // an IPv4 address
    }
    if (dots_only) {
      const bool nanp = g.groups.size() == 3 && g.groups[0].size() == 3 && g.groups[1].size() == 3 && g.groups[2].size() == 4;
      const bool pairs = g.groups.size() == 5 && g.groups[0][0] == '0' &&
                         std::all_of(g.groups.begin(), g.groups.end(), [](auto x) { return x.size() == 2; });
      if (!nanp && !pairs) return false;  // versions, decimals, dotted identifiers
    }
  }
  if (plus) return g.groups.size() == 1 || g.groups[0].size() <= 4;
  std::string digits;
  for (std::string_view group : g.groups) digits.append(group);
  if (ValidIsbn13(digits)) return false;
  if (begin >= 5 && StartsWithNoCase(t, begin - 5, "isbn ")) return false;
  for (std::string_view group : g.groups) {
    if (group.size() > 8) return false;
  }
  if (digits[0] != '0' && g.groups.size() >= 3 && g.groups[0].size() == 4 &&
      ((g.groups[1].size() == 4 && g.groups[2].size() == 4) || g.groups[1].size() == 6)) {
    return false;  // a payment-card grouping
  }
  if (spaces_only) {
    return g.groups.size() >= 2 && g.groups[0][0] == '0' && g.groups[0].size() >= 2 &&
           g.groups[0].size() <= 5 && g.digits <= 12;
  }
  return true;
}

void FindPhones(std::string_view t, std::vector<PiiMatch>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (!(IsDigit(c) || c == '+' || c == '(')) continue;
    if (i > 0 && (IsAlnum(t[i - 1]) || std::strchr("+.-/:_", t[i - 1]) != nullptr)) continue;
    size_t end = i + 1;
    while (end < t.size()) {
      const char d = t[end];
      if (IsDigit(d) || d == '(' || d == ')' || d == '-' || d == '.' || d == '/') {
        ++end;
      } else if (d == ' ' && end + 1 < t.size() && (IsDigit(t[end + 1]) || t[end + 1] == '(')) {
        ++end;
      } else {
        break;
      }
    }
    size_t stop = end;  // where the run of number characters ended, trailing punctuation included
    while (end > i && !IsDigit(t[end - 1])) --end;
    if (end == i) continue;
    // An opening parenthesis the number does not close belongs to the prose: "(089 1234567)".
    size_t begin = i;
    while (begin < end && t[begin] == '(' &&
           std::count(t.begin() + static_cast<std::ptrdiff_t>(begin), t.begin() + static_cast<std::ptrdiff_t>(end), '(') >
               std::count(t.begin() + static_cast<std::ptrdiff_t>(begin), t.begin() + static_cast<std::ptrdiff_t>(end), ')')) {
      ++begin;
    }
    // A number that goes on as a word, a time (":59") or another dotted number is not a phone.
    const bool continues = end < t.size() && (IsAlnum(t[end]) || t[end] == '_' ||
                                              ((t[end] == ':' || t[end] == '.' || t[end] == ',') &&
                                               end + 1 < t.size() && IsDigit(t[end + 1])));
    if (!continues && IsPhoneNumber(t, begin, end)) {
      out->push_back({PiiKind::kPhone, begin, end});
      i = end;
      continue;
    }
    i = std::max(i, stop - 1);  // skip the rest of this number: its tail is not a new start
  }
}

// Payment card numbers: 13 to 19 digits, bare or in groups separated by single spaces or
// hyphens, starting with an issuer prefix (Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37,
// Discover 6011/644-649/65, JCB 35, Diners 30/36/38, UnionPay 62) and passing the Luhn check.
bool LuhnValid(std::string_view digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

bool HasCardPrefix(std::string_view d) {
  auto prefix = [&](size_t n) { return std::atoi(std::string(d.substr(0, n)).c_str()); };
  const int two = prefix(2), four = prefix(4), three = prefix(3);
  return d[0] == '4' || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) || two == 34 ||
         two == 37 || four == 6011 || (three >= 644 && three <= 649) || two == 65 || two == 35 ||
         two == 30 || two == 36 || two == 38 || two == 62;
}

void FindCards(std::string_view t, std::vector<PiiMatch>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (!IsDigit(t[i]) || (i > 0 && (IsAlnum(t[i - 1]) || std::strchr("+.-_/", t[i - 1]) != nullptr))) continue;
    std::string digits;
    char separator = 0;
    size_t end = i;
    while (end < t.size() && digits.size() <= 19) {
      if (IsDigit(t[end])) {
        digits.push_back(t[end++]);
      } else if ((t[end] == ' ' || t[end] == '-') && (separator == 0 || separator == t[end]) &&
                 end + 1 < t.size() && IsDigit(t[end + 1])) {
        separator = t[end++];
      } else {
        break;
      }
    }
    const bool continues = end < t.size() && (IsAlnum(t[end]) || ((t[end] == '.' || t[end] == ',') &&
                                                                   end + 1 < t.size() && IsDigit(t[end + 1])));
    if (!continues && digits.size() >= 13 && digits.size() <= 19 && HasCardPrefix(digits) &&
        LuhnValid(digits)) {
      out->push_back({PiiKind::kCard, i, end});
    }
    i = end;
  }
}

// IBANs: a country code, two check digits and 11-30 letters or digits, bare or in groups of four
// separated by single spaces, whose ISO 7064 mod-97 remainder is 1. Every IBAN-shaped range,
// valid or not, goes to `shapes`: the digit groups inside one are not phone or card numbers.
void FindIbans(std::string_view t, std::vector<PiiMatch>* out, std::vector<PiiMatch>* shapes) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (size_t i = 0; i + 15 <= t.size(); ++i) {
    if (!upper(t[i]) || !upper(t[i + 1]) || !IsDigit(t[i + 2]) || !IsDigit(t[i + 3])) continue;
    if (i > 0 && IsAlnum(t[i - 1])) continue;
    std::string compact;
    size_t end = i;
    while (end < t.size() && compact.size() <= 34) {
      if (IsDigit(t[end]) || upper(t[end])) {
        compact.push_back(t[end++]);
      } else if (t[end] == ' ' && compact.size() % 4 == 0 && end + 1 < t.size() &&
                 (IsDigit(t[end + 1]) || upper(t[end + 1]))) {
        ++end;
      } else {
        break;
      }
    }
    if (compact.size() < 15 || compact.size() > 34 || (end < t.size() && IsAlnum(t[end]))) continue;
    shapes->push_back({PiiKind::kIban, i, end});
    const std::string rotated = compact.substr(4) + compact.substr(0, 4);
    int remainder = 0;
    for (char c : rotated) {
      const int value = IsDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = (value >= 10 ? remainder * 100 + value : remainder * 10 + value) % 97;
    }
    if (remainder == 1) out->push_back({PiiKind::kIban, i, end});
    i = end;
  }
}

// Secrets with a recognisable shape: vendor prefixes of API keys and tokens, private-key
// blocks, and values assigned to a key/secret/token/password name.
struct SecretPrefix {
  std::string_view prefix;
  size_t min_tail;  // characters after the prefix
  bool upper_alnum_only;
};
constexpr SecretPrefix kSecretPrefixes[] = {
    {"sk-", 20, false},        {"sk_live_", 16, false}, {"sk_test_", 16, false},
    {"rk_live_", 16, false},   {"ghp_", 30, false},     {"gho_", 30, false},
    {"ghu_", 30, false},       {"ghs_", 30, false},     {"ghr_", 30, false},
    {"github_pat_", 22, false}, {"glpat-", 20, false},  {"xoxb-", 10, false},
    {"xoxp-", 10, false},      {"xoxa-", 10, false},    {"AKIA", 16, true},
    {"ASIA", 16, true},        {"AIza", 35, false},     {"hf_", 30, false},
};
// Names whose value is a secret, found anywhere in an identifier (ACCESS_TOKEN, db_password,
// "api_secret", client_secret), compared in lower case.
constexpr std::string_view kSecretNameParts[] = {"password", "passwd", "pwd",         "secret",
                                                 "token",    "apikey", "api_key",     "api-key",
                                                 "access_key", "private_key", "auth_key"};

bool IsIdentifierChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }

bool NamesASecret(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = Lower(c);
  for (std::string_view part : kSecretNameParts) {
    if (lower.find(part) != std::string::npos) return true;
  }
  return false;
}

// Whether an assigned value reads as a secret rather than as code or a placeholder: code calls
// or indexes something (secrets.token_hex(16), os.environ['X']), refers to a variable ($X,
// ${X}, %X%, <your-key>), or names one (config.password); placeholders repeat one character.
bool LooksLikeSecretValue(std::string_view value, bool quoted) {
  if (value.size() < 8) return false;
  if (!quoted && value.find_first_of("([{") != std::string_view::npos) return false;
  if (std::strchr("$<%{", value[0]) != nullptr) return false;
  if (value.find_first_not_of(value[0]) == std::string_view::npos) return false;
  bool digit = false, alpha = false, other = false, dot = false;
  for (char c : value) {
    digit |= IsDigit(c);
    alpha |= IsAlpha(c);
    dot |= c == '.';
    other |= !IsAlnum(c) && c != '_' && c != '.';
  }
  if (!quoted && dot && !digit && !other) return false;  // a dotted name: settings.api_key
  return (digit && alpha) || value.size() >= 16 || (quoted && (other || digit));
}

// At `i`: a (possibly quoted) name naming a secret, then ':' '=' ':=' or '=>' (not '=='), then a
// (possibly quoted) value. Returns the value's range, or an empty range.
std::pair<size_t, size_t> AssignedSecret(std::string_view t, size_t i) {
  size_t pos = i;
  char quote = 0;
  if (t[pos] == '"' || t[pos] == '\'') quote = t[pos++];
  const size_t name_begin = pos;
  while (pos < t.size() && IsIdentifierChar(t[pos]) && pos - name_begin < 64) ++pos;
  const std::string_view name = t.substr(name_begin, pos - name_begin);
  if (name.empty() || (!IsAlpha(name[0]) && name[0] != '_')) return {0, 0};
  if (quote != 0) {
    if (pos >= t.size() || t[pos] != quote) return {0, 0};
    ++pos;
  } else if (pos < t.size() && IsIdentifierChar(t[pos])) {
    return {0, 0};
  }
  while (pos < t.size() && t[pos] == ' ') ++pos;
  if (pos >= t.size() || (t[pos] != ':' && t[pos] != '=') || !NamesASecret(name)) return {0, 0};
  if (t[pos] == ':') {
    ++pos;
    if (pos < t.size() && t[pos] == '=') ++pos;
  } else if (t[pos] == '=') {
    ++pos;
    if (pos < t.size() && t[pos] == '=') return {0, 0};  // a comparison
    if (pos < t.size() && t[pos] == '>') ++pos;
  } else {
    return {0, 0};
  }
  while (pos < t.size() && t[pos] == ' ') ++pos;
  char value_quote = 0;
  if (pos < t.size() && (t[pos] == '"' || t[pos] == '\'')) value_quote = t[pos++];
  const size_t begin = pos;
  if (value_quote != 0) {
    while (pos < t.size() && t[pos] != value_quote && t[pos] != '\n') ++pos;
    if (pos >= t.size() || t[pos] != value_quote) return {0, 0};
  } else {
    while (pos < t.size() && t[pos] > ' ' && std::strchr(",;)]}\"'", t[pos]) == nullptr) ++pos;
    while (pos > begin && t[pos - 1] == '.') --pos;  // the sentence's full stop
  }
  if (!LooksLikeSecretValue(t.substr(begin, pos - begin), value_quote != 0)) return {0, 0};
  return {begin, pos};
}

void FindSecrets(std::string_view t, std::vector<PiiMatch>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (i > 0 && IsTokenChar(t[i - 1])) continue;
    // Private-key blocks, whole.
    if (t.compare(i, 11, "-----BEGIN ") == 0) {
      size_t header_end = t.find("-----", i + 11);
      if (header_end != std::string_view::npos &&
          t.substr(i, header_end - i).find("PRIVATE KEY") != std::string_view::npos) {
        size_t end_marker = t.find("-----END ", header_end);
        if (end_marker != std::string_view::npos) {
          size_t end = t.find("-----", end_marker + 9);
          if (end != std::string_view::npos) {
            out->push_back({PiiKind::kSecret, i, end + 5});
            i = end + 4;
            continue;
          }
        }
      }
    }
    size_t prefixed_end = 0;
    for (const SecretPrefix& p : kSecretPrefixes) {
      if (t.compare(i, p.prefix.size(), p.prefix) != 0) continue;
      size_t end = i + p.prefix.size();
      while (end < t.size() && (p.upper_alnum_only ? (IsDigit(t[end]) || (t[end] >= 'A' && t[end] <= 'Z'))
                                                   : IsTokenChar(t[end]))) {
        ++end;
      }
      if (end - i - p.prefix.size() >= p.min_tail) {
        out->push_back({PiiKind::kSecret, i, end});
        prefixed_end = end;
        break;
      }
    }
    if (prefixed_end > 0) {
      i = prefixed_end - 1;
      continue;
    }
    // name = value, name: value, "name": "value"
    if (t[i] == '"' || t[i] == '\'' || IsAlpha(t[i]) || t[i] == '_') {
      if (i > 0 && (t[i - 1] == '.' || IsIdentifierChar(t[i - 1]))) continue;
      const auto [begin, end] = AssignedSecret(t, i);
      if (end > begin) {
        out->push_back({PiiKind::kSecret, begin, end});
        i = end - 1;
      }
    }
  }
}

}  // namespace

size_t PiiCounts::total() const {
  size_t n = 0;
  for (size_t c : by_kind) n += c;
  return n;
}

PiiCounts& PiiCounts::operator+=(const PiiCounts& other) {
  for (size_t k = 0; k < kPiiKinds; ++k) by_kind[k] += other.by_kind[k];
  return *this;
}

std::vector<PiiMatch> FindPii(std::string_view text, const PiiOptions& options) {
  std::vector<PiiMatch> all;
  auto on = [&](PiiKind k) { return options.enabled[static_cast<size_t>(k)]; };
  // Scanner order is the priority for findings that start at the same byte and have the
  // same length: a secret beats an e-mail, an address beats a phone number.
  if (on(PiiKind::kSecret)) FindSecrets(text, &all);
  std::vector<PiiMatch> ibans, iban_shapes;
  FindIbans(text, &ibans, &iban_shapes);
  if (on(PiiKind::kIban)) all.insert(all.end(), ibans.begin(), ibans.end());
  if (on(PiiKind::kCard)) FindCards(text, &all);
  if (on(PiiKind::kEmail)) FindEmails(text, &all);
  if (on(PiiKind::kIpv6)) FindIpv6(text, options, &all);
  if (on(PiiKind::kIpv4)) FindIpv4(text, options, &all);
  if (on(PiiKind::kPhone)) FindPhones(text, &all);
  // Digit groups inside an account number (an IBAN shape, valid or not) are not numbers of
  // their own.
  if (!iban_shapes.empty()) {
    std::erase_if(all, [&](const PiiMatch& m) {
      if (m.kind != PiiKind::kPhone && m.kind != PiiKind::kCard) return false;
      return std::any_of(iban_shapes.begin(), iban_shapes.end(), [&](const PiiMatch& shape) {
        return m.begin < shape.end && shape.begin < m.end;
      });
    });
  }
  std::stable_sort(all.begin(), all.end(), [](const PiiMatch& a, const PiiMatch& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.end - a.begin > b.end - b.begin;
  });
  std::vector<PiiMatch> kept;
  for (const PiiMatch& m : all) {
    if (!kept.empty() && m.begin < kept.back().end) continue;
    kept.push_back(m);
  }
  return kept;
}

PiiCounts RedactPii(std::string_view text, const PiiOptions& options, std::string* out) {
  PiiCounts counts;
  out->clear();
  out->reserve(text.size());
  size_t pos = 0;
  for (const PiiMatch& m : FindPii(text, options)) {
    out->append(text.substr(pos, m.begin - pos));
    out->append(options.replacement[static_cast<size_t>(m.kind)]);
    ++counts.by_kind[static_cast<size_t>(m.kind)];
    pos = m.end;
  }
  out->append(text.substr(pos));
  return counts;
}

}  // namespace tunepack::quality
