#include "tunepack/dedup/decontaminator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::dedup {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

const char kQuestion[] =
    "A train leaves the station at nine and travels at sixty miles per hour toward the coast";

TEST(DecontaminatorTest, SharedThirteenGramIsContamination) {
  Decontaminator decont;
  decont.Add(kQuestion);
  // The same 13 words, different case and punctuation, inside a longer record.
  DecontaminationHit hit = decont.Check(
      "Exercise 4. A TRAIN leaves the station, at nine, and travels at sixty miles per hour "
      "(toward) the coast. Solve it.");
  EXPECT_TRUE(hit.contaminated);
  EXPECT_GE(hit.ngrams, 1u);
  EXPECT_EQ(hit.first_word, 2u);
  // Eleven shared words in a row are not enough.
  EXPECT_FALSE(decont.Check("a train leaves the station at nine and travels at sixty kilometres an hour").contaminated);
}

TEST(DecontaminatorTest, ReadsJsonlAndText) {
  tunepack::testing::TempDir dir;
  std::string path = (dir / "eval.jsonl").string();
  std::ofstream(path) << "{\"question\": \"" << kQuestion << "\", \"choices\": [\"a\", \"b\"]}\n"
                      << "plain text line with enough words to make one thirteen gram for the test\n";
  Decontaminator decont;
  ASSERT_THAT(decont.AddFile(path), IsOk());
  EXPECT_TRUE(decont.Check(kQuestion).contaminated);
  EXPECT_TRUE(decont.Check("Quote: plain text line with enough words to make one thirteen gram for the test.").contaminated);
  EXPECT_FALSE(decont.Check("an unrelated training record about something else entirely").contaminated);
}

// Before io::LineReader a read that failed ended the file early and silently: an evaluation
// set that could not be read decontaminated nothing. /proc/self/mem opens but fails to read.
TEST(DecontaminatorTest, AFileThatCannotBeReadIsAnErrorWithTheReason) {
  Decontaminator decont;
  EXPECT_THAT(decont.AddFile("/proc/self/mem"),
              StatusIs(StatusCode::kUnknown,
                       HasSubstr("evaluation file: /proc/self/mem: cannot read: Input/output error")));
  EXPECT_THAT(decont.AddFile("/nonexistent/eval.jsonl"),
              StatusIs(StatusCode::kNotFound, HasSubstr("eval.jsonl: cannot open: No such file or directory")));
  EXPECT_THAT(decont.AddFile("/dev/zero"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
  EXPECT_THAT(decont.AddFile("-"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not standard input")));
}

}  // namespace
}  // namespace tunepack::dedup
