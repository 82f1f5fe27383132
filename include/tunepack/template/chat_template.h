// ChatTemplate: a model's chat template rendered as transformers' apply_chat_template does
// (formats.md section 9): trim_blocks and lstrip_blocks on, loop controls, the immutable
// sandbox, transformers' tojson, raise_exception(msg), strftime_now(fmt), the special tokens
// of tokenizer_config.json, and messages / tools / documents / add_generation_prompt plus
// extra keyword arguments as variables.
//
// Example:
//   TP_ASSIGN_OR_RETURN(ChatTemplate chat, ChatTemplate::LoadFromDirectory("models/qwen3"));
//   ChatInputs in;
//   TP_ASSIGN_OR_RETURN(in.messages, ParseJson(R"([{"role":"user","content":"Hi"}])"));
//   in.add_generation_prompt = true;
//   TP_ASSIGN_OR_RETURN(std::string prompt, chat.Render(in));
#pragma once

#include <string>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/template/template.h"
#include "tunepack/template/value.h"

namespace tunepack::jinja {

// ChatInputs: what apply_chat_template passes to the template.
struct ChatInputs {
  Value messages = Value::MakeList();
  Value tools = Value::None();      ///< None when no tools are given, as transformers passes it
  Value documents = Value::None();  ///< None when no documents are given
  bool add_generation_prompt = false;
  Value extra = Value::MakeDict();  ///< extra keyword arguments (enable_thinking...)
};

class ChatTemplate {
 public:
  // Builds from template source and the tokenizer's special tokens (a dict name -> string,
  // e.g. {"bos_token": "<s>"}); `name` names the template in errors.
  static Result<ChatTemplate> Create(std::string_view source, Value special_tokens, std::string name);

  // Loads DIR/tokenizer_config.json (its "chat_template", a string or a list of named
  // templates) and DIR/chat_template.jinja, which takes precedence, as transformers does.
  // With several named templates, `tool_use` is chosen when `want_tool_use`, else `default`.
  static Result<ChatTemplate> LoadFromDirectory(const std::string& dir, bool want_tool_use = false);

  // Renders the conversation; a template's raise_exception(msg) comes back as an
  // InvalidArgument status whose message ends with `msg`.
  Result<std::string> Render(const ChatInputs& inputs) const;
  // Same, and also returns the byte ranges of {% generation %} blocks (assistant output).
  Result<std::string> Render(const ChatInputs& inputs, std::vector<std::pair<size_t, size_t>>* spans) const;
  // Appends the rendering to `out` (and the byte ranges of `out` inside {% generation %}
  // blocks to `spans` when non-null); on error `out` holds what was rendered before it. A
  // caller rendering many conversations can clear and reuse one string, whose capacity then
  // serves every render.
  Status RenderTo(const ChatInputs& inputs, std::string& out,
                  std::vector<std::pair<size_t, size_t>>* spans = nullptr) const;

  // Renders with an arbitrary context (a dict), adding raise_exception and strftime_now
  // as the environment globals transformers defines.
  Result<std::string> RenderContext(const Value& context) const;

  const Template& tmpl() const { return template_; }
  const Value& special_tokens() const { return special_tokens_; }

 private:
  ChatTemplate(Template t, const Value& special_tokens);
  Template template_;
  Value special_tokens_;  ///< a dict of its own (no caller can change it), so the two below stay true
  // Where each special token goes in a render's context: the index of the fixed key it
  // replaces (messages, tools...) or its own index after them.
  std::vector<size_t> special_token_positions_;
  // The template's variable slot of each key of the context up to the special tokens
  // (Template::SlotsOf), found once rather than at every render.
  std::vector<int> context_slots_;
};

// Returns the special tokens of a parsed tokenizer_config.json, as transformers'
// special_tokens_map exposes them: bos/eos/unk/sep/pad/cls/mask tokens that are set (string
// or {"content": ...}) and additional_special_tokens.
Value SpecialTokensFromConfig(const Value& config);

}  // namespace tunepack::jinja
