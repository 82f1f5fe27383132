// Cancelling a running export: RunExport returns Cancelled soon after CancelToken::Cancel(),
// whenever the reader sees it (the writer must not wait for a task that was never submitted).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>

#include "support/temp_dir.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {
namespace {

// Cancels the run when the first record is written: the reader still has most of the input
// ahead, so it sees the cancellation while numbering a task.
class CancelOnFirstWrite : public EventSubscriber {
 public:
  explicit CancelOnFirstWrite(CancelToken& token) : token_(token) {}
  void OnEvent(const Event& event) override {
    if (event.kind == EventKind::kRecordWritten) token_.Cancel();
  }

 private:
  CancelToken& token_;
};

TEST(ExportCancelTest, CancelWhileReadingReturnsCancelledInsteadOfHanging) {
  testing::TempDir dir;
  // 20 MB: about twenty 1 MB tasks, more than the queue holds, so the reader is still
  // numbering tasks when the first record is written.
  const std::string padding(80, 'x');
  std::string lines;
  for (int i = 0; i < 200000; ++i) lines += R"({"text": "record )" + std::to_string(i) + " " + padding + "\"}\n";
  testing::WriteFile(dir / "in.jsonl", lines);
  Result<ExportOptions> options = ExportOptionsFromJson(
      R"({"inputs": [")" + (dir / "in.jsonl").string() + R"("], "output": ")" + (dir / "out").string() +
      R"(", "format": "jsonl", "jobs": 2})");
  ASSERT_TRUE(options.has_value()) << options.error().message();

  CancelToken token;
  CancelOnFirstWrite subscriber(token);
  auto run = std::async(std::launch::async, [&] { return RunExport(*options, subscriber, &token); });
  if (run.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    // A hung export cannot be joined; end the test binary instead of hanging it.
    std::fprintf(stderr, "FAILED: the export did not stop within 20 s of Cancel()\n");
    std::_Exit(1);
  }
  Result<ExportSummary> summary = run.get();
  ASSERT_FALSE(summary.has_value());
  EXPECT_EQ(summary.error().code(), StatusCode::kCancelled) << summary.error().message();
}

}  // namespace
}  // namespace tunepack::pipeline
