// `tunepack chat-template --model DIR --messages FILE.json [--add-generation-prompt]
// [--tools FILE]`: renders a model's own chat template as transformers'
// apply_chat_template(tokenize=False) does (docs/architecture.md, "Interfaces others rely
// on"). DIR holds tokenizer_config.json and/or chat_template.jinja (which wins).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/io/file.h"
#include "tunepack/template/chat_template.h"

namespace tunepack::cli {
namespace {

struct ChatTemplateFlags {
  std::string model_dir;
  std::string messages_path;
  std::string tools_path;
  std::string documents_path;
  bool add_generation_prompt = false;
  std::vector<std::string> vars;
};

Result<jinja::Value> ReadJsonFile(const std::string& path) {
  // Through io::, which refuses a FIFO or a device and caps the size.
  TP_ASSIGN_OR_RETURN(const std::string text, io::ReadWholeFile(path, io::kMaxConfigFileBytes));
  auto parsed = jinja::ParseJson(text);
  if (!parsed.ok()) return parsed.error().WithContext(path);
  return parsed;
}

int RunChatTemplate(const ChatTemplateFlags& flags) {
  jinja::ChatInputs inputs;
  auto messages = ReadJsonFile(flags.messages_path);
  if (!messages.ok()) return Fail(messages.error());
  // A bare list of messages, or an object with "messages" (and optionally "tools").
  if (messages->is_dict()) {
    if (const jinja::Value* tools = messages->as_dict().Find("tools")) inputs.tools = *tools;
    const jinja::Value* list = messages->as_dict().Find("messages");
    if (list == nullptr) return Fail(InvalidArgumentError(flags.messages_path + ": no \"messages\" list"));
    inputs.messages = *list;
  } else {
    inputs.messages = *messages;
  }
  if (!inputs.messages.is_list()) {
    return Fail(InvalidArgumentError(flags.messages_path + ": messages must be a JSON list"));
  }
  if (!flags.tools_path.empty()) {
    auto tools = ReadJsonFile(flags.tools_path);
    if (!tools.ok()) return Fail(tools.error());
    inputs.tools = std::move(*tools);
  }
  if (!flags.documents_path.empty()) {
    auto documents = ReadJsonFile(flags.documents_path);
    if (!documents.ok()) return Fail(documents.error());
    inputs.documents = std::move(*documents);
  }
  for (const std::string& var : flags.vars) {
    const size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(InvalidArgumentError("--var expects NAME=JSON, got '" + var + "'"));
    }
    auto value = jinja::ParseJson(var.substr(eq + 1));
    // JSON nested too deeply is refused, not taken as a string.
    if (!value.ok() && value.error().code() == StatusCode::kResourceExhausted) {
      return Fail(value.error().WithContext("--var " + var.substr(0, eq)));
    }
    // A value that is not JSON is taken as a string, so --var date_string=2024-01-01 works.
    inputs.extra.as_dict().Set(jinja::Value::String(var.substr(0, eq)),
                               value.ok() ? std::move(*value) : jinja::Value::String(var.substr(eq + 1)));
  }
  inputs.add_generation_prompt = flags.add_generation_prompt;
  const bool tools_given = inputs.tools.is_list() && !inputs.tools.as_list().items.empty();
  auto chat = jinja::ChatTemplate::LoadFromDirectory(flags.model_dir, tools_given);
  if (!chat.ok()) return Fail(chat.error());
  auto out = chat->Render(inputs);
  if (!out.ok()) return Fail(out.error());
  std::fwrite(out->data(), 1, out->size(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterChatTemplateCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<ChatTemplateFlags>();
  CLI::App* sub = app.add_subcommand(
      "chat-template", "Render a conversation with a model's own chat template, as transformers does");
  sub->add_option("--model", flags->model_dir,
                  "Folder with tokenizer_config.json (its chat_template and special tokens) and/or "
                  "chat_template.jinja, which takes precedence")
      ->required();
  sub->add_option("--messages", flags->messages_path,
                  "JSON file: a list of messages, or an object with \"messages\" (and \"tools\")")
      ->required();
  sub->add_flag("--add-generation-prompt", flags->add_generation_prompt,
                "Append the prompt that starts the assistant's reply");
  sub->add_option("--tools", flags->tools_path, "JSON file: the list of tool (function) schemas");
  sub->add_option("--documents", flags->documents_path, "JSON file: a list of documents for RAG templates");
  sub->add_option("--var", flags->vars,
                  "Extra template variable NAME=JSON (e.g. enable_thinking=false); repeatable");
  sub->footer("Prints the rendered text only, nothing added. A template's raise_exception(...) is an error "
              "(exit code 2).");
  sub->callback([flags, &context] { context.exit_code = RunChatTemplate(*flags); });
}

}  // namespace tunepack::cli
