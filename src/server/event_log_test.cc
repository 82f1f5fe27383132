#include "server/event_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/temp_dir.h"

namespace tunepack::server {
namespace {

TEST(EventLogTest, NumbersEventsAndReadsThemBack) {
  testing::TempDir tmp;
  auto log = EventLog::Open((tmp / "events.jsonl").string());
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ((*log)->Append("run_started", R"({"event":"run_started","files":1})").value_or(0), 1u);
  EXPECT_EQ((*log)->Append("progress", R"({"event":"progress"})").value_or(0), 2u);
  EXPECT_EQ((*log)->last_id(), 2u);
  EXPECT_EQ((*log)->last_kind(), "progress");
  const std::vector<StoredEvent> all = (*log)->After(0, 10);
  ASSERT_EQ(all.size(), 2u);
  const nlohmann::json first = nlohmann::json::parse(all[0].json);
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["event"], "run_started");
  EXPECT_EQ(first["files"], 1);
  EXPECT_GT(first["time"].get<int64_t>(), 1700000000000);
  EXPECT_EQ(all[0].json.rfind("{\"id\":1,\"time\":", 0), 0u);
  EXPECT_EQ(all[1].kind, "progress");
  EXPECT_EQ((*log)->After(1, 10).size(), 1u);
  EXPECT_EQ((*log)->After(2, 10).size(), 0u);
  EXPECT_EQ((*log)->After(0, 1).size(), 1u);
}

TEST(EventLogTest, ReopensAndDropsATornLastLine) {
  testing::TempDir tmp;
  const std::string path = (tmp / "events.jsonl").string();
  {
    auto log = EventLog::Open(path);
    ASSERT_TRUE(log.has_value());
    ASSERT_TRUE((*log)->Append("progress", R"({"event":"progress"})").has_value());
  }
  {
    std::ofstream out(path, std::ios::app);
    out << R"({"id":2,"event":"progr)";  // a process killed mid-write
  }
  auto log = EventLog::Open(path);
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ((*log)->last_id(), 1u);
  EXPECT_EQ((*log)->Append("run_finished", R"({"event":"run_finished"})").value_or(0), 2u);
  const std::string text = testing::ReadFile(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_EQ(text.find("progr\""), std::string::npos);
  EXPECT_EQ((*log)->After(1, 1).at(0).kind, "run_finished");
}

TEST(EventLogTest, WaitWakesOnAppend) {
  testing::TempDir tmp;
  auto log = EventLog::Open((tmp / "events.jsonl").string());
  ASSERT_TRUE(log.has_value());
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (void)(*log)->Append("progress", R"({"event":"progress"})");
  });
  const auto start = std::chrono::steady_clock::now();
  (*log)->Wait(0, std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  writer.join();
  EXPECT_EQ((*log)->last_id(), 1u);
}

}  // namespace
}  // namespace tunepack::server
