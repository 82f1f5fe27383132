#include "ingest/pdf_protocol.h"

#include <gtest/gtest.h>

#include "tunepack/ingest/rejection.h"

namespace tunepack::ingest::internal {
namespace {

constexpr std::string_view kDocument =
    R"({"type":"document","version":1,"pages":2,"encrypted":false,"title":"T"})"
    "\n";
constexpr std::string_view kPage1 =
    R"({"type":"page","page":1,"width":612,"height":792,"label":"i"})"
    "\n";
constexpr std::string_view kRun =
    R"({"type":"run","page":1,"x0":72,"y0":70,"x1":100.5,"y1":82,"size":12,"bold":true,)"
    R"("italic":false,"mono":false,"space":true,"font":"F+Serif-Bold","text":"Hello"})"
    "\n";

std::string ReasonOf(const Result<PdfContent>& result) {
  if (result.has_value()) return "ok";
  const std::optional<RejectReason> reason = RejectionReasonOf(result.error());
  return reason ? std::string(RejectReasonName(*reason)) : "no reason";
}

TEST(PdfProtocolTest, ParsesDocumentPagesAndRuns) {
  const std::string output = std::string(kDocument) + std::string(kPage1) + std::string(kRun) +
                             R"({"type":"page","page":2,"width":612,"height":792,"label":"2"})"
                             "\n" R"({"type":"end","pages":2,"runs":1})" "\n";
  Result<PdfContent> content = ParsePdfProtocol(output);
  ASSERT_TRUE(content.has_value()) << content.error().ToString();
  EXPECT_EQ(content->page_count, 2u);
  EXPECT_EQ(content->title, "T");
  ASSERT_EQ(content->pages.size(), 2u);
  EXPECT_EQ(content->pages[0].label, "i");
  ASSERT_EQ(content->runs.size(), 1u);
  const PdfRun& run = content->runs[0];
  EXPECT_EQ(run.page, 1u);
  EXPECT_FLOAT_EQ(run.x1, 100.5f);
  EXPECT_FLOAT_EQ(run.size, 12);
  EXPECT_TRUE(run.bold);
  EXPECT_TRUE(run.space_after);
  EXPECT_EQ(run.text, "Hello");
}

TEST(PdfProtocolTest, HelperErrorsBecomeTheirReasons) {
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(
                R"({"type":"error","reason":"encrypted","message":"needs a password"})")),
            "encrypted_pdf");
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(
                R"({"type":"error","reason":"damaged","message":"no xref"})")),
            "corrupt_pdf");
}

TEST(PdfProtocolTest, RejectsCutShortAndMalformedOutput) {
  EXPECT_EQ(ReasonOf(ParsePdfProtocol("")), "pdf_helper_failed");
  // No "end": the helper died mid-way.
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(std::string(kDocument) + std::string(kPage1))),
            "pdf_helper_failed");
  // A run before its page, a page out of range, counts that disagree, bad JSON.
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(std::string(kDocument) + std::string(kRun))),
            "pdf_helper_failed");
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(
                std::string(kDocument) +
                R"({"type":"page","page":3,"width":1,"height":1,"label":""})")),
            "pdf_helper_failed");
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(std::string(kDocument) + std::string(kPage1) +
                                      R"({"type":"end","pages":2,"runs":5})")),
            "pdf_helper_failed");
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(std::string(kDocument) + "{not json\n")),
            "pdf_helper_failed");
  // Wrong protocol version names the fix.
  Result<PdfContent> old = ParsePdfProtocol(
      R"({"type":"document","version":9,"pages":1,"encrypted":false,"title":""})");
  ASSERT_FALSE(old.has_value());
  EXPECT_NE(old.error().message().find("reinstall tunepack-pdf"), std::string::npos);
}

TEST(PdfProtocolTest, RejectsNonFiniteAndHugeNumbers) {
  const std::string prefix = std::string(kDocument) + std::string(kPage1);
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(
                prefix + R"({"type":"run","page":1,"x0":1e300,"y0":0,"x1":1,"y1":1,"size":1,)"
                         R"("bold":false,"italic":false,"mono":false,"space":false,"text":"a"})")),
            "pdf_helper_failed");
  EXPECT_EQ(ReasonOf(ParsePdfProtocol(
                prefix + R"({"type":"run","page":1,"x0":0,"y0":0,"x1":1,"y1":1,"size":-2,)"
                         R"("bold":false,"italic":false,"mono":false,"space":false,"text":"a"})")),
            "pdf_helper_failed");
}

}  // namespace
}  // namespace tunepack::ingest::internal
