// Reader rejections: a reader that recognises why a document cannot be read (a PDF with no
// text layer, an encrypted package, a crashed helper) names the ledger reason itself,
// instead of leaving the pipeline to guess one from the status code.
#pragma once

#include <optional>
#include <string_view>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/status.h"

namespace tunepack::ingest {

// Returns a status with `code`, the message `detail` and the ledger reason `reason`.
Status RejectionError(RejectReason reason, std::string_view detail,
                      StatusCode code = StatusCode::kFailedPrecondition);

// Returns the ledger reason a reader put in `status` with RejectionError, or nothing when
// it carries none (the caller then picks a reason by status code).
std::optional<RejectReason> RejectionReasonOf(const Status& status);

}  // namespace tunepack::ingest
