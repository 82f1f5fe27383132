// ExampleTemplate: `export --template FILE`, a Jinja2 template that maps one input unit (a
// record, a document or a chunk of one) to one Example.
//
// The contract (docs/export.md, "Shaping examples with a template"):
// - The template reads a context: for records, the record's own fields; for documents and
//   chunks, text, title, source, heading_path, heading, metadata, chunk_index, chunk_count
//   and tokens (see DocumentContext and RecordContext below).
// - It renders the JSON of an Example, one object, in one of the shapes tunepack reads:
//   {"messages": [...]} (openai, with optional "tools"), {"conversations": [...]}
//   (sharegpt), {"instruction": ..., "output": ...} (alpaca), {"prompt": ..., "completion":
//   ...} (a user turn and an assistant turn) or {"text": ...}. An optional "metadata"
//   object is merged into the example's metadata.
// - Output that is empty or only whitespace means "skip this unit": the template decided
//   the unit makes no example (for instance `{% if answer %}...{% endif %}`). It is still
//   accounted for: the ledger records it with reason `template_skipped`.
// - A render error and output that is not such an object are rejections whose detail
//   names the template file, line and column (of the template for render errors, of the
//   rendered output for invalid JSON).
//
// The template is parsed once; Apply is const and thread-safe (each call renders with its
// own renderer state), so the pipeline's workers share one ExampleTemplate.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/reject_reason.h"
#include "tunepack/core/result.h"
#include "tunepack/template/template.h"
#include "tunepack/template/value.h"

namespace tunepack::format {

// TemplateOutcome: what applying a template to one unit gave.
struct TemplateOutcome {
  enum class Kind { kExample, kSkipped, kRenderError, kInvalidOutput };
  Kind kind = Kind::kExample;
  std::string detail;  ///< for everything but kExample: a sentence naming file:line:column

  // Returns the ledger reason (kTemplateSkipped, kTemplateError or kInvalidTemplateOutput;
  // kInternalError for kExample, which is not a rejection).
  RejectReason Reason() const;
};

// DocumentFields: what the pipeline knows about a document or chunk, for DocumentContext.
struct DocumentFields {
  std::string_view text;       ///< the document's text, or the chunk's text as it would be written
  std::string_view title;
  const Origin* origin = nullptr;
  std::vector<std::string> heading_path;  ///< headings above the chunk, outermost first
  std::string heading;  ///< the chunk's own heading when it starts with one, else ""
  const Metadata* metadata = nullptr;
  size_t chunk_index = 0;
  size_t chunk_count = 1;
  size_t tokens = 0;  ///< token count of `text` when chunked; 0 means unknown (not chunked)
};

// Returns the context a template sees for a document or chunk:
//   text, title, source (the input path), heading_path (list: the headings above the
//   chunk), heading (the heading the chunk starts with, else the last of heading_path, else
//   "" ), metadata (dict: the document's metadata, values as JSON
//   values), chunk_index, chunk_count, tokens (none when not chunked), record_index and
//   line (the unit's position in its source; 0 for whole files).
jinja::Value DocumentContext(const DocumentFields& fields);

// Returns the context for a JSON record: its fields as top-level variables, plus `record`
// (the whole record, for keys that are not identifiers) and `source`, `record_index` and
// `line` (where it came from); a field of the record with one of those names wins.
jinja::Value RecordContext(simdjson::dom::object record, const Origin& origin);

// Returns `value` (any JSON value) as a template value: objects become dicts in key order,
// integers ints (larger than int64: floats), other numbers floats.
jinja::Value JsonToValue(simdjson::dom::element value);

class ExampleTemplate {
 public:
  // Reads and parses the template at `path`. `search_dirs` (--template-dir) is where
  // include, import and extends look for templates, in order; the folder of `path` is
  // searched after them. Syntax errors come back as InvalidArgument "path:line:column: ...".
  static Result<std::shared_ptr<const ExampleTemplate>> Load(const std::string& path,
                                                             std::vector<std::string> search_dirs);
  // Same, from source text (tests); `name` names the template in errors.
  static Result<std::shared_ptr<const ExampleTemplate>> FromSource(std::string_view source, std::string name,
                                                                   std::vector<std::string> search_dirs = {});

  // Renders `context` and reads the output into `out` (whose origin and metadata are kept;
  // the output's "metadata" entries are added to them). `parser` is the caller's scratch
  // parser (one per thread); elements the caller holds from it become invalid.
  TemplateOutcome Apply(const jinja::Value& context, simdjson::dom::parser& parser, Example& out) const;

  const std::string& path() const { return template_.name(); }
  // Returns a hash of the template's source, so that --resume refuses a changed template.
  const std::string& source_hash() const { return source_hash_; }

 private:
  ExampleTemplate(jinja::Template tmpl, std::string source_hash)
      : template_(std::move(tmpl)), source_hash_(std::move(source_hash)) {}
  jinja::Template template_;
  std::string source_hash_;
};

}  // namespace tunepack::format
