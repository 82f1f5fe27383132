// Fuzzes the HTTP API's request-body handling with untrusted bytes: ParseRequestJson (strict
// JSON, bounded nesting, an object at the top), then the export request it would become
// (ResolveExportRequest: options validated against their declarations, paths held to the
// roots) and the error the API would answer. Besides "no crash, no hang", it traps when:
//   - a parsed body is not an object, or does not survive a dump and a re-parse unchanged;
//   - an error maps to no HTTP error status, or its message still carries option marks.
// The server here has no roots and no uploads, so no path resolves and no file is opened.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/api_error.h"
#include "server/export_request.h"
#include "server/request_json.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::server;  // NOLINT

// `input` is the request body: a message may quote it, and it may hold any character.
void CheckError(const Status& status, std::string_view input) {
  const ApiError error = ErrorFromStatus(status);
  Check(error.http_status >= 400 && error.http_status < 600);
  // U+2039 / U+203A mark option references; the API words them as JSON keys, so the mark
  // is left only where the request itself carried it.
  constexpr std::string_view kReferenceMark = "\xE2\x80\xB9";
  if (input.find(kReferenceMark) == std::string_view::npos) Check(error.message.find(kReferenceMark) == std::string::npos);
  Check(!ErrorJson(error).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<nlohmann::json> body = ParseRequestJson(text);
  if (!body.has_value()) {
    Check(body.error().code() == StatusCode::kInvalidArgument);
    CheckError(body.error(), text);
    return 0;
  }
  Check(body->is_object());
  Result<nlohmann::json> again = ParseRequestJson(body->dump());
  Check(again.has_value() && *again == *body);

  static const RootPaths no_roots = RootPaths::Create({}).value();
  static const UploadStore no_uploads("/nonexistent/tunepack-fuzz/uploads", "/nonexistent/tunepack-fuzz/tmp", 0);
  Result<ResolvedExport> resolved = ResolveExportRequest(*body, no_roots, no_uploads, "/nonexistent/tunepack-fuzz/out");
  if (!resolved.has_value()) CheckError(resolved.error(), text);
  return 0;
}
