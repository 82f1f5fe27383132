// Template: a parsed Jinja2 template, rendered with Jinja2 3.1's semantics.
//
// Example:
//   auto tpl = Template::Parse("Hello {{ name }}!", "greeting", TemplateOptions{});
//   Value context = Value::MakeDict();
//   context.as_dict().Set(Value::String("name"), Value::String("world"));
//   Result<std::string> text = tpl->Render(context);   // "Hello world!"
//
// Errors (syntax or runtime) come back as a Status whose message starts with
// "<name>:<line>:<column>: " followed by what Python Jinja2 would say, for example
// "chat.jinja:3:14: expected token 'end of print statement', got 'x'".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/template/value.h"

namespace tunepack::jinja {

namespace internal {
struct Program;
}

// TemplateOptions: the environment settings that change how a template parses and renders.
struct TemplateOptions {
  bool trim_blocks = false;            ///< drop the first newline after a block tag
  bool lstrip_blocks = false;          ///< strip spaces and tabs before a block tag on its line
  bool keep_trailing_newline = false;  ///< keep the template's final newline
  // Allow {% break %} and {% continue %}: off, as in a default Jinja2 Environment (they need
  // its loopcontrols extension); chat templates have them (ChatTemplateOptions), as
  // transformers loads that extension.
  bool loop_controls = false;
  // Immutable sandbox, as transformers renders chat templates: no mutating methods
  // (append, pop, update...) and range() capped at 100,000 items.
  bool sandboxed = false;
  // tojson as transformers overrides it (json.dumps(ensure_ascii=False), optional indent,
  // separators, sort_keys) instead of Jinja2's HTML-safe, key-sorted, ASCII-only version.
  bool transformers_tojson = false;

  // Safety limits for untrusted templates; exceeding one is a ResourceExhausted error.
  int max_call_depth = 200;                  ///< nested macro calls and includes
  uint64_t max_loop_iterations = 10'000'000;  ///< iterations of all loops in one render
  uint64_t max_output_bytes = 256u << 20;     ///< size of the rendered text, and of any value
  // Work in one render: statements run, calls made and items walked by loops, filters and
  // `in`. Bounds exponential recursion (a macro calling itself twice) to well under a second.
  uint64_t max_operations = 10'000'000;

  // Folders where include, import and extends find templates by name, searched in order
  // (Jinja2's FileSystemLoader). Empty: those statements fail with an error.
  std::vector<std::string> search_path;
};

// TemplateOptions for chat templates, set up as transformers does (formats.md section 9).
TemplateOptions ChatTemplateOptions();

class Template {
 public:
  // Parses `source`. `name` names the template in error messages (usually its file path).
  static Result<Template> Parse(std::string_view source, std::string name,
                                const TemplateOptions& options);

  // Renders with the variables of the dict `context`; non-dicts mean no variables.
  Result<std::string> Render(const Value& context) const;
  // Appends the rendering to `out`; on error `out` holds whatever was rendered before it.
  Status RenderTo(const Value& context, std::string& out) const;
  // Same, and also appends the byte ranges of `out` written inside {% generation %} blocks
  // (what transformers' AssistantTracker records for the assistant-token mask).
  Status RenderTo(const Value& context, std::string& out,
                  std::vector<std::pair<size_t, size_t>>* generation_spans) const;

  // Returns the names the template reads from its context (not set or bound inside it), in
  // order of first use, e.g. {"messages", "add_generation_prompt", "bos_token"}.
  std::vector<std::string> ReferencedVariables() const;

  // Returns true when the template has a {% generation %} block (transformers' marker of
  // assistant output, needed for an assistant-token mask).
  bool HasGenerationBlocks() const;

  const std::string& name() const;

 private:
  friend class ChatTemplate;
  // Returns the template's variable slot of each name (-1 where it reads no such variable).
  std::vector<int> SlotsOf(const std::vector<std::string_view>& names) const;
  // RenderTo, where the first keys of the dict `context` are known ahead: `key_slots[i]` is
  // the slot of its i-th key (from SlotsOf), so the render does not look those keys up.
  Status RenderWithSlots(const Value& context, std::string& out,
                         std::vector<std::pair<size_t, size_t>>* generation_spans,
                         const std::vector<int>* key_slots) const;

  explicit Template(std::shared_ptr<const internal::Program> program)
      : program_(std::move(program)) {}
  std::shared_ptr<const internal::Program> program_;
};

}  // namespace tunepack::jinja
