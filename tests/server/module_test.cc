// The server lives in tunepack-server.so beside the binary, loaded by `serve` only
// (tunepack/server/server_module.h; tests/e2e/startup_libraries_test.cc checks that other
// commands do not load it): `serve` without the module fails with an error that names it.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServerModuleTest, ServeWithoutTheModuleNamesIt) {
  // The binary alone in a folder: a hard link (the binary is large), a copy across file systems.
  TempDir dir;
  const std::filesystem::path alone = dir / "tunepack";
  std::error_code linked;
  std::filesystem::create_hard_link(TP_BINARY, alone, linked);
  if (linked) std::filesystem::copy_file(TP_BINARY, alone);
  const CommandOutput run = RunShell("'" + alone.string() + "' serve --port 0 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_THAT(run.out, HasSubstr("serve needs the HTTP server module tunepack-server.so beside the tunepack binary"));
  EXPECT_THAT(run.out, HasSubstr((dir / "tunepack-server.so").string() + ": cannot open shared object file"));
  EXPECT_THAT(run.out, Not(HasSubstr("serving on")));
}

}  // namespace
}  // namespace tunepack::testing
