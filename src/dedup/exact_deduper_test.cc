#include "tunepack/dedup/exact_deduper.h"

#include <gtest/gtest.h>

namespace tunepack::dedup {
namespace {

TEST(ExactDeduperTest, KeepsFirstAndNamesIt) {
  ExactDeduper dedup;
  EXPECT_FALSE(dedup.Insert(dedup.Key("alpha beta"), 10).duplicate);
  EXPECT_FALSE(dedup.Insert(dedup.Key("gamma"), 11).duplicate);
  Verdict v = dedup.Insert(dedup.Key("alpha   beta\n"), 12);
  EXPECT_TRUE(v.duplicate);
  EXPECT_EQ(v.kept_id, 10u);
  Verdict again = dedup.Insert(dedup.Key("alpha beta"), 13);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.kept_id, 10u);  // the first occurrence, not the previous duplicate
  EXPECT_EQ(dedup.size(), 2u);
}

TEST(ExactDeduperTest, OptionsDecideWhatIsEqual) {
  ExactDeduper strict;
  EXPECT_FALSE(strict.Insert(strict.Key("Hello."), 0).duplicate);
  EXPECT_FALSE(strict.Insert(strict.Key("hello"), 1).duplicate);
  ExactDeduper loose({.fold_case = true, .strip_punctuation = true});
  EXPECT_FALSE(loose.Insert(loose.Key("Hello."), 0).duplicate);
  EXPECT_TRUE(loose.Insert(loose.Key("hello"), 1).duplicate);
}

}  // namespace
}  // namespace tunepack::dedup
