#include "tunepack/quality/pii.h"

#include <gtest/gtest.h>

namespace tunepack::quality {
namespace {

std::string Redact(std::string_view text, PiiCounts* counts = nullptr, PiiOptions options = {}) {
  std::string out;
  PiiCounts c = RedactPii(text, options, &out);
  if (counts) *counts = c;
  return out;
}

size_t Count(const PiiCounts& c, PiiKind k) { return c.by_kind[static_cast<size_t>(k)]; }

TEST(PiiTest, Emails) {
  PiiCounts c;
  EXPECT_EQ(Redact("Mail jane.doe+tag@mail.example.co.uk or (bob@x.org).", &c),
            "Mail [EMAIL] or ([EMAIL]).");
  EXPECT_EQ(Count(c, PiiKind::kEmail), 2u);
  EXPECT_EQ(Redact("user@localhost and @handle and a@b.c"), "user@localhost and @handle and a@b.c");
}

TEST(PiiTest, PublicIpv4RedactedPrivateKept) {
  PiiCounts c;
  EXPECT_EQ(Redact("from 8.8.8.8, via 192.168.1.10 and 10.0.0.1", &c),
            "from [IP], via 192.168.1.10 and 10.0.0.1");
  EXPECT_EQ(Count(c, PiiKind::kIpv4), 1u);
  PiiOptions all;
  all.redact_private_ips = true;
  EXPECT_EQ(Redact("via 192.168.1.10", nullptr, all), "via [IP]");
  EXPECT_EQ(Redact("version 1.2.3 and 999.1.1.1 and 1.2.3.4.5"), "version 1.2.3 and 999.1.1.1 and 1.2.3.4.5");
}

TEST(PiiTest, Ipv6) {
  PiiCounts c;
  EXPECT_EQ(Redact("host 2a00:1450:4001:82a::200e up", &c), "host [IP] up");
  EXPECT_EQ(Count(c, PiiKind::kIpv6), 1u);
  EXPECT_EQ(Redact("std::vector and 12:30:45 and a::b"), "std::vector and 12:30:45 and a::b");
}

// Regression: documentation, link-local, unique-local and loopback IPv6 addresses were
// redacted although the docs say such ranges are kept (as private IPv4 ones are).
TEST(PiiTest, ReservedIpv6KeptUnlessPrivateIpsAreRedacted) {
  const std::string text =
      "doc 2001:db8::42 and 2001:db8:85a3::8a2e:370:7334, link fe80::1ff:fe23:4567:890a, "
      "ula fd12:3456:789a::1, loop ::1";
  EXPECT_EQ(Redact(text), text);
  PiiOptions all;
  all.redact_private_ips = true;
  PiiCounts c;
  Redact(text, &c, all);
  EXPECT_EQ(Count(c, PiiKind::kIpv6), 4u);  // "::1" is too short to be taken for an address
}

// Regression: an IPv4 address in parentheses was taken for a phone number ("[PHONE])").
TEST(PiiTest, Ipv4InParenthesesIsAnAddress) {
  EXPECT_EQ(Redact("the server (172.217.16.142) and [8.8.4.4]"), "the server ([IP]) and [[IP]]");
}

// Regression: national numbers written with spaces only were missed.
TEST(PiiTest, NationalNumbersWithSpaces) {
  EXPECT_EQ(Redact("Paris 01 42 98 44 34, London 020 3221 1162, Berlin 030 54603533."),
            "Paris [PHONE], London [PHONE], Berlin [PHONE].");
  EXPECT_EQ(Redact("(089 1234567) and ((415) 555-0134)"), "([PHONE]) and ([PHONE])");
}

// Regression: each of these was redacted as a phone number.
TEST(PiiTest, NumbersThatAreNotPhones) {
  for (const char* text : {
           "ISBN 978-0-13-110362-7",            // an ISBN-13 (valid check digit)
           "see 978-0-13-110362-7 for details",  // the same without the label
           "ISBN 0-306-40615-2",                 // an ISBN-10
           "Windows 10.0.19045.2965",            // a four-part version
           "pi is 3.14159265358979",             // a long decimal
           "card 4111 1111 1111 1112",           // 16 digits that fail Luhn
           "card 3782-822463-10006",             // an Amex-like grouping
           "at 2022-12-31 23:59:59 UTC",         // a timestamp
           "at 2023-04-05T10:20:30Z",            // an ISO timestamp
           "ids 1 234 567 890 and 123e4567-e89b-12d3-a456-426614174000",
       }) {
    EXPECT_EQ(Redact(text), text);
  }
}

// Regression: secrets assigned to names that contain the secret word were missed, and code
// that merely names a secret was redacted.
TEST(PiiTest, SecretsAssignedToSecretNames) {
  EXPECT_EQ(Redact("ACCESS_TOKEN = a8Fk29dkQm3LzP0xWv7N"), "ACCESS_TOKEN = [SECRET]");
  EXPECT_EQ(Redact("{\"api_secret\": \"Zx81kLmN02pQrs7T\"}"), "{\"api_secret\": \"[SECRET]\"}");
  EXPECT_EQ(Redact("db_password=\"s3cr3t-Pa55word\""), "db_password=\"[SECRET]\"");
  for (const char* code : {"secret = secrets.token_hex(16)", "password = getpass.getpass()",
                           "token = os.environ['API_TOKEN']", "API_KEY = config.get('api_key')",
                           "client_secret: ${CLIENT_SECRET}", "password: ********",
                           "if password == stored_password_hash:"}) {
    EXPECT_EQ(Redact(code), code);
  }
}

TEST(PiiTest, PhoneNumbers) {
  PiiCounts c;
  EXPECT_EQ(Redact("Call +1 (555) 123-4567 or 555.123.4567 or +44 20 7946 0958.", &c),
            "Call [PHONE] or [PHONE] or [PHONE].");
  EXPECT_EQ(Count(c, PiiKind::kPhone), 3u);
  // Years, counts and plain long numbers are not phone numbers.
  EXPECT_EQ(Redact("in 1990 2000 2001 2002 we sold 1234567890123 units"),
            "in 1990 2000 2001 2002 we sold 1234567890123 units");
}

TEST(PiiTest, Secrets) {
  PiiCounts c;
  std::string text =
      "key sk-abcdefghijklmnopqrstuvwxyz0123 and AKIAIOSFODNN7EXAMPLE and "
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789 and api_key = \"a8f3kd93jf83\" and "
      "password: hunter2isnotsecure9";
  EXPECT_EQ(Redact(text, &c),
            "key [SECRET] and [SECRET] and [SECRET] and api_key = \"[SECRET]\" and "
            "password: [SECRET]");
  EXPECT_EQ(Count(c, PiiKind::kSecret), 5u);
  EXPECT_EQ(Redact("the token is valid; password: short"), "the token is valid; password: short");
}

TEST(PiiTest, PrivateKeyBlock) {
  EXPECT_EQ(Redact("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nb"),
            "a\n[SECRET]\nb");
}

TEST(PiiTest, KindsCanBeSwitchedOff) {
  PiiOptions options;
  options.enabled[static_cast<size_t>(PiiKind::kEmail)] = false;
  EXPECT_EQ(Redact("jane@example.com", nullptr, options), "jane@example.com");
}

TEST(PiiTest, NothingToFindIsIdentity) {
  std::string text = "Plain prose, with numbers like 42 and 3.14, stays as it is.";
  PiiCounts c;
  EXPECT_EQ(Redact(text, &c), text);
  EXPECT_EQ(c.total(), 0u);
}

}  // namespace
}  // namespace tunepack::quality

namespace tunepack::quality {
namespace {

PiiOptions CardsAndIbans() {
  PiiOptions options;
  options.enabled[static_cast<size_t>(PiiKind::kCard)] = true;
  options.enabled[static_cast<size_t>(PiiKind::kIban)] = true;
  return options;
}

TEST(PiiTest, CardsPassingLuhnWhenAskedFor) {
  const std::string text = "pay with 4111 1111 1111 1111 or 3782-822463-10005 or 5555555555554444.";
  EXPECT_EQ(Redact(text), text);  // not a default kind
  PiiCounts c;
  EXPECT_EQ(Redact(text, &c, CardsAndIbans()), "pay with [CARD] or [CARD] or [CARD].");
  EXPECT_EQ(Count(c, PiiKind::kCard), 3u);
  // Luhn failures, too short, and an ISBN stay.
  for (const char* kept : {"card 4111 1111 1111 1112", "order 4111111111", "ISBN 978-0-13-110362-7"}) {
    EXPECT_EQ(Redact(kept, nullptr, CardsAndIbans()), kept);
  }
}

TEST(PiiTest, IbansPassingMod97WhenAskedFor) {
  PiiCounts c;
  EXPECT_EQ(Redact("to DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432.", &c, CardsAndIbans()),
            "to [IBAN] or [IBAN].");
  EXPECT_EQ(Count(c, PiiKind::kIban), 2u);
  EXPECT_EQ(Redact("to DE88 3704 0044 0532 0130 00", nullptr, CardsAndIbans()),
            "to DE88 3704 0044 0532 0130 00");  // wrong check digits
}

// Regression (found by the corpus): the digit groups of an IBAN-shaped string with wrong check
// digits were taken for a phone number ("0671 8745 23") or a card ("4869 7832 4554 03").
TEST(PiiTest, DigitsInsideAnAccountNumberAreNotPhonesOrCards) {
  for (const char* text : {"IBAN NL08 ABNA 0671 8745 23", "IBAN GB29 NWBK 4869 7832 4554 03"}) {
    EXPECT_EQ(Redact(text), text);
    EXPECT_EQ(Redact(text, nullptr, CardsAndIbans()), text);
  }
}

}  // namespace
}  // namespace tunepack::quality
