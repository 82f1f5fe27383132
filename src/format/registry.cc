// The built-in format registry, detection and lookup by name.
#include <cstdlib>

#include "format/builtin_formats.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/format/target.h"

namespace tunepack::format {

Status RegisterBuiltinFormats(FormatRegistry& registry) {
  // Registration order is detection order (most specific shape first) and the order of
  // `tunepack formats`. A new format is one file and one line here.
  // A preference shape is detected before the chat shape it extends (sharegpt-preference
  // has sharegpt's "conversations"); Bedrock's records before openai, whose "messages" they
  // also have (bedrock-claude is told apart by its "system" string, bedrock-nova by its
  // "schemaVersion").
  for (Format (*make)() : {internal::BedrockClaudeFormat, internal::BedrockNovaFormat, internal::OpenAiFormat, internal::ShareGptPreferenceFormat,
                           internal::ShareGptFormat, internal::AlpacaFormat,
                           internal::ChatMlFormat, internal::JsonlFormat, internal::TextFormat,
                           internal::MarkdownFormat, internal::ChatTemplateFormat,
                           internal::OpenAiDpoFormat, internal::TrlPreferenceFormat,
                           internal::TrlPreferenceImplicitFormat, internal::TrlPreferenceTextFormat,
                           internal::TrlKtoFormat, internal::TrlKtoTextFormat,
                           internal::AlpacaPreferenceFormat, internal::AnthropicHhFormat,
                           internal::PromptCompletionFormat, internal::VertexGeminiFormat,
                           internal::AxolotlInputOutputFormat}) {
    TP_RETURN_IF_ERROR(registry.Add(make()));
  }
  return Status::Ok();
}

const FormatRegistry& BuiltinFormats() {
  static const FormatRegistry* const registry = [] {
    auto* built = new FormatRegistry();
    // The built-in names are distinct; failing here is a bug, never bad input.
    if (!RegisterBuiltinFormats(*built).ok()) std::abort();
    return built;
  }();
  return *registry;
}

const Format* PlainFileFormatFor(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".jsonl") || ends_with(".json")) return nullptr;
  for (const Format& format : BuiltinFormats().entries()) {
    if (format.split && ends_with(format.extension)) return &format;
  }
  return nullptr;
}

const Format* DetectFormat(const FormatRegistry& registry, simdjson::dom::element record) {
  for (const Format& format : registry.entries()) {
    if (format.matches && format.matches(record)) return &format;
  }
  return nullptr;
}

Result<const Format*> FindFormat(const FormatRegistry& registry, std::string_view name) {
  if (const Format* format = registry.Find(name)) return format;
  return NotFoundError("unknown format '" + std::string(name) + "' (formats: " +
                       registry.Names() + ")");
}

Result<const Format*> FindFormat(std::string_view name) {
  return FindFormat(BuiltinFormats(), name);
}

namespace {

// Returns `format` writing only examples that keep `target`'s turn rules: an example that
// breaks one is refused (InvalidArgument, naming the rule) instead of written. The format's
// own refusal comes first: a tool call that vertex-gemini cannot hold is a lossy conversion
// before it is a role the target does not take.
Format ForTarget(Format format, const Target& target) {
  format.write = [write = std::move(format.write), rules = target.rules, who = target.name](
                     const Example& example, const WriteOptions& options, std::string& out) {
    const size_t before = out.size();
    TP_RETURN_IF_ERROR(write(example, options, out));
    if (Status broken = CheckTurnRules(rules, example, who); !broken.ok()) {
      out.resize(before);  // on error, `out` is left as it was
      return broken;
    }
    return Status::Ok();
  };
  return format;
}

}  // namespace

Result<std::shared_ptr<const Format>> BindFormat(std::string_view name, const FormatParams& params) {
  if (!params.target.empty()) {
    TP_ASSIGN_OR_RETURN(const Target* target, FindTarget(params.target));
    TP_RETURN_IF_ERROR(TargetFormat(*target, name).status());
    FormatParams rest = params;
    rest.target.clear();
    TP_ASSIGN_OR_RETURN(std::shared_ptr<const Format> bound, BindFormat(name, rest));
    return std::make_shared<const Format>(ForTarget(*bound, *target));
  }
  TP_ASSIGN_OR_RETURN(const Format* format, FindFormat(name));
  if (format->bind) {
    TP_ASSIGN_OR_RETURN(Format bound, format->bind(params));
    return std::make_shared<const Format>(std::move(bound));
  }
  if (!params.model_dir.empty()) {
    return InvalidArgumentError(OptionRef("model") + " is for " + OptionRef("format") + " chat-template, not " + format->name);
  }
  if (params.strip_generation_prompt) {
    return InvalidArgumentError(OptionRef("strip-generation-prompt") + " is for " + OptionRef("format") + " chat-template, not " + format->name);
  }
  return std::make_shared<const Format>(*format);
}

}  // namespace tunepack::format
