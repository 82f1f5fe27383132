#include "ingest/helper_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tunepack::ingest::internal {
namespace {

constexpr size_t kErrorTailBytes = 512;
// The child reports a failed exec through this exit status (after writing errno to the
// status pipe, which is what the parent actually reads).
constexpr int kExecFailedStatus = 127;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return InternalError(std::string("writing the helper's input: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Returns a memory file holding `input`, rewound, for the child's stdin.
Result<Fd> InputFile(std::string_view input) {
  Fd fd(::memfd_create("tunepack-helper-input", MFD_CLOEXEC));
  if (fd.get() < 0) return InternalError(std::string("memfd_create: ") + std::strerror(errno));
  TP_RETURN_IF_ERROR(WriteAll(fd.get(), input));
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) {
    return InternalError(std::string("lseek: ") + std::strerror(errno));
  }
  return fd;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(const char* program, char* const* argv, int input_fd, int output_fd,
                            int error_fd, int status_fd, uint64_t address_space_bytes) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::dup2(input_fd, STDIN_FILENO) < 0 || ::dup2(output_fd, STDOUT_FILENO) < 0 ||
      ::dup2(error_fd, STDERR_FILENO) < 0) {
    const int error = errno;
    (void)!::write(status_fd, &error, sizeof error);
    ::_exit(kExecFailedStatus);
  }
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  if (address_space_bytes > 0) {
    const rlimit memory{address_space_bytes, address_space_bytes};
    ::setrlimit(RLIMIT_AS, &memory);
  }
  // Signals ignored by tunepack (SIGPIPE) would stay ignored across exec.
  ::signal(SIGPIPE, SIG_DFL);
  ::execv(program, argv);
  const int error = errno;
  (void)!::write(status_fd, &error, sizeof error);
  ::_exit(kExecFailedStatus);
}

int64_t MillisecondsLeft(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count();
}

}  // namespace

std::string HelperRun::Describe(const HelperLimits& limits) const {
  if (timed_out) {
    return "timed out after " + std::to_string(limits.timeout.count()) + " ms and was killed";
  }
  if (output_too_large) {
    return "wrote more than " + std::to_string(limits.max_output_bytes) +
           " bytes and was killed";
  }
  if (signal != 0) {
    std::string text = "killed by signal " + std::to_string(signal);
    if (const char* name = ::strsignal(signal)) text += std::string(" (") + name + ")";
    return text;
  }
  std::string text = "exited with status " + std::to_string(exit_code);
  // Running out of address space shows as bad_alloc (abort) or a failed allocation message.
  if (!error_tail.empty()) {
    std::string_view tail = error_tail;
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.remove_suffix(1);
    const size_t newline = tail.find_last_of('\n');
    if (newline != std::string_view::npos) tail.remove_prefix(newline + 1);
    text += ": ";
    text += tail;
  }
  return text;
}

Result<HelperRun> RunHelper(const std::string& program, const std::vector<std::string>& args,
                            std::string_view input, const HelperLimits& limits) {
  if (::access(program.c_str(), X_OK) != 0) {
    return NotFoundError(program + ": " + std::strerror(errno));
  }
  TP_ASSIGN_OR_RETURN(Fd input_fd, InputFile(input));
  int out_pipe[2], err_pipe[2], status_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return InternalError("pipe2 failed");
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return InternalError("pipe2 failed");
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) return InternalError("pipe2 failed");
  Fd status_read(status_pipe[0]), status_write(status_pipe[1]);

  // argv is built before fork: the child may not allocate.
  std::vector<std::string> strings;
  strings.push_back(program);
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) return InternalError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ExecChild(program.c_str(), argv.data(), input_fd.get(), out_write.get(), err_write.get(),
              status_write.get(), limits.address_space_bytes);
  }
  out_write.reset();
  err_write.reset();
  status_write.reset();
  input_fd.reset();

  HelperRun run;
  int exec_error = 0;
  ssize_t got;
  do {
    got = ::read(status_read.get(), &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  const bool exec_failed = got == static_cast<ssize_t>(sizeof exec_error);

  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  bool out_open = !exec_failed, err_open = !exec_failed;
  char buffer[64 * 1024];
  while (out_open || err_open) {
    const int64_t left = MillisecondsLeft(deadline);
    if (left <= 0) {
      run.timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out_read.get() : -1, POLLIN, 0},
                     {err_open ? err_read.get() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      if (i == 0) {
        run.output.append(buffer, static_cast<size_t>(n));
        if (run.output.size() > limits.max_output_bytes) {
          run.output_too_large = true;
          out_open = err_open = false;
        }
      } else {
        run.error_tail.append(buffer, static_cast<size_t>(n));
        if (run.error_tail.size() > 2 * kErrorTailBytes) {
          run.error_tail.erase(0, run.error_tail.size() - kErrorTailBytes);
        }
      }
    }
  }
  if (run.timed_out || run.output_too_large) ::kill(pid, SIGKILL);
  int wait_status = 0;
  pid_t waited;
  do {
    // A helper that closed its stdout but keeps running is killed at the deadline.
    waited = ::waitpid(pid, &wait_status, WNOHANG);
    if (waited == 0) {
      if (MillisecondsLeft(deadline) <= 0) {
        run.timed_out = true;
        ::kill(pid, SIGKILL);
        waited = ::waitpid(pid, &wait_status, 0);
        break;
      }
      ::usleep(1000);
    }
  } while (waited == 0 || (waited < 0 && errno == EINTR));
  if (exec_failed) {
    return NotFoundError(program + ": cannot execute: " + std::strerror(exec_error));
  }
  if (WIFEXITED(wait_status)) {
    run.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    run.signal = WTERMSIG(wait_status);
  }
  if (run.error_tail.size() > kErrorTailBytes) {
    run.error_tail.erase(0, run.error_tail.size() - kErrorTailBytes);
  }
  return run;
}

}  // namespace tunepack::ingest::internal
