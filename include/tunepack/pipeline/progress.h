// Progress shown to a person or a program: subscribers to the pipeline's events
// (pipeline/events.h) that draw a terminal bar or write JSON lines.
#pragma once

#include <cstdio>
#include <memory>

#include "tunepack/pipeline/events.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

// Returns the subscriber for `mode` writing to `stream`: kAuto is a bar when `stream` is a
// terminal and warnings only otherwise; kJson writes one JSON object per line for the run's
// start, progress (at most four a second), stages, warnings and finish (EventJson's shape).
std::unique_ptr<EventSubscriber> MakeProgressSink(ProgressMode mode, FILE* stream);

}  // namespace tunepack::pipeline
