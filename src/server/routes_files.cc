// GET /api/v1/exports/{id}/files/{name}: an output file, with Range support (httplib answers
// ranges of a provider with a known length) and a content type by extension. A browser may
// open it without the token by the download key of the export (files[].url carries it), so
// that report.html opens in a tab; HTML is served sandboxed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "server/auth.h"
#include "server/http_util.h"
#include "server/output_files.h"
#include "server/routes.h"

namespace tunepack::server {

namespace {

struct ContentType {
  std::string_view extension;
  std::string_view type;
  bool inline_view;  ///< shown in the browser rather than saved
};

constexpr std::array<ContentType, 9> kContentTypes{{
    {".jsonl", "application/jsonl; charset=utf-8", false},
    {".json", "application/json; charset=utf-8", true},
    {".html", "text/html; charset=utf-8", true},
    {".txt", "text/plain; charset=utf-8", false},
    {".md", "text/markdown; charset=utf-8", false},
    {".csv", "text/csv; charset=utf-8", false},
    {".parquet", "application/vnd.apache.parquet", false},
    {".zst", "application/zstd", false},
    {".gz", "application/gzip", false},
}};

const ContentType& ContentTypeOf(std::string_view name) {
  static constexpr ContentType kBinary{"", "application/octet-stream", false};
  for (const ContentType& type : kContentTypes) {
    if (name.size() >= type.extension.size() &&
        name.substr(name.size() - type.extension.size()) == type.extension) {
      return type;
    }
  }
  return kBinary;
}

// Returns `name` quoted for Content-Disposition (names are servable, so no control chars).
std::string QuotedFileName(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

void ServeFile(const httplib::Request& request, httplib::Response& response, const ServerContext& context) {
  Result<std::shared_ptr<Job>> job = context.jobs->Find(PathPart(request, 1));
  if (!job.has_value()) return SendStatus(response, job.error());
  const std::string name = PathPart(request, 2);
  if (!IsServableOutputName(name)) return SendStatus(response, NotFoundError("no file " + name));
  const std::string path = (*job)->output_dir() + "/" + name;
  // O_NOFOLLOW: an output is a regular file the export wrote, never a link to elsewhere.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    if (fd >= 0) ::close(fd);
    return SendStatus(response, NotFoundError("export " + PathPart(request, 1) + " has no file " + name));
  }
  // httplib 0.11.4 slices a satisfiable range itself but mishandles one past the end, so
  // those are answered here (RFC 9110 15.5.17), and dropped so that httplib does not try to
  // slice the error body with them.
  const uint64_t size = static_cast<uint64_t>(info.st_size);
  for (const auto& [first, last] : request.ranges) {
    const bool satisfiable = first < 0 ? last > 0 && size > 0 : static_cast<uint64_t>(first) < size;
    if (!satisfiable) {
      ::close(fd);
      const_cast<httplib::Request&>(request).ranges.clear();
      response.set_header("Content-Range", "bytes */" + std::to_string(size));
      return SendError(response, MakeError(416, "range_not_satisfiable",
                                           "the range is outside the file (" + std::to_string(size) + " bytes)"));
    }
  }
  const ContentType& type = ContentTypeOf(name);
  response.set_header("Content-Disposition",
                      std::string(type.inline_view ? "inline" : "attachment") + "; filename=" + QuotedFileName(name));
  if (type.type.substr(0, 9) == "text/html") {
    // The report is ours but shows users' text: it runs no script and lives in an opaque
    // origin, so nothing in it can reach the API.
    response.set_header("Content-Security-Policy",
                        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  }
  auto file = std::shared_ptr<int>(new int(fd), [](int* owned) {
    ::close(*owned);
    delete owned;
  });
  response.set_content_provider(
      static_cast<size_t>(info.st_size), std::string(type.type),
      [file](size_t offset, size_t length, httplib::DataSink& sink) {
        char buffer[65536];
        const size_t want = std::min(length, sizeof buffer);
        const ssize_t n = ::pread(*file, buffer, want, static_cast<off_t>(offset));
        if (n <= 0) return false;
        return sink.write(buffer, static_cast<size_t>(n));
      });
}

}  // namespace

void AddFileRoutes(httplib::Server& http, ServerContext& context) {
  http.Get("/api/v1/exports/([A-Za-z0-9_]+)/files/([^/]+)",
           [&context](const httplib::Request& request, httplib::Response& response) {
             ServeFile(request, response, context);
           });
}

}  // namespace tunepack::server
