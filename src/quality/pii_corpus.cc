#include "quality/pii_corpus.h"

#include <array>
#include <functional>
#include <string_view>

namespace tunepack::quality::testing {
namespace {

// splitmix64: small, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<size_t>(hi - lo + 1))); }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) { return items[Below(N)]; }
  std::string Digits(size_t n, bool nonzero_first = false) {
    std::string s;
    for (size_t i = 0; i < n; ++i) {
      s.push_back(static_cast<char>('0' + ((i == 0 && nonzero_first) ? Between(1, 9) : Between(0, 9))));
    }
    return s;
  }
  std::string Chars(size_t n, std::string_view alphabet) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(alphabet[Below(alphabet.size())]);
    return s;
  }

 private:
  uint64_t state_;
};

constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kHex = "0123456789abcdef";

// Prose around an item: "{}" marks where it goes.
constexpr std::array<std::string_view, 16> kSentences = {
    "For questions about the invoice, the notes point to {} before the end of the week.",
    "During the migration the team wrote down {} in the shared checklist.",
    "The report from Tuesday mentions {} twice, once in the summary.",
    "According to the ticket, {} was what the customer gave us on the phone.",
    "She copied {} into the spreadsheet and went back to the agenda.",
    "Nobody remembered where {} came from, so we kept it in the appendix.",
    "In the old wiki page ({}) the details were slightly different.",
    "The auditor asked whether {} still appears in the archived emails.",
    "He read out {}, then repeated it slowly for the new colleague.",
    "Item 4 of the minutes: {}.",
    "Look for {} in the logs, it shows up right after the restart.",
    "The form had a field for it, and the answer was {}; nothing else was filled in.",
    "\"We need {} by tomorrow,\" the manager wrote in the thread.",
    "Before the meeting, the draft listed {} among the open items.",
    "It took a while to find {} again, but the backup had it.",
    "The training notes, chapter two, cite {} as an example.",
};

// Plain sentences with nothing to redact (numbers, dates and prices a redactor must leave).
constexpr std::array<std::string_view, 10> kPlainSentences = {
    "The meeting lasted two hours and ended with a short vote.",
    "Revenue grew by 12.5% in 2023, compared with 9.8% the year before.",
    "The library opens at 9:30 on weekdays and closes at 18:00.",
    "About 1,250 people attended, a little more than in 2019.",
    "The committee will meet again on 14 March to review the budget of $48,300.",
    "Chapter 7 covers sections 7.1 to 7.4 and the exercises on page 212.",
    "Three of the 24 servers were replaced in the last quarter.",
    "The trip is 340 km long and takes about 4 hours by train.",
    "Everyone agreed that the second draft read much better than the first.",
    "The survey had 18 questions and a response rate of 63 percent.",
};

std::string Name(Rng& r) {
  static constexpr std::array<std::string_view, 12> kFirst = {
      "anna", "ben", "chloe", "david", "elena", "farid", "grace", "hugo", "ines", "jonas", "kim", "lucia"};
  static constexpr std::array<std::string_view, 12> kLast = {
      "martin", "schmidt", "rossi", "dubois", "novak", "garcia", "smith", "berg", "tanaka", "silva", "kowalski", "moreau"};
  return std::string(r.Pick(kFirst)) + std::string(r.Pick(kLast));
}

// Each generator returns the item text; `lead` and `trail` wrap it inside the sentence
// (context such as "ACCESS_TOKEN = " that is not itself redacted).
struct Generated {
  std::string lead, item, trail;
};
using Generator = std::function<Generated(Rng&)>;

struct Family {
  std::string_view what;
  bool negative;
  PiiKind kind;
  Generator make;
};

Generated Email(Rng& r) {
  static constexpr std::array<std::string_view, 6> kDomains = {
      "example-mail.com", "post.de", "uni-graz.at", "mail.company.co.uk", "fastmail.fm", "orange.fr"};
  static constexpr std::array<std::string_view, 4> kShapes = {"{a}.{b}", "{a}_{b}{n}", "{a}{n}", "{a}.{b}+news"};
  const std::string first = Name(r), second = Name(r);
  std::string local(r.Pick(kShapes));
  auto put = [&](std::string_view key, const std::string& value) {
    if (size_t at = local.find(key); at != std::string::npos) local.replace(at, key.size(), value);
  };
  put("{a}", first);
  put("{b}", second);
  put("{n}", std::to_string(r.Between(1, 99)));
  return {"", local + "@" + std::string(r.Pick(kDomains)), ""};
}

Generated PhoneInternational(Rng& r) {
  switch (r.Below(8)) {
    case 0: return {"", "+33 " + r.Digits(1, true) + " " + r.Digits(2) + " " + r.Digits(2) + " " + r.Digits(2) + " " + r.Digits(2), ""};
    case 1: return {"", "+44 20 " + r.Digits(4) + " " + r.Digits(4), ""};
    case 2: return {"", "+49 30 " + r.Digits(8), ""};
    case 3: return {"", "+1 (" + r.Digits(3, true) + ") " + r.Digits(3, true) + "-" + r.Digits(4), ""};
    case 4: return {"", "+1-" + r.Digits(3, true) + "-" + r.Digits(3, true) + "-" + r.Digits(4), ""};
    case 5: return {"", "+34 9" + r.Digits(2) + " " + r.Digits(3) + " " + r.Digits(3), ""};
    case 6: return {"", "+39 06 " + r.Digits(4) + " " + r.Digits(4), ""};
    default: return {"", "+1" + r.Digits(3, true) + r.Digits(7, true), ""};
  }
}

Generated PhoneNationalSpaces(Rng& r) {
  switch (r.Below(6)) {
    case 0: return {"", "0" + r.Digits(1, true) + " " + r.Digits(2) + " " + r.Digits(2) + " " + r.Digits(2) + " " + r.Digits(2), ""};
    case 1: return {"", "020 " + r.Digits(4) + " " + r.Digits(4), ""};
    case 2: return {"", "030 " + r.Digits(8), ""};
    case 3: return {"", "06 " + r.Digits(2) + " " + r.Digits(2) + " " + r.Digits(2) + " " + r.Digits(2), ""};
    case 4: return {"", "0412 " + r.Digits(3) + " " + r.Digits(3), ""};
    default: return {"", "089 " + r.Digits(7, true), ""};
  }
}

Generated PhoneNationalPunctuated(Rng& r) {
  switch (r.Below(5)) {
    case 0: return {"", "(" + r.Digits(3, true) + ") " + r.Digits(3, true) + "-" + r.Digits(4), ""};
    case 1: return {"", r.Digits(3, true) + "-" + r.Digits(3, true) + "-" + r.Digits(4), ""};
    case 2: return {"", r.Digits(3, true) + "." + r.Digits(3, true) + "." + r.Digits(4), ""};
    case 3: return {"", "0" + r.Digits(1, true) + "." + r.Digits(2) + "." + r.Digits(2) + "." + r.Digits(2) + "." + r.Digits(2), ""};
    default: return {"", "030-" + r.Digits(8), ""};
  }
}

std::string PublicIpv4(Rng& r) {
  while (true) {
    const int a = r.Between(1, 223), b = r.Between(0, 255);
    if (a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31) ||
        (a == 192 && b == 168) || a == 192 || a == 198 || a == 203 || a == 100) {
      continue;
    }
    return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(r.Between(0, 255)) +
           "." + std::to_string(r.Between(1, 254));
  }
}

Generated Ipv4(Rng& r) {
  switch (r.Below(4)) {
    case 0: return {"(", PublicIpv4(r), ")"};
    case 1: return {"ip=", PublicIpv4(r), ""};
    case 2: return {"[", PublicIpv4(r), "]"};
    default: return {"", PublicIpv4(r), ""};
  }
}

Generated Ipv6(Rng& r) {
  std::string a = "2" + r.Chars(3, kHex);
  if (a.rfind("2001", 0) == 0) a = "2a00";
  switch (r.Below(3)) {
    case 0: return {"", a + ":" + r.Chars(4, kHex) + ":" + r.Chars(3, kHex) + "::" + r.Chars(4, kHex), ""};
    case 1: {
      std::string full = a;
      for (int i = 0; i < 7; ++i) full += ":" + r.Chars(static_cast<size_t>(r.Between(1, 4)), kHex);
      return {"", full, ""};
    }
    default: return {"(", a + ":" + r.Chars(4, kHex) + "::" + r.Chars(2, kHex), ")"};
  }
}

Generated SecretPrefixed(Rng& r) {
  switch (r.Below(6)) {
    case 0: return {"key ", "sk-" + r.Chars(40, kAlnum), ""};
    case 1: return {"", "ghp_" + r.Chars(36, kAlnum), ""};
    case 2: return {"", "AKIA" + r.Chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), ""};
    case 3: return {"", "xoxb-" + r.Digits(11) + "-" + r.Chars(24, kAlnum), ""};
    case 4: return {"", "glpat-" + r.Chars(20, kAlnum), ""};
    default: return {"", "hf_" + r.Chars(34, kAlnum), ""};
  }
}

Generated SecretAssigned(Rng& r) {
  const std::string value = r.Chars(static_cast<size_t>(r.Between(16, 40)), kAlnum);
  switch (r.Below(8)) {
    case 0: return {"ACCESS_TOKEN = ", value, ""};
    case 1: return {"{\"api_secret\": \"", value, "\"}"};
    case 2: return {"db_password=\"", value, "\""};
    case 3: return {"export API_KEY=", value, ""};
    case 4: return {"client_secret: ", value, ""};
    case 5: return {"AUTH_TOKEN='", value, "'"};
    case 6: return {"password: ", value, ""};
    default: return {"\"stripe_key\": \"", "sk_live_" + value, "\""};
  }
}

// --- hard negatives ---

std::string Isbn13(Rng& r) {
  std::string digits = "978" + r.Digits(9);
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  digits.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return digits.substr(0, 3) + "-" + digits.substr(3, 1) + "-" + digits.substr(4, 2) + "-" +
         digits.substr(6, 6) + "-" + digits.substr(12);
}

Generated Isbn(Rng& r) {
  if (r.Below(2) == 0) return {"ISBN ", Isbn13(r), ""};
  return {"", Isbn13(r), ""};
}

Generated Version(Rng& r) {
  return {"build ", std::to_string(r.Between(1, 12)) + ".0." + r.Digits(5, true) + "." + r.Digits(4, true), ""};
}

Generated Decimal(Rng& r) { return {"", std::to_string(r.Between(1, 9)) + "." + r.Digits(14), ""}; }

bool LuhnValid(const std::string& digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

Generated CardLikeNotLuhn(Rng& r) {
  std::string digits;
  do {
    digits = (r.Below(2) ? "4" : "5") + r.Digits(r.Below(3) == 0 ? 14 : 15);
  } while (LuhnValid(digits));
  const char sep = r.Below(2) ? ' ' : '-';
  if (digits.size() == 15) {
    return {"", digits.substr(0, 4) + sep + digits.substr(4, 6) + sep + digits.substr(10), ""};
  }
  return {"", digits.substr(0, 4) + sep + digits.substr(4, 4) + sep + digits.substr(8, 4) + sep + digits.substr(12), ""};
}

Generated CardLuhn(Rng& r) {
  std::string digits;
  const bool amex = r.Below(4) == 0;
  do {
    if (amex) {
      digits = std::string(r.Below(2) ? "34" : "37") + r.Digits(13);
    } else {
      const std::string prefix = r.Below(2) ? "4" : "5" + std::to_string(r.Between(1, 5));
      digits = prefix + r.Digits(16 - prefix.size());
    }
  } while (!LuhnValid(digits));
  if (amex) return {"", digits.substr(0, 4) + " " + digits.substr(4, 6) + " " + digits.substr(10), ""};
  switch (r.Below(3)) {
    case 0: return {"card ", digits, ""};
    case 1: return {"", digits.substr(0, 4) + "-" + digits.substr(4, 4) + "-" + digits.substr(8, 4) + "-" + digits.substr(12), ""};
    default: return {"", digits.substr(0, 4) + " " + digits.substr(4, 4) + " " + digits.substr(8, 4) + " " + digits.substr(12), ""};
  }
}

int Mod97(const std::string& s) {
  int remainder = 0;
  for (char c : s) {
    const int value = (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;
    remainder = (value >= 10 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder;
}

std::string Iban(Rng& r, bool valid) {
  static constexpr std::array<std::pair<std::string_view, size_t>, 5> kCountries = {
      {{"DE", 18}, {"FR", 23}, {"GB", 18}, {"ES", 20}, {"NL", 14}}};
  const auto& [country, length] = r.Pick(kCountries);
  std::string bban = country == "GB" ? "NWBK" + r.Digits(length - 4)
                     : country == "NL" ? "ABNA" + r.Digits(length - 4)
                                        : r.Digits(length);
  const int check = 98 - Mod97(bban + std::string(country) + "00");
  std::string digits = std::to_string(valid ? check : (check % 97) + 1);
  if (digits.size() == 1) digits = "0" + digits;
  std::string compact = std::string(country) + digits + bban;
  if (r.Below(2)) return compact;
  std::string grouped;
  for (size_t i = 0; i < compact.size(); i += 4) grouped += (i ? " " : "") + compact.substr(i, 4);
  return grouped;
}

Generated IbanValid(Rng& r) { return {"IBAN ", Iban(r, true), ""}; }
Generated IbanBadChecksum(Rng& r) { return {"IBAN ", Iban(r, false), ""}; }

Generated Timestamp(Rng& r) {
  char buf[40];
  std::snprintf(buf, sizeof buf, r.Below(2) ? "%04d-%02d-%02d %02d:%02d:%02d" : "%04d-%02d-%02dT%02d:%02d:%02dZ",
                r.Between(1990, 2030), r.Between(1, 12), r.Between(1, 28), r.Between(0, 23),
                r.Between(0, 59), r.Between(0, 59));
  return {"", buf, ""};
}

Generated PrivateIpv4(Rng& r) {
  switch (r.Below(5)) {
    case 0: return {"", "192.168." + std::to_string(r.Between(0, 255)) + "." + std::to_string(r.Between(1, 254)), ""};
    case 1: return {"(", "10." + std::to_string(r.Between(0, 255)) + ".0." + std::to_string(r.Between(1, 254)), ")"};
    case 2: return {"", "172.16." + std::to_string(r.Between(0, 255)) + "." + std::to_string(r.Between(1, 254)), ""};
    case 3: return {"", "203.0.113." + std::to_string(r.Between(1, 254)), ""};
    default: return {"", "127.0.0.1", ""};
  }
}

Generated ReservedIpv6(Rng& r) {
  switch (r.Below(4)) {
    case 0: return {"", "2001:db8::" + r.Chars(2, kHex), ""};
    case 1: return {"", "2001:db8:" + r.Chars(4, kHex) + "::8a2e:370:7334", ""};
    case 2: return {"", "fe80::" + r.Chars(3, kHex) + ":fe23:4567:890a", ""};
    default: return {"(", "fd12:3456:789a::1", ")"};
  }
}

Generated CodeNamingASecret(Rng& r) {
  static constexpr std::array<std::string_view, 7> kCode = {
      "secret = secrets.token_hex(16)", "password = getpass.getpass()",
      "token = os.environ['API_TOKEN']", "api_key = None", "API_KEY = config.get('api_key')",
      "client_secret: ${CLIENT_SECRET}", "password = request.form['password']"};
  return {"", std::string(r.Pick(kCode)), ""};
}

Generated OtherNumbers(Rng& r) {
  switch (r.Below(5)) {
    case 0: return {"order ", r.Digits(10, true), ""};
    case 1: return {"", r.Chars(8, kHex) + "-" + r.Chars(4, kHex) + "-" + r.Chars(4, kHex) + "-" + r.Chars(4, kHex) + "-" + r.Chars(12, kHex), ""};
    case 2: return {"", "00:1a:" + r.Chars(2, kHex) + ":3c:" + r.Chars(2, kHex) + ":5e", ""};
    case 3: return {"", std::to_string(r.Between(1, 9)) + " " + r.Digits(3) + " " + r.Digits(3) + " " + r.Digits(3), ""};
    default: return {"sha256 ", r.Chars(64, kHex), ""};
  }
}

const std::vector<Family>& Families() {
  static const std::vector<Family> families = {
      {"email", false, PiiKind::kEmail, Email},
      {"phone international", false, PiiKind::kPhone, PhoneInternational},
      {"phone national spaces", false, PiiKind::kPhone, PhoneNationalSpaces},
      {"phone national punctuated", false, PiiKind::kPhone, PhoneNationalPunctuated},
      {"ipv4 public", false, PiiKind::kIpv4, Ipv4},
      {"ipv6 public", false, PiiKind::kIpv6, Ipv6},
      {"secret prefixed", false, PiiKind::kSecret, SecretPrefixed},
      {"secret assigned", false, PiiKind::kSecret, SecretAssigned},
      {"card, Luhn-valid", false, PiiKind::kCard, CardLuhn},
      {"iban", false, PiiKind::kIban, IbanValid},
      {"iban, bad check digits", true, PiiKind::kIban, IbanBadChecksum},
      {"isbn", true, PiiKind::kPhone, Isbn},
      {"version 4 parts", true, PiiKind::kPhone, Version},
      {"long decimal", true, PiiKind::kPhone, Decimal},
      {"card-like, not Luhn", true, PiiKind::kPhone, CardLikeNotLuhn},
      {"timestamp", true, PiiKind::kPhone, Timestamp},
      {"other numbers", true, PiiKind::kPhone, OtherNumbers},
      {"ipv4 private or documentation", true, PiiKind::kIpv4, PrivateIpv4},
      {"ipv6 documentation, link-local, unique local", true, PiiKind::kIpv6, ReservedIpv6},
      {"code naming a secret", true, PiiKind::kSecret, CodeNamingASecret},
  };
  return families;
}

}  // namespace

std::vector<PiiDocument> GeneratePiiCorpus(size_t documents, uint64_t seed) {
  Rng r(seed);
  std::vector<PiiDocument> corpus(documents);
  const std::vector<Family>& families = Families();
  for (PiiDocument& document : corpus) {
    const int sentences = r.Between(4, 8);
    for (int s = 0; s < sentences; ++s) {
      if (!document.text.empty()) document.text += r.Below(4) == 0 ? "\n\n" : " ";
      if (r.Below(5) == 0) {
        document.text += r.Pick(kPlainSentences);
        continue;
      }
      const Family& family = families[r.Below(families.size())];
      const Generated g = family.make(r);
      const std::string_view sentence = r.Pick(kSentences);
      const size_t slot = sentence.find("{}");
      document.text += sentence.substr(0, slot);
      document.text += g.lead;
      PiiItem item{family.negative, family.kind, document.text.size(), 0, std::string(family.what)};
      document.text += g.item;
      item.end = document.text.size();
      document.text += g.trail;
      document.text += sentence.substr(slot + 2);
      document.items.push_back(std::move(item));
    }
  }
  return corpus;
}

}  // namespace tunepack::quality::testing
