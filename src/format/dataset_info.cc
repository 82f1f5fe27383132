#include "tunepack/format/dataset_info.h"

#include <algorithm>
#include <array>
#include <optional>

#include "format/json_fields.h"
#include "format/preference_pair.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/io/file.h"

namespace tunepack::format {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// dataset_info.json is small; a bound keeps a wrong path (a dataset file) from being read whole.
constexpr uint64_t kMaxDatasetInfoBytes = 64u << 20;

// A column of dataset_info.json and the tunepack field it becomes, with LLaMA-Factory's
// default column name ("" when the column is read only if the entry names it).
struct Column {
  std::string_view key;
  std::string_view field;
  std::string_view default_name;
};

// Columns of the alpaca formatting.
constexpr std::array<Column, 12> kAlpacaColumns = {{
    {"prompt", "instruction", "instruction"}, {"query", "input", "input"}, {"response", "output", "output"},
    {"history", "history", ""}, {"system", "system", ""}, {"tools", "tools", ""},
    {"images", "images", ""}, {"videos", "videos", ""}, {"audios", "audios", ""},
    {"chosen", "chosen", ""}, {"rejected", "rejected", ""}, {"kto_tag", "kto_tag", ""},
}};

// A tag of dataset_info.json, its LLaMA-Factory default, and what it becomes in tunepack's
// sharegpt and openai formats ("" where that format has no such role).
struct Tag {
  std::string_view key;
  std::string_view default_value;
  std::string_view sharegpt;
  std::string_view openai;
};

constexpr std::array<Tag, 2> kKeyTags = {{
    {"role_tag", "from", "from", "role"},
    {"content_tag", "value", "value", "content"},
}};
constexpr std::array<Tag, 5> kRoleTags = {{
    {"user_tag", "human", "human", "user"},
    {"assistant_tag", "gpt", "gpt", "assistant"},
    {"observation_tag", "observation", "observation", "tool"},
    {"function_tag", "function_call", "function_call", ""},
    {"system_tag", "system", "system", "system"},
}};

Status EntryError(const std::string& path, std::string_view name, const std::string& what) {
  return InvalidArgumentError(path + ": dataset \"" + std::string(name) + "\": " + what);
}

// Returns the string at `key` of `entry` (an object of strings), or `fallback` when the key
// or the object itself is absent.
Result<std::string> StringOf(std::optional<object> entry, std::string_view key, std::string_view fallback,
                             const std::string& path, std::string_view name, std::string_view where) {
  element value;
  if (!entry || (*entry)[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::string(fallback);
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return EntryError(path, name, std::string(where) + std::string(key) + " must be a string");
  }
  return std::string(text);
}

// Returns the object at `key` of `entry`, or nothing when it is absent.
Result<std::optional<object>> ObjectOf(object entry, std::string_view key, const std::string& path,
                                       std::string_view name) {
  element value;
  if (entry[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::optional<object>();
  object result;
  if (value.get_object().get(result) != simdjson::SUCCESS) {
    return EntryError(path, name, std::string(key) + " must be an object");
  }
  return result;
}

const DatasetLayout::Renames::value_type* FindRename(const DatasetLayout::Renames& renames, std::string_view from) {
  for (const auto& rename : renames) {
    if (rename.first == from) return &rename;
  }
  return nullptr;
}

// Returns true when a rename of `renames` has `to` as its new name.
bool Produces(const DatasetLayout::Renames& renames, std::string_view to) {
  return std::any_of(renames.begin(), renames.end(), [&](const auto& rename) { return rename.second == to; });
}

Status AppendTurn(const DatasetLayout& layout, element turn, std::string& out) {
  object fields;
  if (turn.get_object().get(fields) != simdjson::SUCCESS) {
    out += internal::MinifyJson(turn);  // the format's reader says what is wrong with it
    return Status::Ok();
  }
  JsonObjectWriter writer(out);
  for (auto [key, value] : fields) {
    const auto* rename = FindRename(layout.turn_keys, key);
    if (rename == nullptr) {
      if (Produces(layout.turn_keys, key)) {
        return InvalidArgumentError("a turn has both \"" + std::string(key) +
                                    "\" and the tag renamed to it; one would be lost");
      }
      writer.Raw(key, internal::MinifyJson(value));
      continue;
    }
    std::string_view text;
    const bool is_role = rename->second == layout.turn_keys.front().second;
    if (is_role && value.get_string().get(text) == simdjson::SUCCESS) {
      const auto* role = FindRename(layout.role_values, text);
      writer.String(rename->second, role != nullptr ? std::string_view(role->second) : text);
    } else {
      writer.Raw(rename->second, internal::MinifyJson(value));
    }
  }
  writer.Close();
  return Status::Ok();
}

Status AppendTurns(const DatasetLayout& layout, element value, std::string& out) {
  simdjson::dom::array turns;
  if (value.get_array().get(turns) != simdjson::SUCCESS) return AppendTurn(layout, value, out);
  out.push_back('[');
  bool first = true;
  for (element turn : turns) {
    if (!first) out.push_back(',');
    first = false;
    TP_RETURN_IF_ERROR(AppendTurn(layout, turn, out));
  }
  out.push_back(']');
  return Status::Ok();
}

}  // namespace

Result<DatasetLayout> LoadDatasetLayout(const std::string& path, std::string_view name) {
  TP_ASSIGN_OR_RETURN(std::string text, io::ReadWholeFile(path, kMaxDatasetInfoBytes));
  return ParseDatasetLayout(text, name, path);
}

Result<DatasetLayout> ParseDatasetLayout(std::string_view json, std::string_view name, const std::string& path) {
  simdjson::dom::parser parser;
  object entries;
  if (parser.parse(json.data(), json.size()).get_object().get(entries) != simdjson::SUCCESS) {
    return InvalidArgumentError(path + ": not a dataset_info.json (a JSON object of datasets)");
  }
  object entry;
  if (entries[name].get_object().get(entry) != simdjson::SUCCESS) {
    std::string names;
    for (auto [key, value] : entries) names += (names.empty() ? "" : ", ") + std::string(key);
    return InvalidArgumentError(path + ": no dataset \"" + std::string(name) + "\" (it describes: " + names + ")");
  }
  DatasetLayout layout;
  layout.name = std::string(name);
  TP_ASSIGN_OR_RETURN(std::string formatting, StringOf(entry, "formatting", "alpaca", path, name, ""));
  bool ranking = false;
  if (element value; entry["ranking"].get(value) == simdjson::SUCCESS && !value.is_null() &&
                     value.get_bool().get(ranking) != simdjson::SUCCESS) {
    return EntryError(path, name, "ranking must be true or false");
  }
  TP_ASSIGN_OR_RETURN(std::optional<object> columns, ObjectOf(entry, "columns", path, name));
  TP_ASSIGN_OR_RETURN(std::optional<object> tags, ObjectOf(entry, "tags", path, name));

  if (formatting == "alpaca") {
    layout.format = ranking ? "alpaca-preference" : "alpaca";
    for (const Column& column : kAlpacaColumns) {
      TP_ASSIGN_OR_RETURN(std::string source, StringOf(columns, column.key, column.default_name, path, name, "columns."));
      if (!source.empty()) layout.columns.emplace_back(std::move(source), column.field);
      layout.fields.emplace_back(column.field);
    }
    return layout;
  }
  const bool sharegpt = formatting == "sharegpt";
  if (!sharegpt && formatting != "openai") {
    return EntryError(path, name, "formatting \"" + formatting + "\" is not one of alpaca, sharegpt, openai");
  }
  if (!sharegpt && ranking) return EntryError(path, name, "ranked data in the openai formatting is not supported");
  layout.format = sharegpt ? (ranking ? "sharegpt-preference" : "sharegpt") : "openai";
  const std::string_view turns_field = sharegpt ? "conversations" : "messages";
  const std::array<Column, 9> columns_of_turns = {{
      {"messages", turns_field, "conversations"}, {"system", "system", ""}, {"tools", "tools", ""},
      {"images", "images", ""}, {"videos", "videos", ""}, {"audios", "audios", ""},
      {"chosen", "chosen", ""}, {"rejected", "rejected", ""}, {"kto_tag", "kto_tag", ""},
  }};
  for (const Column& column : columns_of_turns) {
    TP_ASSIGN_OR_RETURN(std::string source, StringOf(columns, column.key, column.default_name, path, name, "columns."));
    if (!source.empty()) layout.columns.emplace_back(std::move(source), column.field);
    layout.fields.emplace_back(column.field);
  }
  layout.turn_fields = {std::string(turns_field), "chosen", "rejected"};
  for (const Tag& tag : kKeyTags) {
    TP_ASSIGN_OR_RETURN(std::string source, StringOf(tags, tag.key, tag.default_value, path, name, "tags."));
    layout.turn_keys.emplace_back(std::move(source), sharegpt ? tag.sharegpt : tag.openai);
  }
  for (const Tag& tag : kRoleTags) {
    TP_ASSIGN_OR_RETURN(std::string source, StringOf(tags, tag.key, tag.default_value, path, name, "tags."));
    const std::string_view target = sharegpt ? tag.sharegpt : tag.openai;
    if (!target.empty()) layout.role_values.emplace_back(std::move(source), target);
  }
  return layout;
}

Result<std::string> RenameRecord(const DatasetLayout& layout, object record) {
  std::string out;
  JsonObjectWriter writer(out);
  for (const auto& [source, field] : layout.columns) {
    element value;
    if (record[source].get(value) != simdjson::SUCCESS) continue;
    const bool turns = std::find(layout.turn_fields.begin(), layout.turn_fields.end(), field) != layout.turn_fields.end();
    if (turns) {
      TP_RETURN_IF_ERROR(AppendTurns(layout, value, writer.Key(field)));
    } else {
      writer.Raw(field, internal::MinifyJson(value));
    }
  }
  for (auto [key, value] : record) {
    if (FindRename(layout.columns, key) != nullptr) continue;
    if (std::find(layout.fields.begin(), layout.fields.end(), key) != layout.fields.end()) {
      return InvalidArgumentError("\"" + std::string(key) + "\" is not a column of dataset \"" + layout.name +
                                  "\": LLaMA-Factory would not read it, and tunepack would read it as its own \"" +
                                  std::string(key) + "\"; name it in the entry's columns, or remove it");
    }
    writer.Raw(key, internal::MinifyJson(value));
  }
  writer.Close();
  return out;
}

Status ApplyKtoTag(const DatasetLayout& layout, Example& example) {
  constexpr std::string_view kTag = "kto_tag";
  if (!Produces(layout.columns, kTag)) return Status::Ok();
  const std::string* tag = example.unread_fields.FindJson(kTag);
  if (tag == nullptr || (*tag != "true" && *tag != "false")) {
    return InvalidArgumentError("dataset \"" + layout.name + "\" is KTO data: its kto_tag column must hold " +
                                "true or false" + (tag == nullptr ? ", and this record has none" : ", not " + *tag));
  }
  if (example.kind != ExampleKind::kConversation || example.messages.empty() ||
      example.messages.back().role != Role::kAssistant) {
    return InvalidArgumentError("KTO data: the conversation must end with the assistant turn the label judges");
  }
  (*tag == "true" ? example.chosen : example.rejected).push_back(std::move(example.messages.back()));
  example.messages.pop_back();
  example.kind = ExampleKind::kUnpairedPreference;
  Metadata unread;
  for (const MetadataEntry& entry : example.unread_fields.entries()) {
    if (entry.key != kTag) unread.SetJson(entry.key, entry.json);
  }
  example.unread_fields = std::move(unread);
  return internal::ValidatePreference(example);
}

namespace {

class LlamaFactoryRecordLayout final : public RecordLayout {
 public:
  explicit LlamaFactoryRecordLayout(DatasetLayout layout) : layout_(std::move(layout)) {}
  const std::string& format() const override { return layout_.format; }
  Result<std::string> Reshape(object record) const override { return RenameRecord(layout_, record); }
  Status Finish(Example& example) const override { return ApplyKtoTag(layout_, example); }

 private:
  DatasetLayout layout_;
};

}  // namespace

std::shared_ptr<const RecordLayout> MakeRecordLayout(DatasetLayout layout) {
  return std::make_shared<const LlamaFactoryRecordLayout>(std::move(layout));
}

}  // namespace tunepack::format
