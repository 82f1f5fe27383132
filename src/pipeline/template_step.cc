#include "pipeline/template_step.h"

namespace tunepack::pipeline {
namespace {

// Returns the text of the heading block that starts at `begin` in `document` ("" when the
// chunk starting there does not start with a heading), without its Markdown '#' marks.
std::string HeadingStartingAt(const Document& document, size_t begin) {
  for (const Block& block : document.blocks) {
    if (block.kind != BlockKind::kHeading || block.begin != begin || block.end > document.text.size()) continue;
    std::string_view text(document.text.data() + block.begin, block.end - block.begin);
    const size_t start = text.find_first_not_of("# \t");
    if (start == std::string_view::npos) return "";
    text.remove_prefix(start);
    text = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
    // A closing run of '#' counts only after a space ("C#" is a heading about C#).
    const size_t marks = text.find_last_not_of('#');
    if (marks != std::string_view::npos && marks + 1 < text.size() && (text[marks] == ' ' || text[marks] == '\t')) {
      text = text.substr(0, text.find_last_not_of(" \t", marks) + 1);
    }
    return std::string(text);
  }
  return "";
}

bool Finish(const format::TemplateOutcome& result, const Origin& origin, UnitOutcome& outcome) {
  if (result.kind == format::TemplateOutcome::Kind::kExample) return true;
  outcome.rejection = Rejection{origin, 0, result.Reason(), result.detail};
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
    fields.heading = HeadingStartingAt(document, chunk->begin);
    fields.chunk_index = chunk->index;
    fields.tokens = chunk->tokens;
  } else {
    fields.heading = HeadingStartingAt(document, 0);
  }
  const jinja::Value context = format::DocumentContext(fields);
  return Finish(tmpl.Apply(context, parser, example), example.origin, outcome);
}

}  // namespace tunepack::pipeline
