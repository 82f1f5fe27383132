// The command line itself: what a user sees when they mistype a command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/run.h"

namespace tunepack {
namespace {

using ::testing::HasSubstr;
using testing::RunShell;

TEST(CliTest, MisspelledCommandSuggestsTheClosestOne) {
  auto result = RunShell("tunepack exprot in.jsonl -o out 2>&1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr("unknown command 'exprot'; did you mean 'export'?"));
  EXPECT_THAT(RunShell("tunepack valdiate x.jsonl 2>&1").out, HasSubstr("did you mean 'validate'?"));
  EXPECT_THAT(RunShell("tunepack stat x 2>&1").out, HasSubstr("did you mean 'stats'?"));
}

TEST(CliTest, UnrelatedWordListsTheCommands) {
  auto result = RunShell("tunepack frobnicate 2>&1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr("unknown command 'frobnicate'; the commands are export, convert"));
}

TEST(CliTest, KnownCommandsAndFlagsAreUntouched) {
  EXPECT_EQ(RunShell("tunepack --version >/dev/null 2>&1").exit_code, 0);
  EXPECT_EQ(RunShell("tunepack formats >/dev/null 2>&1").exit_code, 0);
}

}  // namespace
}  // namespace tunepack
