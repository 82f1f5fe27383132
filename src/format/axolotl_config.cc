// Reading an axolotl config: the `datasets:` entry that describes the inputs, resolved with
// the defaults axolotl's loaders give (src/axolotl/prompt_strategies/chat_template.py,
// StrategyLoader; src/axolotl/utils/schemas/datasets.py and utils.py for the legacy
// message_field_role/content), and every option that would make axolotl read or train the
// records in a way no tunepack format carries refused with the reason. yaml-cpp throws; its
// exceptions stop here and become a Status that names the file, line and column.
#include <algorithm>
#include <array>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "format/axolotl_types.h"
#include "tunepack/core/utf8.h"
#include "tunepack/format/axolotl_dataset.h"
#include "tunepack/io/file.h"

namespace tunepack::format {
namespace {

// A config is small; a bound keeps a wrong path (a dataset file) from being read whole.
constexpr uint64_t kMaxConfigBytes = 16u << 20;

// axolotl's role map when an entry gives no `roles` (ChatTemplatePrompter).
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kDefaultRoles = {{
    {"human", "user"}, {"user", "user"}, {"assistant", "assistant"},
    {"gpt", "assistant"}, {"system", "system"}, {"tool", "tool"},
}};

// Errors of one config file, placed at the YAML node they are about.
class ConfigErrors {
 public:
  explicit ConfigErrors(const std::string& path) : path_(path) {}

  Status At(const YAML::Node& node, const std::string& what) const {
    // An absent key's node has no place (and Mark() would throw on it).
    const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    if (mark.is_null()) return InvalidArgumentError(path_ + ": " + what);
    return InvalidArgumentError(path_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
                                ": " + what);
  }

  // The string at `key` of `map`, or nothing when it is absent or null.
  Result<std::optional<std::string>> String(const YAML::Node& map, const char* key) const {
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return std::optional<std::string>();
    if (!node.IsScalar()) return At(node, std::string(key) + " must be a string");
    return std::optional<std::string>(node.Scalar());
  }

  // The boolean at `key` of `map`, or `fallback` when it is absent or null.
  Result<bool> Bool(const YAML::Node& map, const char* key, bool fallback) const {
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return fallback;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      return At(node, std::string(key) + " must be true or false");
    }
    return value;
  }

  // The list of strings at `key` of `map`, or nothing when it is absent or null.
  Result<std::optional<std::vector<std::string>>> Strings(const YAML::Node& map, const char* key) const {
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull()) return std::optional<std::vector<std::string>>();
    if (!node.IsSequence()) return At(node, std::string(key) + " must be a list of strings");
    std::vector<std::string> values;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return At(item, std::string(key) + " must be a list of strings");
      values.push_back(item.Scalar());
    }
    return std::optional<std::vector<std::string>>(std::move(values));
  }

 private:
  const std::string& path_;
};

// Picks the entry of `datasets` that `selector` names (see LoadAxolotlDataset).
Result<YAML::Node> SelectEntry(const YAML::Node& datasets, std::string_view selector, const ConfigErrors& errors) {
  std::vector<std::string> paths;
  std::vector<size_t> matches;
  for (size_t i = 0; i < datasets.size(); ++i) {
    const YAML::Node entry = datasets[i];
    if (!entry.IsMap()) return errors.At(entry, "datasets[" + std::to_string(i) + "] must be a mapping");
    TP_ASSIGN_OR_RETURN(std::optional<std::string> path, errors.String(entry, "path"));
    paths.push_back(path.value_or(""));
    if (path && *path == selector) matches.push_back(i);
  }
  std::string listing;
  for (size_t i = 0; i < paths.size(); ++i) {
    listing += (i == 0 ? "" : ", ") + std::to_string(i) + ": " + (paths[i].empty() ? "(no path)" : paths[i]);
  }
  if (selector.empty()) {
    if (datasets.size() == 1) return datasets[0];
    return errors.At(datasets, "datasets has " + std::to_string(datasets.size()) +
                                   " entries: name one by its path or index (" + listing + ")");
  }
  if (matches.size() > 1) {
    return errors.At(datasets, "several datasets have the path \"" + std::string(selector) +
                                   "\": name one by its index (" + listing + ")");
  }
  if (matches.size() == 1) return datasets[matches.front()];
  const bool digits = std::all_of(selector.begin(), selector.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && selector.size() < 10 && std::stoul(std::string(selector)) < datasets.size()) {
    return datasets[std::stoul(std::string(selector))];
  }
  return errors.At(datasets, "no dataset \"" + std::string(selector) + "\" (by path or index: " + listing + ")");
}

// message_property_mappings with the legacy message_field_role/content folded in, as
// axolotl's handle_legacy_message_fields_logic does: role and content always present.
Status ReadPropertyMappings(const YAML::Node& entry, const ConfigErrors& errors, AxolotlDataset& dataset) {
  const YAML::Node mappings = entry["message_property_mappings"];
  if (mappings.IsDefined() && !mappings.IsNull()) {
    if (!mappings.IsMap()) return errors.At(mappings, "message_property_mappings must map properties to keys");
    for (const auto& item : mappings) {
      if (!item.first.IsScalar() || !item.second.IsScalar()) {
        return errors.At(item.first, "message_property_mappings must map properties to keys (strings)");
      }
      dataset.property_mappings.emplace_back(item.first.Scalar(), item.second.Scalar());
    }
  }
  for (const char* property : {"role", "content"}) {
    const std::string legacy_key = std::string("message_field_") + property;
    TP_ASSIGN_OR_RETURN(std::optional<std::string> legacy, errors.String(entry, legacy_key.c_str()));
    auto mapped = std::find_if(dataset.property_mappings.begin(), dataset.property_mappings.end(),
                               [&](const auto& mapping) { return mapping.first == property; });
    if (mapped != dataset.property_mappings.end()) {
      if (legacy && *legacy != mapped->second) {
        return errors.At(entry[legacy_key], legacy_key + " \"" + *legacy + "\" conflicts with " +
                                                "message_property_mappings." + property + " \"" + mapped->second + "\"");
      }
      continue;
    }
    dataset.property_mappings.emplace_back(property, legacy && !legacy->empty() ? *legacy : property);
  }
  return Status::Ok();
}

// `roles` ({axolotl role: [the file's names]}) flattened, or axolotl's default map.
Status ReadRoles(const YAML::Node& entry, const ConfigErrors& errors, AxolotlDataset& dataset) {
  const YAML::Node roles = entry["roles"];
  if (!roles.IsDefined() || roles.IsNull() || (roles.IsMap() && roles.size() == 0)) {
    for (const auto& [source, target] : kDefaultRoles) dataset.roles.emplace_back(source, target);
    return Status::Ok();
  }
  if (!roles.IsMap()) return errors.At(roles, "roles must map each role to a list of the file's role names");
  for (const auto& item : roles) {
    if (!item.first.IsScalar() || !item.second.IsSequence()) {
      return errors.At(item.first, "roles must map each role to a list of the file's role names");
    }
    for (const YAML::Node& source : item.second) {
      if (!source.IsScalar()) return errors.At(source, "roles: a role name must be a string");
      // Later mappings of the same name win, as in axolotl's dict comprehension.
      auto known = std::find_if(dataset.roles.begin(), dataset.roles.end(),
                                [&](const auto& role) { return role.first == source.Scalar(); });
      if (known != dataset.roles.end()) {
        known->second = item.first.Scalar();
      } else {
        dataset.roles.emplace_back(source.Scalar(), item.first.Scalar());
      }
    }
  }
  return Status::Ok();
}

std::string MappedRole(const AxolotlDataset& dataset, const std::string& role) {
  for (const auto& [source, target] : dataset.roles) {
    if (source == role) return target;
  }
  return role;
}

// The chat_template options: what is read, and the refusal of what trains other tokens than
// tunepack's assistant turns do.
Status ReadChatTemplate(const YAML::Node& entry, const ConfigErrors& errors, AxolotlDataset& dataset) {
  TP_ASSIGN_OR_RETURN(std::optional<std::string> field_messages, errors.String(entry, "field_messages"));
  if (field_messages && !field_messages->empty()) dataset.field_messages = *field_messages;
  TP_RETURN_IF_ERROR(ReadPropertyMappings(entry, errors, dataset));
  TP_RETURN_IF_ERROR(ReadRoles(entry, errors, dataset));
  TP_ASSIGN_OR_RETURN(std::optional<std::string> training, errors.String(entry, "message_field_training"));
  dataset.message_field_training = training.value_or("");
  TP_ASSIGN_OR_RETURN(dataset.drop_system_message, errors.Bool(entry, "drop_system_message", false));

  TP_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> roles_to_train, errors.Strings(entry, "roles_to_train"));
  std::vector<std::string> trained;
  for (const std::string& role : roles_to_train.value_or(std::vector<std::string>{"assistant"})) {
    const std::string mapped = MappedRole(dataset, role);
    if (std::find(trained.begin(), trained.end(), mapped) == trained.end()) trained.push_back(mapped);
  }
  if (trained != std::vector<std::string>{"assistant"}) {
    std::string listed;
    for (const std::string& role : trained) listed += (listed.empty() ? "" : ", ") + role;
    return errors.At(entry["roles_to_train"],
                     "roles_to_train [" + listed + "]: tunepack trains the assistant turns, as roles_to_train "
                     "[assistant] does; no tunepack format carries other roles' turns as trained");
  }
  for (const char* key : {"train_on_eos", "train_on_eot"}) {
    TP_ASSIGN_OR_RETURN(std::optional<std::string> value, errors.String(entry, key));
    if (value && *value != "turn") {
      return errors.At(entry[key], std::string(key) + " \"" + *value + "\": tunepack's assistant mask covers " +
                                       "each trained turn's end-of-turn token, as \"turn\" (the default) does");
    }
  }
  TP_ASSIGN_OR_RETURN(std::optional<std::string> detail, errors.String(entry, "message_field_training_detail"));
  if (detail) {
    return errors.At(entry["message_field_training_detail"],
                     "message_field_training_detail: tunepack trains whole turns, not character spans");
  }
  TP_ASSIGN_OR_RETURN(bool split_thinking, errors.Bool(entry, "split_thinking", false));
  if (split_thinking) {
    return errors.At(entry["split_thinking"], "split_thinking: tunepack has no reasoning field to split into");
  }
  // The loader (StrategyLoader) does not pass field_tools on: the prompter reads "tools".
  TP_ASSIGN_OR_RETURN(std::optional<std::string> field_tools, errors.String(entry, "field_tools"));
  if (field_tools && *field_tools != "tools") {
    return errors.At(entry["field_tools"], "field_tools \"" + *field_tools +
                                               "\": axolotl's chat_template loader reads \"tools\" whatever it says; "
                                               "rename the field to tools");
  }
  return Status::Ok();
}

Result<AxolotlDataset> ReadEntry(const YAML::Node& config, const YAML::Node& entry, const ConfigErrors& errors) {
  AxolotlDataset dataset;
  TP_ASSIGN_OR_RETURN(std::optional<std::string> path, errors.String(entry, "path"));
  dataset.path = path.value_or("");
  const YAML::Node type = entry["type"];
  if (!type.IsDefined() || type.IsNull()) {
    return errors.At(entry, "a dataset without a type is pre-tokenized (input_ids, labels): tunepack reads records "
                            "of a type (" + internal::AxolotlTypeNames() + ")");
  }
  if (!type.IsScalar()) {
    return errors.At(type, "a user-defined type (field_instruction, format...) is not supported: use one of " +
                               internal::AxolotlTypeNames());
  }
  dataset.type = type.Scalar();
  const internal::AxolotlType* known = internal::FindAxolotlType(dataset.type);
  if (known == nullptr) {
    return errors.At(type, "type \"" + dataset.type + "\" is not supported: use one of " + internal::AxolotlTypeNames() +
                               " (sharegpt is chat_template with field_messages: conversations and "
                               "message_property_mappings {role: from, content: value})");
  }
  dataset.format = std::string(known->format);
  for (const char* key : {"shards", "shards_idx", "input_transform"}) {
    if (entry[key].IsDefined() && !entry[key].IsNull()) {
      return errors.At(entry[key], std::string(key) + ": axolotl then reads part of the file, or changes it; "
                                                      "tunepack reads every record as it is");
    }
  }
  TP_ASSIGN_OR_RETURN(bool train_on_inputs, errors.Bool(config, "train_on_inputs", false));
  if (train_on_inputs && dataset.type != "completion") {
    return errors.At(config["train_on_inputs"], "train_on_inputs: true trains the prompts too; tunepack trains the "
                                                "assistant turns (the output, the label:true segments)");
  }
  if (dataset.type == "chat_template") TP_RETURN_IF_ERROR(ReadChatTemplate(entry, errors, dataset));
  if (dataset.type == "completion") {
    TP_ASSIGN_OR_RETURN(std::optional<std::string> field, errors.String(entry, "field"));
    if (field && !field->empty()) dataset.text_field = *field;
  }
  return dataset;
}

}  // namespace

Result<AxolotlDataset> LoadAxolotlDataset(const std::string& path, std::string_view selector) {
  TP_ASSIGN_OR_RETURN(std::string text, io::ReadWholeFile(path, kMaxConfigBytes));
  return ParseAxolotlDataset(text, selector, path);
}

Result<AxolotlDataset> ParseAxolotlDataset(std::string_view yaml, std::string_view selector, const std::string& path) {
  const ConfigErrors errors(path);
  // YAML is UTF-8, and names read from the config become JSON keys: yaml-cpp passes other
  // bytes through, so they are refused here with where they are.
  if (const size_t bad = FindInvalidUtf8(yaml); bad < yaml.size()) {
    const TextPosition at = PositionOf(yaml, bad);
    return InvalidArgumentError(path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                                ": not valid UTF-8 (a YAML file is UTF-8)");
  }
  try {
    const YAML::Node config = YAML::Load(std::string(yaml));
    if (!config.IsMap()) return errors.At(config, "not an axolotl config (a YAML mapping of options)");
    const YAML::Node rl = config["rl"];
    bool rl_flag = true;
    const bool rl_off = !rl.IsDefined() || rl.IsNull() ||
                        (rl.IsScalar() && (rl.Scalar().empty() || (YAML::convert<bool>::decode(rl, rl_flag) && !rl_flag)));
    if (!rl_off) {
      return errors.At(rl, "rl: axolotl reads the datasets of this config as preference data, which " +
                               std::string("an axolotl config is not read for yet"));
    }
    const YAML::Node datasets = config["datasets"];
    if (!datasets.IsDefined() || datasets.IsNull()) return errors.At(config, "no datasets: list");
    if (!datasets.IsSequence() || datasets.size() == 0) {
      return errors.At(datasets, "datasets must be a list of dataset entries");
    }
    TP_ASSIGN_OR_RETURN(YAML::Node entry, SelectEntry(datasets, selector, errors));
    return ReadEntry(config, entry, errors);
  } catch (const YAML::ParserException& e) {
    return InvalidArgumentError(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                                ": not YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(path + ": " + e.what());
  }
}

}  // namespace tunepack::format
