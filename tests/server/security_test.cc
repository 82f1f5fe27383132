// Security: the token, paths that try to leave the roots, size limits, slow clients, and
// malformed bodies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "server/api_fixture.h"
#include "tp_test_paths.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

using Clock = std::chrono::steady_clock;

// Returns a socket connected to the server on loopback, or -1.
int ConnectTo(int port) {
  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(sock);
    return -1;
  }
  return sock;
}

// Sends one byte of `bytes` (cycling) on `sock`; false once the server has closed it (or
// answered, which it does only to close).
bool TrickleOne(int sock, const std::string& bytes, size_t& sent) {
  char answer[256];
  if (recv(sock, answer, sizeof answer, MSG_DONTWAIT) >= 0) return false;
  if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
  return send(sock, &bytes[sent++ % bytes.size()], 1, MSG_NOSIGNAL) == 1;
}

// Sends `head`, then one byte of `trickle` every 300 ms (well inside the read timeout) until
// the server drops the connection or `limit` passes; returns how long the server took.
Clock::duration TrickleUntilDropped(int port, const std::string& head, const std::string& trickle,
                                    Clock::duration limit) {
  const int sock = ConnectTo(port);
  EXPECT_GE(sock, 0);
  send(sock, head.data(), head.size(), MSG_NOSIGNAL);
  const Clock::time_point start = Clock::now();
  size_t sent = 0;
  while (Clock::now() - start < limit && TrickleOne(sock, trickle, sent)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  close(sock);
  return Clock::now() - start;
}

// Sends `head` (a request without its body) on a new connection and returns what the server
// answers before closing it or going silent for 5 seconds.
std::string RawExchange(int port, const std::string& head) {
  const int sock = ConnectTo(port);
  if (sock < 0) return "";
  send(sock, head.data(), head.size(), MSG_NOSIGNAL);
  timeval wait{5, 0};
  setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string answer;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(sock, buffer, sizeof buffer, 0)) > 0) {
    answer.append(buffer, static_cast<size_t>(n));
    if (answer.find("\r\n\r\n") != std::string::npos) break;
  }
  close(sock);
  return answer;
}

class SecurityTest : public ApiTest {
 protected:
  void SetUp() override {
    root_ = std::filesystem::weakly_canonical(tmp_ / "root");
    std::filesystem::create_directories(root_);
    WriteFile(root_ / "qa.jsonl", QaCorpus(5));
    WriteFile(tmp_ / "outside" / "secret.jsonl", QaCorpus(5));
    std::filesystem::create_symlink(tmp_ / "outside" / "secret.jsonl", root_ / "link.jsonl");
    std::filesystem::create_symlink(tmp_ / "outside", root_ / "outside-dir");
    StartServer({"--max-upload-mb", "1", "--read-timeout", "1", "--header-timeout", "2"});
  }
};

TEST_F(SecurityTest, EveryApiRequestNeedsTheToken) {
  auto anonymous = server_->Client("");
  for (const char* path : {"/api/v1/health", "/api/v1/exports", "/api/v1/openapi.json", "/api/v1/options"}) {
    httplib::Result none = anonymous->Get(path);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401) << path;
    EXPECT_EQ(json::parse(none->body)["error"]["code"], "missing_token");
    EXPECT_THAT(none->get_header_value("WWW-Authenticate"), HasSubstr("Bearer"));
  }
  auto wrong = server_->Client(std::string(kToken) + "x");
  httplib::Result refused = wrong->Post("/api/v1/exports", R"({"inputs": ["qa.jsonl"]})", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(json::parse(refused->body)["error"]["code"], "invalid_token");
  auto prefix = server_->Client(std::string(kToken).substr(0, 5));
  EXPECT_EQ(prefix->Get("/api/v1/health")->status, 401);
  httplib::Result basic = anonymous->Get("/api/v1/health", {{"Authorization", std::string("Basic ") + kToken}});
  EXPECT_EQ(basic->status, 401);
  // Nothing was started by the refused request.
  EXPECT_EQ(Get("/api/v1/exports").body["exports"].size(), 0u);
}

TEST_F(SecurityTest, PathsMustStayUnderARoot) {
  const std::vector<std::string> escapes = {"../outside/secret.jsonl", "link.jsonl", "outside-dir/secret.jsonl",
                                            (tmp_ / "outside" / "secret.jsonl").string(), "/etc/passwd",
                                            "/no/such/file"};
  for (const std::string& path : escapes) {
    for (const char* endpoint : {"/api/v1/exports", "/api/v1/preview"}) {
      ApiReply refused = Post(endpoint, {{"inputs", {path}}, {"map", {"user=question", "assistant=answer"}}});
      EXPECT_EQ(refused.status, 403) << endpoint << " " << path << ": " << refused.text;
      EXPECT_EQ(refused.body["error"]["details"]["option"], "inputs");
    }
  }
  // Options that name files are held to the roots too.
  EXPECT_EQ(Post("/api/v1/exports", {{"inputs", {"qa.jsonl"}}, {"template", "/etc/passwd"}}).status, 403);
  EXPECT_EQ(Post("/api/v1/exports", {{"inputs", {"qa.jsonl"}}, {"decontaminate", {"../outside/secret.jsonl"}}}).status, 403);
  EXPECT_EQ(Post("/api/v1/exports", {{"inputs", {"qa.jsonl"}}, {"tokenizer", "/etc/passwd"}}).status, 403);
  EXPECT_EQ(Post("/api/v1/exports", {{"inputs", {"missing.jsonl"}}}).status, 404);
  EXPECT_EQ(Get("/api/v1/exports").body["exports"].size(), 0u);
}

TEST_F(SecurityTest, UploadsAndBodiesAreLimited) {
  httplib::Result big = client_->Post("/api/v1/uploads?name=big.jsonl", std::string((1 << 20) + 1, 'x'),
                                      "application/octet-stream");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(json::parse(big->body)["error"]["code"], "resource_exhausted");
  httplib::Result fits = client_->Post("/api/v1/uploads?name=ok.jsonl", std::string(1 << 20, 'x'),
                                       "application/octet-stream");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 201);
  // Nothing of the refused upload is left in the data folder.
  EXPECT_TRUE(std::filesystem::is_empty(tmp_ / "data" / "tmp"));
  EXPECT_EQ(Get("/api/v1/uploads").body["uploads"].size(), 1u);

  // Announced bodies over the limit are refused before a byte of them is read.
  const std::string auth = std::string("Authorization: Bearer ") + kToken + "\r\n";
  EXPECT_THAT(RawExchange(server_->port(), "POST /api/v1/exports HTTP/1.1\r\nHost: x\r\n" + auth +
                          "Content-Type: application/json\r\nContent-Length: 17825792\r\n\r\n"),
              HasSubstr("HTTP/1.1 413"));
  EXPECT_THAT(RawExchange(server_->port(), "POST /api/v1/exports/ex_0000000000000000/cancel HTTP/1.1\r\nHost: x\r\n" + auth +
                          "Content-Length: 17825792\r\n\r\n"),
              HasSubstr("HTTP/1.1 413"));
  EXPECT_THAT(RawExchange(server_->port(), "POST /api/v1/uploads?name=x HTTP/1.1\r\nHost: x\r\n" + auth +
                          "Content-Length: 1048577\r\n\r\n"),
              HasSubstr("HTTP/1.1 413"));
  // A body sent without its length is cut at the limit as it arrives.
  const std::string huge = "{\"inputs\": [\"" + std::string(17 << 20, 'a') + "\"]}";
  httplib::Result chunked = client_->Post(
      "/api/v1/exports",
      [&](size_t offset, httplib::DataSink& sink) {
        const size_t n = std::min<size_t>(1 << 16, huge.size() - offset);
        if (!sink.write(huge.data() + offset, n)) return false;
        if (offset + n == huge.size()) sink.done();
        return true;
      },
      "application/json");
  if (chunked) {  // or the server closed on a client still sending
    EXPECT_EQ(chunked->status, 413);
  }
  EXPECT_EQ(Get("/api/v1/health").status, 200);
}

TEST_F(SecurityTest, MalformedJsonIsRefusedWithItsPosition) {
  ApiReply reply = PostText("/api/v1/exports", "{\n \"inputs\": [\"qa.jsonl\",]\n}");
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body["error"]["message"].get<std::string>(), HasSubstr("line 2"));
  EXPECT_EQ(PostText("/api/v1/preview", "[1,2]").status, 400);
  EXPECT_EQ(PostText("/api/v1/count", std::string(100000, '[')).status, 400);
  EXPECT_EQ(PostText("/api/v1/templates/check", "{\"template\": \"\xc3\x28\"}").status, 400);
  EXPECT_EQ(Get("/api/v1/health").status, 200);  // and the server is fine
}

TEST_F(SecurityTest, ASlowPartialRequestIsDroppedAndOthersAreServed) {
  const int sock = ConnectTo(server_->port());
  ASSERT_GE(sock, 0);
  const std::string partial = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";  // never finished
  ASSERT_EQ(send(sock, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));
  const auto start = std::chrono::steady_clock::now();
  // Meanwhile the server answers others.
  EXPECT_EQ(Get("/api/v1/health").status, 200);
  char buffer[256];
  timeval wait{10, 0};
  setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  // The server gives up on it after --read-timeout (1 s): an error answer, then the close.
  std::string answer;
  ssize_t n;
  while ((n = recv(sock, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(n));
  const auto took = std::chrono::steady_clock::now() - start;
  close(sock);
  EXPECT_EQ(n, 0) << "the connection was not closed";
  EXPECT_EQ(answer.find("200 OK"), std::string::npos) << answer;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(SecurityTest, TrickledHeadersAreDroppedAtTheHeaderTimeout) {
  // Never silent for the read timeout (1 s), but the headers are not whole after 2 s.
  const Clock::duration took = TrickleUntilDropped(
      server_->port(), "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ", "a", std::chrono::seconds(8));
  EXPECT_GT(took, std::chrono::milliseconds(1500));
  EXPECT_LT(took, std::chrono::seconds(5)) << "the trickling client was never dropped";
}

TEST_F(SecurityTest, ATrickledBodyIsDroppedWhenItFallsBelowTheMinimumRate) {
  const std::string head = "POST /api/v1/uploads?name=slow.jsonl HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           std::string(kToken) + "\r\nContent-Length: 100000\r\n\r\n";
  const Clock::duration took = TrickleUntilDropped(server_->port(), head, "x", std::chrono::seconds(8));
  EXPECT_GT(took, std::chrono::milliseconds(1500));
  EXPECT_LT(took, std::chrono::seconds(5)) << "the trickled upload was never dropped";
  EXPECT_EQ(Get("/api/v1/uploads").body["uploads"].size(), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(tmp_ / "data" / "tmp"));  // its partial file is gone
}

TEST_F(SecurityTest, MoreTricklingClientsThanThreadsDoNotStarveOthers) {
  // More slow connections than the server has threads (128), each sent a byte every 300 ms.
  std::vector<int> slow;
  for (int i = 0; i < 140; ++i) {
    const int sock = ConnectTo(server_->port());
    ASSERT_GE(sock, 0);
    const std::string head = "GET /api/v1/health HTTP/1.1\r\nX-Slow: ";
    send(sock, head.data(), head.size(), MSG_NOSIGNAL);
    slow.push_back(sock);
  }
  std::atomic<bool> done = false;
  std::thread trickler([&] {
    std::vector<size_t> sent(slow.size(), 0);
    while (!done) {
      for (size_t i = 0; i < slow.size(); ++i) TrickleOne(slow[i], "a", sent[i]);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // they hold every thread now
  const Clock::time_point start = Clock::now();
  httplib::Client patient("127.0.0.1", server_->port());
  patient.set_bearer_token_auth(kToken);
  patient.set_read_timeout(10, 0);
  httplib::Result health = patient.Get("/api/v1/health");
  const Clock::duration took = Clock::now() - start;
  done = true;
  trickler.join();
  for (int sock : slow) close(sock);
  ASSERT_TRUE(health) << "no answer while slow clients held the server";
  EXPECT_EQ(health->status, 200);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(SecurityTest, ABurstOfConnectionsIsQueuedNotRefused) {
  // While the server cannot accept, the kernel queues connections up to the listen backlog
  // and drops the handshakes past it (their clients wait a second or more, then retry).
  ASSERT_EQ(kill(server_->pid(), SIGSTOP), 0);
  constexpr int kClients = 200;
  std::vector<int> clients;
  for (int i = 0; i < kClients; ++i) {
    const int sock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address);
    clients.push_back(sock);
  }
  int connected = 0;
  const Clock::time_point give_up = Clock::now() + std::chrono::milliseconds(500);
  for (int sock : clients) {
    pollfd entry{sock, POLLOUT, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Clock::now()).count();
    int error = 0;
    socklen_t length = sizeof error;
    if (poll(&entry, 1, static_cast<int>(std::max<int64_t>(0, left))) == 1 &&
        getsockopt(sock, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
      ++connected;
    }
  }
  ASSERT_EQ(kill(server_->pid(), SIGCONT), 0);
  EXPECT_EQ(connected, kClients) << "connections were turned away while the server was busy";
  // Once it runs again, every queued client is answered.
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              std::string(kToken) + "\r\nConnection: close\r\n\r\n";
  int answered = 0;
  for (int sock : clients) {
    pollfd entry{sock, POLLOUT, 0};
    if (poll(&entry, 1, 5000) == 1 && send(sock, request.data(), request.size(), MSG_NOSIGNAL) > 0) {
      std::string answer;
      char buffer[512];
      for (pollfd in{sock, POLLIN, 0}; poll(&in, 1, 10000) == 1;) {
        const ssize_t n = recv(sock, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<size_t>(n));
      }
      if (answer.rfind("HTTP/1.1 200", 0) == 0) ++answered;
    }
    close(sock);
  }
  EXPECT_EQ(answered, connected);
}

TEST_F(SecurityTest, ASecondServerCannotTakeThePort) {
  // Were the port shared, the second server would run (and `timeout` stop it, status 124).
  const std::string command = std::string("timeout 20 ") + TP_BINARY + " serve --port " +
                              std::to_string(server_->port()) + " --token other --data-dir " +
                              (tmp_ / "second").string() + " 2>&1";
  FILE* second = popen(command.c_str(), "r");
  ASSERT_NE(second, nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, second) != nullptr) output += buffer;
  const int status = pclose(second);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 124) << output;
  EXPECT_THAT(output, HasSubstr("in use"));
  EXPECT_EQ(Get("/api/v1/health").status, 200);
}

TEST_F(SecurityTest, TheTokenStaysOutOfTheLog) {
  EXPECT_EQ(Get("/api/v1/health").status, 200);
  EXPECT_EQ(Post("/api/v1/exports", {{"inputs", {"../x"}}}).status, 403);
  auto anonymous = server_->Client("");
  anonymous->Get(("/?token=" + std::string(kToken)).c_str());
  const std::string log = server_->stderr_text();
  // Printed once, in the startup line that tells the user where to connect.
  const size_t first = log.find(kToken);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(log.find(kToken, first + 1), std::string::npos) << log;
}

}  // namespace
}  // namespace tunepack::testing
