#include "ingest/helper_process.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tunepack::ingest::internal {
namespace {

TEST(HelperProcessTest, PassesInputAndCollectsOutput) {
  Result<HelperRun> run = RunHelper("/bin/cat", {}, "hello\nworld", {});
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  EXPECT_TRUE(run->ok());
  EXPECT_EQ(run->output, "hello\nworld");
}

TEST(HelperProcessTest, KillsAHelperThatHangs) {
  HelperLimits limits;
  limits.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  Result<HelperRun> run = RunHelper("/bin/sleep", {"30"}, "", limits);
  ASSERT_TRUE(run.has_value());
  EXPECT_TRUE(run->timed_out);
  EXPECT_FALSE(run->ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(run->Describe(limits).find("timed out after 300 ms"), std::string::npos);
}

TEST(HelperProcessTest, ReportsACrashBySignal) {
  Result<HelperRun> run = RunHelper("/bin/sh", {"-c", "kill -SEGV $$"}, "", {});
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->signal, 11);
  EXPECT_NE(run->Describe({}).find("killed by signal 11"), std::string::npos);
}

TEST(HelperProcessTest, BoundsMemoryAndOutput) {
  HelperLimits limits;
  limits.address_space_bytes = 64ull << 20;
  // A 200 MB allocation fails under a 64 MB address space.
  Result<HelperRun> run = RunHelper(
      "/usr/bin/python3", {"-c", "x = bytearray(200 * 1024 * 1024)"}, "", limits);
  ASSERT_TRUE(run.has_value());
  EXPECT_FALSE(run->ok());
  limits = {};
  limits.max_output_bytes = 1000;
  run = RunHelper("/usr/bin/yes", {}, "", limits);
  ASSERT_TRUE(run.has_value());
  EXPECT_TRUE(run->output_too_large);
}

TEST(HelperProcessTest, MissingProgramIsNotFound) {
  Result<HelperRun> run = RunHelper("/nonexistent/tunepack-pdf", {}, "", {});
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tunepack::ingest::internal
