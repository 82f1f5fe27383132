#include "tunepack/ingest/rejection.h"

#include <array>

namespace tunepack::ingest {
namespace {

// The reasons a reader may name; docs/ingest.md lists what each means.
constexpr std::array<std::string_view, 6> kReaderReasons = {
    "no_text_layer",       // a PDF whose pages are images: it would need OCR
    "encrypted",           // needs a password to open
    "damaged",             // the file cannot be parsed, even with repair
    "empty_document",      // parses, but holds no text and no images
    "pdf_helper_missing",  // tunepack-pdf is not installed
    "pdf_helper_failed",   // the helper crashed, hung, ran out of memory or spoke nonsense
};

}  // namespace

bool KnownRejectionReason(std::string_view reason) {
  for (std::string_view known : kReaderReasons) {
    if (known == reason) return true;
  }
  return false;
}

Status RejectionError(std::string_view reason, std::string_view detail) {
  return FailedPreconditionError(std::string(reason) + ": " + std::string(detail));
}

std::string RejectionReasonOf(const Status& status) {
  if (status.code() != StatusCode::kFailedPrecondition) return {};
  const std::string_view message = status.message();
  const size_t colon = message.find(": ");
  if (colon == std::string_view::npos) return {};
  const std::string_view reason = message.substr(0, colon);
  return KnownRejectionReason(reason) ? std::string(reason) : std::string();
}

}  // namespace tunepack::ingest
