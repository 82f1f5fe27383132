// `tunepack serve`: the HTTP API and the web export dialog (docs/serve.md). The command only
// reads its flags, picks the token, prints where to connect, and turns SIGINT/SIGTERM into
// a clean stop; the server itself is tunepack::server, which this command loads from
// tunepack-server.so when it runs (cli/load_server_module.h), so no other command loads it.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "cli/load_server_module.h"
#include "tunepack/io/line_reader.h"
#include "tunepack/server/server_module.h"

namespace tunepack::cli {
namespace {

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8765;
  std::vector<std::string> roots;
  std::string data_dir;
  std::string token;
  std::string token_file;
  int jobs = 1;
  uint64_t max_upload_mb = 1024;
  int read_timeout = 5;
  int header_timeout = 10;
};

Result<std::string> TokenFrom(const ServeFlags& flags, const server::ServerModule& module) {
  if (!flags.token.empty()) return flags.token;
  if (flags.token_file.empty()) return module.random_token();
  Result<std::unique_ptr<io::LineReader>> lines = io::LineReader::Open(flags.token_file);
  if (!lines.has_value()) return InvalidArgumentError("--token-file: " + lines.error().message());
  std::string_view first_line;
  Result<bool> read = (*lines)->Next(first_line);
  if (!read.has_value()) return InvalidArgumentError("--token-file: " + read.error().message());
  if (!*read) return InvalidArgumentError("--token-file " + flags.token_file + ": cannot read it");
  std::string token(first_line);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) return InvalidArgumentError("--token-file " + flags.token_file + ": the first line is empty");
  return token;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string UrlHost(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

int RunServe(const ServeFlags& flags) {
  Result<const server::ServerModule*> module = LoadServerModule();
  if (!module.has_value()) return Fail(module.error());
  Result<std::string> token = TokenFrom(flags, **module);
  if (!token.has_value()) return Fail(token.error());
  server::ServerConfig config;
  config.host = flags.host;
  config.port = flags.port;
  config.roots = flags.roots;
  config.data_dir = flags.data_dir;
  config.token = *token;
  config.jobs = flags.jobs;
  config.max_upload_bytes = flags.max_upload_mb << 20;
  config.read_timeout_seconds = flags.read_timeout;
  config.header_timeout_seconds = flags.header_timeout;

  // The signals are taken by one thread with sigwait; every thread the server starts
  // inherits this mask, so no handler runs in the middle of a request.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that goes away mid-answer must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  Result<std::unique_ptr<server::Server>> created = (*module)->create(config);
  if (!created.has_value()) return Fail(created.error());
  std::unique_ptr<server::Server>& server = *created;
  Result<int> port = server->Bind();
  if (!port.has_value()) return Fail(port.error());
  if (!IsLoopback(flags.host)) {
    PrintWarning("listening on " + flags.host + ": other machines can reach the server; the token (over plain "
                 "HTTP) is all that protects it");
  }
  const std::string url = "http://" + UrlHost(flags.host) + ":" + std::to_string(*port) + "/";
  std::fprintf(stderr, "tunepack: serving on %s?token=%s\n", url.c_str(), token->c_str());
  std::fprintf(stderr, "tunepack: API at %sapi/v1 (Authorization: Bearer <token>); Ctrl-C stops\n", url.c_str());
  std::fflush(stderr);

  std::thread waiter([&] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server->Stop();
  });
  const Status status = server->Run();
  // Wake the waiter if the server ended by itself.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!status.ok()) return Fail(status);
  std::fprintf(stderr, "tunepack: stopped\n");
  return kExitOk;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* sub = app.add_subcommand(
      "serve", "Serve the HTTP API and the web export dialog (loopback only unless --host says otherwise)");
  sub->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
  sub->add_option("--port", flags->port, "Port to listen on (0: any free port, printed at start)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  sub->add_option("--root", flags->roots,
                  "A folder whose files requests may name as inputs (repeatable); without one, only uploads");
  sub->add_option("--data-dir", flags->data_dir,
                  "Where jobs, their outputs and uploads live (default: $XDG_STATE_HOME/tunepack or "
                  "~/.local/state/tunepack)");
  auto* token = sub->add_option("--token", flags->token,
                                "The token requests must send (default: a random one, printed at start)");
  sub->add_option("--token-file", flags->token_file, "Read the token from the first line of this file")
      ->excludes(token);
  sub->add_option("--jobs", flags->jobs, "Exports that run at the same time; more wait queued")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  sub->add_option("--max-upload-mb", flags->max_upload_mb, "Largest upload, in MiB")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20));
  sub->add_option("--read-timeout", flags->read_timeout,
                  "Seconds a connection may stay silent in the middle of a request")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  sub->add_option("--header-timeout", flags->header_timeout,
                  "Seconds a request's line and headers may take in all; a body must then come at "
                  "16 KiB/s or more on average")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  sub->footer("Prints the URL with the token on stderr. Stops cleanly on SIGINT or SIGTERM; a running export "
              "is then `interrupted` and resumable. See docs/serve.md.");
  sub->callback([flags, &context] { context.exit_code = RunServe(*flags); });
}

}  // namespace tunepack::cli
