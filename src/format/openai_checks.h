// The checks `tunepack validate` applies to openai files beyond reading them: OpenAI's chat
// fine-tuning guide's, widened to today's fine-tuning schema (openai_checks.cc).
#pragma once

#include "tunepack/format/file_checks.h"

namespace tunepack::format::internal {

// Returns the openai format's record and file checks.
FileChecks OpenAiChecks();

}  // namespace tunepack::format::internal
