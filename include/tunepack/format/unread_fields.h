// Fields a record holds beyond what its format reads (Example::unread_fields): a preference
// pair's "chosen"/"rejected", a KTO "label", LLaMA-Factory's "images"/"videos"/"audios",
// or anything else. None is dropped silently: the output format carries it, or it goes to
// metadata when the user asked for metadata, or the example is refused naming the field.
#pragma once

#include <string_view>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/format/format.h"

namespace tunepack::format {

// Returns what a field common dataset formats use holds, e.g. "the chosen answer of a
// preference pair (DPO)" for "chosen", or "" for a field tunepack does not know.
std::string_view DescribeKnownField(std::string_view name);

// Places the unread fields of `example` for writing it as `target`: those in
// target.carried_fields stay for the writer; with `into_metadata` the others are copied
// into example.metadata under their names (a field --meta-field already copied is left as
// it is). Otherwise FailedPrecondition naming the first field `target` cannot hold, what it
// is when known, and how to keep it.
Status PlaceUnreadFields(Example& example, const Format& target, bool into_metadata);

}  // namespace tunepack::format
