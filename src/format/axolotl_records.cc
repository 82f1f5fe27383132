// Records of an axolotl dataset reshaped for the tunepack format that reads them, following
// what axolotl reads of a record (src/axolotl/prompt_strategies/chat_template.py:
// get_conversation_thread, transform_message, _convert_content_parts, _get_messages and
// _get_tools; input_output.py; the alpaca prompt tokenizer's instruction/input/output).
// Where axolotl would read a record in a way tunepack cannot carry, the record is refused
// with the reason; fields axolotl ignores are kept as the example's unread fields.
#include <algorithm>
#include <array>

#include "format/axolotl_types.h"
#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// axolotl parses a string that holds the turns or the tools as JSON (_get_messages,
// _get_tools); `parser` keeps the parsed document alive for the caller.
Result<element> ParsedIfString(element value, simdjson::dom::parser& parser, std::string_view field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return value;
  element parsed;
  if (parser.parse(text.data(), text.size()).get(parsed) != simdjson::SUCCESS) {
    return InvalidArgumentError("\"" + std::string(field) + "\" is a string but not JSON");
  }
  return parsed;
}

// A content given as a list of parts becomes their texts joined, as axolotl joins them
// (the first non-empty of text, content, value). Parts that axolotl would read as nothing
// (not an object, no text: an image) and per-part training flags are refused.
Result<std::string> JoinedParts(simdjson::dom::array parts, size_t turn) {
  std::string joined;
  size_t part_idx = 0;
  for (element part : parts) {
    const std::string where = "turn " + std::to_string(turn) + ", content part " + std::to_string(part_idx++);
    object fields;
    if (part.get_object().get(fields) != simdjson::SUCCESS) {
      return InvalidArgumentError(where + " is not an object: axolotl would skip it");
    }
    if (FindField(fields, "train") || FindField(fields, "weight")) {
      return InvalidArgumentError(where + " has its own train or weight: tunepack trains whole turns");
    }
    bool has_text = false;
    std::string_view text;
    for (std::string_view key : {"text", "content", "value"}) {
      std::optional<element> value = FindField(fields, key);
      if (!value || value->is_null()) continue;
      std::string_view candidate;
      if (value->get_string().get(candidate) != simdjson::SUCCESS) {
        return InvalidArgumentError(where + ": \"" + std::string(key) + "\" must be a string");
      }
      has_text = true;
      if (text.empty()) text = candidate;
    }
    if (!has_text) {
      return InvalidArgumentError(where + " has no text (text, content or value): axolotl would read it as empty");
    }
    joined += text;
  }
  return joined;
}

std::string MappedRole(const AxolotlDataset& dataset, std::string_view role) {
  for (const auto& [source, target] : dataset.roles) {
    if (source == role) return target;
  }
  return std::string(role);
}

// Whether a turn is trained by its message_field_training value (Python truthiness of a
// boolean or a number, as axolotl tests it).
Result<bool> TrainingFlag(element value, std::string_view key, size_t turn) {
  bool flag = false;
  if (value.get_bool().get(flag) == simdjson::SUCCESS) return flag;
  double number = 0;
  if (value.get_double().get(number) == simdjson::SUCCESS) return number != 0;
  return InvalidArgumentError("turn " + std::to_string(turn) + ": \"" + std::string(key) +
                              "\" (message_field_training) must be true or false");
}

struct Turn {
  std::string role;  ///< after the roles mapping; "" when the turn has none
  std::string json;
};

// One message as axolotl's transform_message makes it: the mapped properties, the role
// renamed, the other keys as they are (axolotl keeps those the chat template uses: name,
// tool_calls, tool_call_id).
Result<Turn> ReshapeTurn(const AxolotlDataset& dataset, element message, size_t turn_idx) {
  object fields;
  if (message.get_object().get(fields) != simdjson::SUCCESS) {
    return InvalidArgumentError("turn " + std::to_string(turn_idx) + " is not an object");
  }
  Turn turn;
  JsonObjectWriter writer(turn.json);
  for (const auto& [property, key] : dataset.property_mappings) {
    std::optional<element> value = FindField(fields, key);
    if (!value || value->is_null()) continue;
    std::string_view text;
    if (property == "role" && value->get_string().get(text) == simdjson::SUCCESS) {
      turn.role = MappedRole(dataset, text);
      writer.String(property, turn.role);
    } else if (property == "content" && value->is_array()) {
      TP_ASSIGN_OR_RETURN(std::string joined, JoinedParts(value->get_array().value_unsafe(), turn_idx));
      writer.String(property, joined);
    } else {
      writer.Raw(property, MinifyJson(*value));
    }
  }
  bool trained_flag = false;
  bool has_flag = false;
  for (auto field : fields) {
    // Named, not a structured binding: clang 14 (the fuzz build) cannot capture those.
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    const bool mapped = std::any_of(dataset.property_mappings.begin(), dataset.property_mappings.end(),
                                    [&](const auto& mapping) { return mapping.second == key; });
    if (mapped) continue;
    if (!dataset.message_field_training.empty() && key == dataset.message_field_training) {
      if (value.is_null()) continue;
      TP_ASSIGN_OR_RETURN(trained_flag, TrainingFlag(value, key, turn_idx));
      has_flag = true;
      continue;
    }
    if (value.is_null()) continue;  // axolotl keeps no null property
    const bool renamed_to = std::any_of(dataset.property_mappings.begin(), dataset.property_mappings.end(),
                                        [&](const auto& mapping) { return mapping.first == key; });
    if (renamed_to) {
      return InvalidArgumentError("turn " + std::to_string(turn_idx) + " has both \"" + std::string(key) +
                                  "\" and the key message_property_mappings reads as " + std::string(key) +
                                  "; axolotl would take one or the other depending on the template");
    }
    if (key == "weight") {
      return InvalidArgumentError("turn " + std::to_string(turn_idx) +
                                  ": axolotl does not read a turn's \"weight\"; name it message_field_training "
                                  "to train by it, or remove it");
    }
    writer.Raw(key, MinifyJson(value));
  }
  if (has_flag) {
    if (turn.role == "assistant") {
      if (!trained_flag) writer.Int("weight", 0);
    } else if (trained_flag) {
      return InvalidArgumentError("turn " + std::to_string(turn_idx) + " (" + turn.role + ") is trained by \"" +
                                  dataset.message_field_training +
                                  "\": tunepack trains assistant turns only");
    }
  }
  writer.Close();
  return turn;
}

// chat_template -> openai: {"messages": [...]} with the record's other fields.
Result<std::string> ReshapeConversation(const AxolotlDataset& dataset, object record) {
  std::optional<element> found = FindField(record, dataset.field_messages);
  if (!found || found->is_null()) {
    return InvalidArgumentError("no \"" + dataset.field_messages + "\" field (field_messages) holds the turns");
  }
  simdjson::dom::parser parser;
  TP_ASSIGN_OR_RETURN(element messages, ParsedIfString(*found, parser, dataset.field_messages));
  simdjson::dom::array list;
  if (messages.get_array().get(list) != simdjson::SUCCESS) {
    return InvalidArgumentError("\"" + dataset.field_messages + "\" must be a list of turns");
  }
  if (list.size() == 0) return InvalidArgumentError("\"" + dataset.field_messages + "\" has no turns");
  std::vector<Turn> turns;
  for (element message : list) {
    TP_ASSIGN_OR_RETURN(Turn turn, ReshapeTurn(dataset, message, turns.size()));
    turns.push_back(std::move(turn));
  }
  // A top-level system prompt opens the conversation unless its first turn is a system's.
  std::optional<element> system = FindField(record, "system");
  const bool system_read = system && !system->is_null() && turns.front().role != "system";
  if (system_read) {
    Turn opening{"system", ""};
    JsonObjectWriter writer(opening.json);
    writer.String("role", "system");
    writer.Raw("content", MinifyJson(*system));
    writer.Close();
    turns.insert(turns.begin(), std::move(opening));
  }
  if (dataset.drop_system_message && turns.front().role == "system") turns.erase(turns.begin());

  std::string out;
  JsonObjectWriter writer(out);
  std::string& array = writer.Key("messages");
  array.push_back('[');
  for (size_t i = 0; i < turns.size(); ++i) {
    if (i > 0) array.push_back(',');
    array += turns[i].json;
  }
  array.push_back(']');
  simdjson::dom::parser tools_parser;
  for (auto [key, value] : record) {
    if (key == dataset.field_messages || (key == "system" && system_read) || value.is_null()) continue;
    if (key == "messages") {
      return InvalidArgumentError("\"messages\" is not the field of turns (field_messages is \"" +
                                  dataset.field_messages + "\"), and would be lost; rename or remove it");
    }
    if (key == "tools") {
      TP_ASSIGN_OR_RETURN(element tools, ParsedIfString(value, tools_parser, key));
      writer.Raw(key, MinifyJson(tools));
      continue;
    }
    writer.Raw(key, MinifyJson(value));
  }
  writer.Close();
  return out;
}

// Keeps `record` as it is, refusing the fields the tunepack format would read although
// axolotl does not.
Result<std::string> Unchanged(object record, std::initializer_list<std::string_view> unread_by_axolotl,
                              std::string_view type) {
  for (std::string_view key : unread_by_axolotl) {
    if (FindField(record, key)) {
      return InvalidArgumentError("axolotl's " + std::string(type) + " does not read \"" + std::string(key) +
                                  "\", and tunepack would; remove it");
    }
  }
  return simdjson::minify(record);
}

// alpaca: instruction, input, output (AlpacaPromptTokenizingStrategy); tunepack's alpaca
// also reads LLaMA-Factory's system, history and tools.
Result<std::string> ReshapeAlpaca(const AxolotlDataset&, object record) {
  return Unchanged(record, {"system", "history", "tools"}, "alpaca");
}

// input_output: segments, read the same by both.
Result<std::string> ReshapeSegments(const AxolotlDataset&, object record) { return Unchanged(record, {}, "input_output"); }

// completion -> jsonl: the text from `field`.
Result<std::string> ReshapeCompletion(const AxolotlDataset& dataset, object record) {
  if (dataset.text_field == "text") return simdjson::minify(record);
  std::optional<element> text = FindField(record, dataset.text_field);
  if (!text) return InvalidArgumentError("no \"" + dataset.text_field + "\" field (field) holds the text");
  std::string out;
  JsonObjectWriter writer(out);
  writer.Raw("text", MinifyJson(*text));
  for (auto [key, value] : record) {
    if (key == dataset.text_field) continue;
    if (key == "text") {
      return InvalidArgumentError("\"text\" is not the field of the text (field is \"" + dataset.text_field +
                                  "\"), and would be lost; rename or remove it");
    }
    writer.Raw(key, MinifyJson(value));
  }
  writer.Close();
  return out;
}

constexpr std::array<AxolotlType, 4> kTypes = {{
    {"chat_template", "openai", ReshapeConversation},
    {"alpaca", "alpaca", ReshapeAlpaca},
    {"input_output", "axolotl-input-output", ReshapeSegments},
    {"completion", "jsonl", ReshapeCompletion},
}};

}  // namespace

const AxolotlType* FindAxolotlType(std::string_view type) {
  auto it = std::find_if(kTypes.begin(), kTypes.end(), [&](const AxolotlType& t) { return t.type == type; });
  return it == kTypes.end() ? nullptr : &*it;
}

std::string AxolotlTypeNames() {
  std::string names;
  for (const AxolotlType& type : kTypes) names += (names.empty() ? "" : ", ") + std::string(type.type);
  return names;
}

}  // namespace tunepack::format::internal

namespace tunepack::format {
namespace {

class AxolotlRecordLayout final : public RecordLayout {
 public:
  explicit AxolotlRecordLayout(AxolotlDataset dataset) : dataset_(std::move(dataset)) {}
  const std::string& format() const override { return dataset_.format; }
  Result<std::string> Reshape(simdjson::dom::object record) const override {
    return ReshapeAxolotlRecord(dataset_, record);
  }

 private:
  AxolotlDataset dataset_;
};

}  // namespace

Result<std::string> ReshapeAxolotlRecord(const AxolotlDataset& dataset, simdjson::dom::object record) {
  const internal::AxolotlType* type = internal::FindAxolotlType(dataset.type);
  if (type == nullptr) return InvalidArgumentError("axolotl type \"" + dataset.type + "\" is not read");
  return type->reshape(dataset, record);
}

std::shared_ptr<const RecordLayout> MakeRecordLayout(AxolotlDataset dataset) {
  return std::make_shared<const AxolotlRecordLayout>(std::move(dataset));
}

}  // namespace tunepack::format
