// `tunepack render TEMPLATE --context FILE.json`: renders a Jinja2 template with the JSON
// object in FILE as its variables and writes the text to stdout, nothing added
// (docs/architecture.md, "Interfaces others rely on").
#include <cstdio>
#include <filesystem>
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
#include "tunepack/template/template.h"

namespace tunepack::cli {
namespace {

struct RenderFlags {
  std::string template_path;
  std::string context_path;
  bool trim_blocks = false;
  bool lstrip_blocks = false;
  bool chat = false;
  std::vector<std::string> template_dirs;  ///< --template-dir
};

// Through io::, which refuses a FIFO or a device (`render /dev/zero`) and caps the size.
Result<std::string> ReadText(const std::string& path) { return io::ReadWholeFile(path, io::kMaxConfigFileBytes); }

int RunRender(const RenderFlags& flags) {
  auto source = ReadText(flags.template_path);
  if (!source.ok()) return Fail(source.error());
  jinja::Value context = jinja::Value::MakeDict();
  if (!flags.context_path.empty()) {
    auto text = ReadText(flags.context_path);
    if (!text.ok()) return Fail(text.error());
    auto parsed = jinja::ParseJson(*text);
    if (!parsed.ok()) return Fail(parsed.error().WithContext(flags.context_path));
    if (!parsed->is_dict()) return Fail(InvalidArgumentError(flags.context_path + ": the context must be a JSON object"));
    context = std::move(*parsed);
  }
  Result<std::string> out = std::string();
  if (flags.chat) {
    auto chat = jinja::ChatTemplate::Create(*source, jinja::Value::MakeDict(), flags.template_path);
    if (!chat.ok()) return Fail(chat.error());
    out = chat->RenderContext(context);
  } else {
    jinja::TemplateOptions options;
    options.trim_blocks = flags.trim_blocks;
    options.lstrip_blocks = flags.lstrip_blocks;
    // As in `export --template`: the --template-dir folders, then the template's own.
    options.search_path = flags.template_dirs;
    const std::string folder = std::filesystem::path(flags.template_path).parent_path().string();
    options.search_path.push_back(folder.empty() ? "." : folder);
    auto tpl = jinja::Template::Parse(*source, flags.template_path, options);
    if (!tpl.ok()) return Fail(tpl.error());
    out = tpl->Render(context);
  }
  if (!out.ok()) return Fail(out.error());
  std::fwrite(out->data(), 1, out->size(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterRenderCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<RenderFlags>();
  CLI::App* sub = app.add_subcommand(
      "render", "Render a Jinja2 template with the variables of a JSON object; prints the text, nothing added");
  sub->add_option("TEMPLATE", flags->template_path, "The template file")->required();
  sub->add_option("--context", flags->context_path, "A JSON file holding an object: the template's variables");
  sub->add_flag("--trim-blocks", flags->trim_blocks, "Remove the first newline after a block tag (Jinja2's trim_blocks)");
  sub->add_flag("--lstrip-blocks", flags->lstrip_blocks,
                "Strip spaces and tabs before a block tag on its line (Jinja2's lstrip_blocks)");
  sub->add_option("--template-dir", flags->template_dirs,
                  "Where include, import and extends find templates (repeatable; the template's own "
                  "folder is searched last)");
  sub->add_flag("--chat", flags->chat,
                "Use the environment transformers uses for chat templates: trim_blocks, lstrip_blocks, "
                "immutable sandbox, its tojson, raise_exception and strftime_now");
  sub->footer("Without --trim-blocks/--lstrip-blocks/--chat the template renders as with Jinja2's defaults "
              "(autoescape off). Errors name the template, line and column.");
  sub->callback([flags, &context] { context.exit_code = RunRender(*flags); });
}

}  // namespace tunepack::cli
