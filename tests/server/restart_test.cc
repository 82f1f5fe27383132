// A server killed in the middle of an export (kill -9) and started again: the export shows
// `interrupted`, its event stream ends, and resume finishes it with the bytes of an
// uninterrupted run. SIGTERM stops the server cleanly.
#include "server/api_fixture.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class RestartTest : public ApiTest {};

TEST_F(RestartTest, KilledMidExportThenResumedIsByteIdentical) {
  // A checkpoint after every batch, so one is there however fast the machine is.
  server_->Kill(SIGKILL);
  setenv("TUNEPACK_CHECKPOINT_EVERY_BATCH", "1", 1);
  StartServer({});
  WriteFile(root_ / "big.jsonl", QaCorpus(200000));
  const json body = {{"inputs", {"big.jsonl"}}, {"format", "openai"}, {"map", {"user=question", "assistant=answer"}},
                     {"jobs", 1}, {"dedup", "exact"}};
  ApiReply created = Post("/api/v1/exports", body);
  ASSERT_EQ(created.status, 202) << created.text;
  const std::string id = created.body["id"];
  // Wait for a checkpoint, so there is something to resume.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline &&
         !std::filesystem::exists(OutputDir(id) / ".tunepack-partial" / "checkpoint.json")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(std::filesystem::exists(OutputDir(id) / ".tunepack-partial" / "checkpoint.json"));
  ASSERT_EQ(Get("/api/v1/exports/" + id).body["status"], "running");
  server_->Kill(SIGKILL);

  StartServer({});
  json view = Get("/api/v1/exports/" + id).body;
  EXPECT_EQ(view["status"], "interrupted") << view.dump();
  EXPECT_EQ(view["resumable"], true);
  // The event stream of the interrupted run ends with a run_finished saying so.
  ApiReply events = Get("/api/v1/exports/" + id + "/events?after=0");
  ASSERT_FALSE(events.body["events"].empty());
  EXPECT_EQ(events.body["events"].back()["event"], "run_finished");
  EXPECT_EQ(events.body["events"].back()["status"], "interrupted");
  EXPECT_EQ(events.body["finished"], true);

  ASSERT_EQ(Post("/api/v1/exports/" + id + "/resume", json::object()).status, 202);
  view = WaitFor(id, {"succeeded", "failed"}, std::chrono::seconds(120));
  ASSERT_EQ(view["status"], "succeeded") << view.dump();

  const std::filesystem::path cli = tmp_ / "cli";
  ASSERT_EQ(Cli(Quote((root_ / "big.jsonl").string()) + " -o " + Quote(cli.string()) +
                " --format openai --map user=question --map assistant=answer --dedup exact"),
            0);
  ExpectSameFolders(cli, OutputDir(id));
}

TEST_F(RestartTest, SigtermStopsCleanlyAndARestartKeepsTheJobs) {
  const json done = ExportAndWait({{"inputs", {"qa.jsonl"}}, {"format", "openai"}, {"map", {"user=question", "assistant=answer"}}});
  ASSERT_EQ(done["status"], "succeeded");
  const int status = server_->Kill(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(server_->stderr_text(), HasSubstr("tunepack: stopped"));
  StartServer({});
  const json again = Get("/api/v1/exports/" + done["id"].get<std::string>()).body;
  EXPECT_EQ(again["status"], "succeeded");
  EXPECT_EQ(again["files"], done["files"]);
}

TEST_F(RestartTest, ASecondServerCannotShareTheDataFolder) {
  ServerProcess second;
  EXPECT_FALSE(second.Start({"--data-dir", (tmp_ / "data").string(), "--token", kToken}));
  EXPECT_THAT(second.stderr_text(), HasSubstr("in use by another tunepack serve"));
}

}  // namespace
}  // namespace tunepack::testing
