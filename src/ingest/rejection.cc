#include "tunepack/ingest/rejection.h"

#include <string>

namespace tunepack::ingest {

Status RejectionError(RejectReason reason, std::string_view detail, StatusCode code) {
  return Status(code, std::string(RejectReasonName(reason)) + ": " + std::string(detail));
}

std::optional<RejectReason> RejectionReasonOf(const Status& status) {
  if (status.ok()) return std::nullopt;
  const std::string_view message = status.message();
  const size_t colon = message.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  return ParseRejectReason(message.substr(0, colon));
}

}  // namespace tunepack::ingest
