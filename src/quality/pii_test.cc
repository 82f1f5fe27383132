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
  EXPECT_EQ(Redact("host 2001:db8:85a3::8a2e:370:7334 up", &c), "host [IP] up");
  EXPECT_EQ(Count(c, PiiKind::kIpv6), 1u);
  EXPECT_EQ(Redact("std::vector and 12:30:45 and a::b"), "std::vector and 12:30:45 and a::b");
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
