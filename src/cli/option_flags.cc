#include "cli/option_flags.h"

#include <map>

#include "tunepack/core/option_ref.h"

namespace tunepack::cli {

OptionFlags::OptionFlags(CLI::App& app, const options::OptionTable& table, options::CommandMask command)
    : table_(table), command_(command) {
  for (const options::OptionSpec& spec : table.specs()) {
    if (!(spec.commands & command)) continue;
    auto bound = std::make_unique<Bound>();
    bound->spec = &spec;
    std::string names;
    if (spec.positional) {
      names = spec.name;
    } else {
      if (!spec.short_name.empty()) names = "-" + spec.short_name + ",";
      names += "--" + options::CliName(spec);
    }
    const std::string doc = WordOptionRefs(spec.doc, OptionStyle::kCli);
    if (spec.type == options::ValueType::kBool) {
      bound->option = app.add_flag(names, doc);
    } else {
      bound->option = app.add_option(names, bound->texts, doc);
      if (spec.type != options::ValueType::kStringList) {
        bound->option->allow_extra_args(false)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
      }
      if (!spec.value_name.empty()) {
        bound->option->type_name(spec.value_name);
      } else if (!spec.choices.empty()) {
        bound->option->type_name(options::ChoiceNames(spec, "|"));
      }
      const std::string fallback = options::DefaultText(spec);
      if (!fallback.empty()) bound->option->default_str(fallback);
    }
    if (spec.required) bound->option->required();
    bound->option->group(spec.group);
    bound_.push_back(std::move(bound));
  }
}

Result<options::OptionValues> OptionFlags::Values() const {
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& bound : bound_) {
    if (bound->option->count() == 0) continue;
    given[bound->spec->name] = bound->texts;
  }
  return table_.FromText(given, command_);
}

}  // namespace tunepack::cli
