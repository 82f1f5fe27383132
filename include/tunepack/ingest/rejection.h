// Reader rejections: a reader that recognises why a document cannot be read (a PDF with no
// text layer, an encrypted file, a crashed helper) names the ledger reason itself, instead
// of leaving the pipeline to guess one from the status code.
#pragma once

#include <string>
#include <string_view>

#include "tunepack/core/status.h"

namespace tunepack::ingest {

// Returns a FailedPrecondition status whose message is "<reason>: <detail>"; `reason` must
// be one of the names KnownRejectionReason accepts.
Status RejectionError(std::string_view reason, std::string_view detail);

// Returns the ledger reason a reader put in `status` with RejectionError, or empty when it
// carries none (the caller then picks a reason by status code).
std::string RejectionReasonOf(const Status& status);

// Returns true for the reasons readers may name: "no_text_layer", "encrypted", "damaged",
// "empty_document", "pdf_helper_missing", "pdf_helper_failed".
bool KnownRejectionReason(std::string_view reason);

}  // namespace tunepack::ingest
