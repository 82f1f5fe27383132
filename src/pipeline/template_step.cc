#include "pipeline/template_step.h"

namespace tunepack::pipeline {
namespace {

bool Finish(const format::TemplateOutcome& result, const Origin& origin, UnitOutcome& outcome) {
  if (result.kind == format::TemplateOutcome::Kind::kExample) return true;
  outcome.rejection = Rejection{origin, 0, std::string(result.Reason()), result.detail};
  return false;
}

}  // namespace

bool TemplateRecord(const format::ExampleTemplate& tmpl, simdjson::dom::object record,
                    simdjson::dom::parser& parser, Example& example, UnitOutcome& outcome) {
  // The context is built before Apply reuses `parser`, which invalidates `record`.
  const jinja::Value context = format::RecordContext(record, example.origin);
  return Finish(tmpl.Apply(context, parser, example), example.origin, outcome);
}

bool TemplateDocument(const format::ExampleTemplate& tmpl, const Document& document,
                      const chunk::Chunk* chunk, size_t chunk_count, simdjson::dom::parser& parser,
                      Example& example, UnitOutcome& outcome) {
  format::DocumentFields fields;
  fields.text = example.text;
  fields.title = document.title;
  fields.origin = &example.origin;
  fields.metadata = &example.metadata;
  fields.chunk_count = chunk_count;
  if (chunk != nullptr) {
    fields.heading_path = chunk->heading_path;
    fields.chunk_index = chunk->index;
    fields.tokens = chunk->tokens;
  }
  const jinja::Value context = format::DocumentContext(fields);
  return Finish(tmpl.Apply(context, parser, example), example.origin, outcome);
}

}  // namespace tunepack::pipeline
