// The map step with `--template`: builds the context of a unit (record, document, chunk),
// renders the export's ExampleTemplate and turns a failure into the unit's rejection.
#pragma once

#include <cstddef>

#include <simdjson.h>

#include "pipeline/work.h"
#include "tunepack/chunk/chunker.h"
#include "tunepack/core/document.h"
#include "tunepack/format/example_template.h"

namespace tunepack::pipeline {

// Maps the record `record` to `example` (origin set) with `tmpl`. Returns false, with the
// rejection in `outcome`, when the template fails or skips the record.
bool TemplateRecord(const format::ExampleTemplate& tmpl, simdjson::dom::object record,
                    simdjson::dom::parser& parser, Example& example, UnitOutcome& outcome);

// Maps `document` (or its chunk `chunk`, one of `chunk_count`) to `example`, which holds
// the text example the unit would otherwise be: its text, origin and metadata. Returns
// false, with the rejection in `outcome`, when the template fails or skips it.
bool TemplateDocument(const format::ExampleTemplate& tmpl, const Document& document,
                      const chunk::Chunk* chunk, size_t chunk_count, simdjson::dom::parser& parser,
                      Example& example, UnitOutcome& outcome);

}  // namespace tunepack::pipeline
