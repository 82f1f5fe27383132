// ApiTest: a `tunepack serve` on a free loopback port with a temporary data folder and one
// root holding test inputs, plus helpers to call it and to run the CLI for comparison.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/server_process.h"
#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack::testing {

inline constexpr const char* kToken = "test-token-0123456789";

struct ApiReply {
  int status = 0;
  nlohmann::json body;
  std::string text;
  httplib::Headers headers;
};

inline ApiReply ToReply(const httplib::Result& result) {
  ApiReply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.text = result->body;
  reply.headers = result->headers;
  reply.body = nlohmann::json::parse(result->body, nullptr, false);
  return reply;
}

// `count` question/answer records (about 150 bytes each), for exports that take a moment.
inline std::string QaCorpus(size_t count, size_t first = 0) {
  std::string out;
  out.reserve(count * 160);
  for (size_t i = first; i < first + count; ++i) {
    const std::string n = std::to_string(i);
    out += "{\"question\": \"How does queue " + n + " handle retries of task " + n +
           "?\", \"answer\": \"Queue " + n + " retries a failed task three times, then moves it to dead letters (" +
           n + ").\"}\n";
  }
  return out;
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::weakly_canonical(tmp_ / "root");
    std::filesystem::create_directories(root_);
    WriteFile(root_ / "qa.jsonl", QaCorpus(40));
    StartServer({});
  }

  void StartServer(std::vector<std::string> extra) {
    server_ = std::make_unique<ServerProcess>();
    std::vector<std::string> args = {"--root", root_.string(), "--data-dir", (tmp_ / "data").string(),
                                     "--token", kToken};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(server_->Start(args)) << server_->stderr_text();
    client_ = server_->Client(kToken);
  }

  ApiReply Get(const std::string& path) { return ToReply(client_->Get(path.c_str())); }
  ApiReply Post(const std::string& path, const nlohmann::json& body) {
    return ToReply(client_->Post(path.c_str(), body.dump(), "application/json"));
  }
  ApiReply PostText(const std::string& path, const std::string& body) {
    return ToReply(client_->Post(path.c_str(), body, "application/json"));
  }
  ApiReply Delete(const std::string& path) { return ToReply(client_->Delete(path.c_str())); }

  // Waits until the export `id` has one of `statuses`; returns its view.
  nlohmann::json WaitFor(const std::string& id, std::set<std::string> statuses,
                         std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    nlohmann::json view;
    while (std::chrono::steady_clock::now() < deadline) {
      view = Get("/api/v1/exports/" + id).body;
      if (view.is_object() && statuses.count(view.value("status", ""))) return view;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "export " << id << " never reached the wanted status; last: " << view.dump();
    return view;
  }

  // Starts an export and waits for it to finish; returns its view.
  nlohmann::json ExportAndWait(const nlohmann::json& body) {
    ApiReply created = Post("/api/v1/exports", body);
    EXPECT_EQ(created.status, 202) << created.text;
    if (created.status != 202) return created.body;
    return WaitFor(created.body["id"], {"succeeded", "failed", "cancelled"});
  }

  // Returns the output folder of export `id` on disk.
  std::filesystem::path OutputDir(const std::string& id) const { return tmp_ / "data" / "jobs" / id / "output"; }

  // Runs `tunepack export` with `args`; returns its exit code.
  int Cli(const std::string& args) { return RunShell("tunepack export " + args + " 2>/dev/null").exit_code; }

  TempDir tmp_;
  std::filesystem::path root_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

// Expects the two folders to hold the same files with the same bytes.
inline void ExpectSameFolders(const std::filesystem::path& expected, const std::filesystem::path& actual) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(expected)) names.insert(entry.path().filename().string());
  std::set<std::string> actual_names;
  for (const auto& entry : std::filesystem::directory_iterator(actual)) {
    actual_names.insert(entry.path().filename().string());
  }
  EXPECT_EQ(names, actual_names);
  for (const std::string& name : names) {
    EXPECT_TRUE(ReadFile(expected / name) == ReadFile(actual / name)) << name << " differs";
  }
}

}  // namespace tunepack::testing
