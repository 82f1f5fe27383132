// The command line itself: what a user sees when they mistype a command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

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

// A run that names its command builds only that command (commands.cc): every command that
// `tunepack --help` lists must still be found under its own name and print its own help.
TEST(CliTest, EveryListedCommandRunsOnItsOwn) {
  const std::string help = RunShell("tunepack --help").out;
  const size_t list = help.find("Subcommands:\n");
  ASSERT_NE(list, std::string::npos) << help;
  std::istringstream lines(help.substr(list + 13));
  std::vector<std::string> commands;
  std::string line;
  while (std::getline(lines, line) && line.rfind("  ", 0) == 0) {
    commands.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  EXPECT_GE(commands.size(), 18u) << help;
  for (const std::string& command : commands) {
    SCOPED_TRACE(command);
    auto result = RunShell("tunepack " + command + " --help 2>&1");
    EXPECT_EQ(result.exit_code, 0) << result.out;
    EXPECT_THAT(result.out, HasSubstr("tunepack " + command + " [OPTIONS]"));
  }
}

}  // namespace
}  // namespace tunepack
