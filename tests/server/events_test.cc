// The event stream of an export: SSE framing, increasing ids, the final run_finished, replay
// after a reconnect (Last-Event-ID), and the same events as JSON (?after=N).
#include "server/api_fixture.h"

namespace tunepack::testing {
namespace {

using nlohmann::json;

struct SseEvent {
  uint64_t id = 0;
  std::string kind;
  json data;
};

// Parses a complete text/event-stream body.
std::vector<SseEvent> ParseStream(const std::string& body) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool any = false;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) {
      if (any) events.push_back(current);
      current = SseEvent{};
      any = false;
    } else if (line.rfind("id: ", 0) == 0) {
      current.id = std::stoull(line.substr(4));
      any = true;
    } else if (line.rfind("event: ", 0) == 0) {
      current.kind = line.substr(7);
    } else if (line.rfind("data: ", 0) == 0) {
      current.data = json::parse(line.substr(6));
    }
  }
  return events;
}

class EventsTest : public ApiTest {};

TEST_F(EventsTest, StreamsReplaysAndAnswersJson) {
  const json view = ExportAndWait({{"inputs", {"qa.jsonl"}}, {"format", "openai"},
                                   {"map", {"user=question", "assistant=answer"}}});
  ASSERT_EQ(view["status"], "succeeded");
  const std::string path = "/api/v1/exports/" + view["id"].get<std::string>() + "/events";

  httplib::Result stream = client_->Get(path.c_str());
  ASSERT_TRUE(stream);
  ASSERT_EQ(stream->status, 200);
  EXPECT_EQ(stream->get_header_value("Content-Type"), "text/event-stream");
  const std::vector<SseEvent> events = ParseStream(stream->body);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().kind, "run_started");
  EXPECT_EQ(events.back().kind, "run_finished");
  EXPECT_EQ(events.back().data["status"], "ok");
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, i + 1);
    EXPECT_EQ(events[i].data["id"], i + 1);
    EXPECT_EQ(events[i].data["event"], events[i].kind);
  }
  // Per-record events are counted, not stored: no record_written in the stream.
  for (const SseEvent& e : events) EXPECT_NE(e.kind, "record_written");

  // A reconnect with Last-Event-ID gets what followed, and nothing twice.
  httplib::Result replay = client_->Get(path.c_str(), {{"Last-Event-ID", std::to_string(events[1].id)}});
  ASSERT_TRUE(replay);
  const std::vector<SseEvent> rest = ParseStream(replay->body);
  ASSERT_EQ(rest.size(), events.size() - 2);
  EXPECT_EQ(rest.front().id, events[2].id);
  // After the last one there is nothing more, ever: 204 stops an EventSource.
  httplib::Result after_last = client_->Get(path.c_str(), {{"Last-Event-ID", std::to_string(events.back().id)}});
  ASSERT_TRUE(after_last);
  EXPECT_EQ(after_last->status, 204);

  ApiReply as_json = Get(path + "?after=1");
  ASSERT_EQ(as_json.status, 200);
  ASSERT_EQ(as_json.body["events"].size(), events.size() - 1);
  EXPECT_EQ(as_json.body["events"][0], events[1].data);
  EXPECT_EQ(as_json.body["last_id"], events.back().id);
  EXPECT_EQ(as_json.body["finished"], true);
  EXPECT_EQ(Get(path + "?after=1&limit=2").body["events"].size(), 2u);
  EXPECT_EQ(Get(path + "?after=x").status, 400);
  EXPECT_EQ(ToReply(client_->Get(path.c_str(), {{"Last-Event-ID", "x"}})).status, 400);
}

TEST_F(EventsTest, ALiveStreamFollowsTheRunAndEndsWithIt) {
  WriteFile(root_ / "big.jsonl", QaCorpus(100000));
  ApiReply created = Post("/api/v1/exports", {{"inputs", {"big.jsonl"}}, {"format", "openai"},
                                              {"map", {"user=question", "assistant=answer"}}, {"jobs", 1}});
  ASSERT_EQ(created.status, 202);
  const std::string path = "/api/v1/exports/" + created.body["id"].get<std::string>() + "/events";
  std::string body;
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  httplib::Result stream = client_->Get(path.c_str(), [&](const char* data, size_t size) {
    body.append(data, size);
    arrivals.push_back(std::chrono::steady_clock::now());
    return true;
  });
  ASSERT_TRUE(stream);
  const std::vector<SseEvent> events = ParseStream(body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, "run_finished");
  size_t progress = 0;
  for (const SseEvent& e : events) progress += e.kind == "progress";
  EXPECT_GT(progress, 0u);
  // The stream closed once the run was over; the export says so too.
  EXPECT_EQ(Get("/api/v1/exports/" + created.body["id"].get<std::string>()).body["status"], "succeeded");
}

TEST_F(EventsTest, UnknownExport) {
  EXPECT_EQ(Get("/api/v1/exports/ex_0000000000000000/events").status, 404);
  EXPECT_EQ(Get("/api/v1/exports/ex_0000000000000000").status, 404);
}

}  // namespace
}  // namespace tunepack::testing
