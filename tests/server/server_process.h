// ServerProcess: the real `tunepack serve` started on a free loopback port for a test, and
// an httplib client for it. The server's stderr is collected (tests check what it logs).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "tp_test_paths.h"

namespace tunepack::testing {

class ServerProcess {
 public:
  // A server that answers before reading a whole body closes the socket under the client's
  // feet; the write must fail with EPIPE, not kill the test.
  ServerProcess() { signal(SIGPIPE, SIG_IGN); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { Kill(SIGKILL); }

  // Starts `tunepack serve --port 0 <args>`; returns false when it did not print its URL
  // within 20 seconds.
  bool Start(const std::vector<std::string>& args) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return false;
    std::vector<std::string> argv_strings = {TP_BINARY, "serve", "--port", "0"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    const pid_t test_pid = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      // The server dies with the test: a test that crashes must not leave a server holding
      // ctest's output pipe open (ctest then waits for it forever).
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != test_pid) _exit(127);
      dup2(pipe_fds[1], STDERR_FILENO);
      dup2(pipe_fds[1], STDOUT_FILENO);
      close_range(3, ~0U, 0);
      std::vector<char*> argv;
      for (std::string& s : argv_strings) argv.push_back(s.data());
      argv.push_back(nullptr);
      execv(TP_BINARY, argv.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    stderr_fd_ = pipe_fds[0];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    static const std::regex url("serving on http://127\\.0\\.0\\.1:([0-9]+)/");
    std::string seen;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stderr_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(stderr_fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      seen.append(buffer, static_cast<size_t>(n));
      std::smatch match;
      if (std::regex_search(seen, match, url) && seen.find('\n', match.position(0)) != std::string::npos) {
        port_ = std::stoi(match[1]);
        {
          std::lock_guard lock(mutex_);
          stderr_ = seen;
        }
        drainer_ = std::thread([this] { Drain(); });
        return true;
      }
    }
    std::lock_guard lock(mutex_);
    stderr_ = seen;
    return false;
  }

  // Sends `signal` and waits for the process; returns its wait status.
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (drainer_.joinable()) drainer_.join();
    if (stderr_fd_ >= 0) close(stderr_fd_);
    stderr_fd_ = -1;
    return status;
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  std::string stderr_text() {
    std::lock_guard lock(mutex_);
    return stderr_;
  }

  // Returns a client with the token set (or none when `token` is empty).
  std::unique_ptr<httplib::Client> Client(const std::string& token) const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(60, 0);
    client->set_connection_timeout(5, 0);
    if (!token.empty()) client->set_bearer_token_auth(token.c_str());
    return client;
  }

 private:
  void Drain() {
    char buffer[4096];
    while (true) {
      const ssize_t n = read(stderr_fd_, buffer, sizeof buffer);
      if (n <= 0) return;
      std::lock_guard lock(mutex_);
      stderr_.append(buffer, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int port_ = 0;
  int stderr_fd_ = -1;
  std::thread drainer_;
  std::mutex mutex_;
  std::string stderr_;
};

}  // namespace tunepack::testing
