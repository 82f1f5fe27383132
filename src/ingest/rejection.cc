#include "tunepack/ingest/rejection.h"

#include <string>

namespace tunepack::ingest {

Status RejectionError(RejectReason reason, std::string_view detail, StatusCode code) {
  return Status(code, std::string(detail)).WithRejectReason(reason);
}

std::optional<RejectReason> RejectionReasonOf(const Status& status) {
  return status.reject_reason();
}

}  // namespace tunepack::ingest
