#include "tunepack/quality/pii.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

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
void FindIpv6(std::string_view t, std::vector<PiiMatch>* out) {
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
    if (inet_pton(AF_INET6, candidate.c_str(), &addr) == 1) out->push_back({PiiKind::kIpv6, i, end});
    i = end;
  }
}

// Phone numbers: 10-15 digits in groups, starting with '+', '(' or a digit, with at least
// one of + ( - . as punctuation, so runs of years or counts separated by spaces are not
// taken for numbers.
void FindPhones(std::string_view t, std::vector<PiiMatch>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (!(IsDigit(c) || c == '+' || c == '(')) continue;
    if (i > 0 && (IsAlnum(t[i - 1]) || t[i - 1] == '+' || t[i - 1] == '.' || t[i - 1] == '-'))
      continue;
    size_t end = i, digits = 0, dots = 0;
    bool marked = c == '+';
    while (end < t.size()) {
      char d = t[end];
      if (IsDigit(d)) {
        ++digits;
      } else if (d == '(' || d == ')' || d == '-' || d == '.') {
        marked = true;
        dots += d == '.';
      } else if (d == ' ') {
        if (end + 1 >= t.size() || !(IsDigit(t[end + 1]) || t[end + 1] == '(')) break;
      } else if (!(d == '+' && end == i)) {
        break;
      }
      ++end;
    }
    while (end > i && !IsDigit(t[end - 1])) --end;
    if (end < t.size() && IsAlnum(t[end])) continue;
    int octets[4];
    if (digits < 10 || digits > 15 || !marked || (dots == 3 && ParseIpv4(t, i, octets) != 0)) continue;
    out->push_back({PiiKind::kPhone, i, end});
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
constexpr std::string_view kSecretNames[] = {"api_key", "apikey", "api-key", "access_key",
                                             "secret", "token", "password", "passwd", "pwd"};

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
    // name [suffix] ["'] [space] (:|=|=>) [space] ["'] value
    for (std::string_view name : kSecretNames) {
      if (!StartsWithNoCase(t, i, name)) continue;
      size_t pos = i + name.size();
      size_t suffix = 0;
      while (pos < t.size() && IsTokenChar(t[pos]) && suffix < 20) ++pos, ++suffix;
      if (pos < t.size() && (t[pos] == '"' || t[pos] == '\'')) ++pos;
      while (pos < t.size() && t[pos] == ' ') ++pos;
      if (pos >= t.size() || (t[pos] != ':' && t[pos] != '=')) break;
      ++pos;
      if (pos < t.size() && t[pos] == '>') ++pos;
      while (pos < t.size() && t[pos] == ' ') ++pos;
      if (pos < t.size() && (t[pos] == '"' || t[pos] == '\'')) ++pos;
      size_t begin = pos;
      bool digit = false, alpha = false;
      while (pos < t.size() && t[pos] > ' ' && t[pos] != '"' && t[pos] != '\'' && t[pos] != ',' &&
             t[pos] != ';') {
        digit |= IsDigit(t[pos]);
        alpha |= IsAlpha(t[pos]);
        ++pos;
      }
      size_t len = pos - begin;
      if ((len >= 8 && digit && alpha) || len >= 20) out->push_back({PiiKind::kSecret, begin, pos});
      break;
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
  if (on(PiiKind::kEmail)) FindEmails(text, &all);
  if (on(PiiKind::kIpv6)) FindIpv6(text, &all);
  if (on(PiiKind::kIpv4)) FindIpv4(text, options, &all);
  if (on(PiiKind::kPhone)) FindPhones(text, &all);
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
