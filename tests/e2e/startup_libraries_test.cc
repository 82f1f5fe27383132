// What a run loads: the libraries only some commands or inputs need are opened when they are
// needed (the HTTP server by `serve`, libzip by the first package read), so a run that needs
// none of them does not pay for loading them (BENCHMARKS.md, "Start-up").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunShell;
using testing::TempDir;

// The dynamic linker names every object it opens (LD_DEBUG=files) on stderr.
std::string ObjectsOpenedBy(const std::string& command) {
  const testing::CommandOutput run = RunShell("LD_DEBUG=files " + command + " 2>&1 >/dev/null");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  return run.out;
}

TEST(StartupLibrariesTest, ARunWithoutServerOrPackageLoadsNeither) {
  const std::string opened = ObjectsOpenedBy("tunepack version");
  EXPECT_THAT(opened, HasSubstr("file=libc.so.6"));
  for (const char* library : {"tunepack-server", "httplib", "libssl", "brotli", "libzip", "libcrypto"}) {
    EXPECT_THAT(opened, Not(HasSubstr(library))) << library;
  }
}

TEST(StartupLibrariesTest, ReadingAPackageLoadsLibzip) {
  TempDir dir;
  const std::string opened =
      ObjectsOpenedBy(std::string("tunepack export ") + TP_SOURCE_DIR + "/tests/data/documents/quality/manual.docx -o '" +
                      (dir / "out").string() + "' --format jsonl --progress none");
  EXPECT_THAT(opened, HasSubstr("file=libzip.so"));
  EXPECT_THAT(opened, HasSubstr("dynamically loaded by"));
  EXPECT_THAT(testing::ReadFile(dir / "out" / "train.jsonl"), Not(::testing::IsEmpty()));
}

}  // namespace
}  // namespace tunepack
