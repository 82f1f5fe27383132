#include "tunepack/core/metadata.h"

#include "tunepack/core/json_writer.h"

namespace tunepack {

void Metadata::SetString(std::string_view key, std::string_view value) {
  SetJson(key, JsonQuote(value));
}

void Metadata::SetJson(std::string_view key, std::string json) {
  for (MetadataEntry& entry : entries_) {
    if (entry.key == key) {
      entry.json = std::move(json);
      return;
    }
  }
  entries_.push_back({std::string(key), std::move(json)});
}

const std::string* Metadata::FindJson(std::string_view key) const {
  for (const MetadataEntry& entry : entries_) {
    if (entry.key == key) return &entry.json;
  }
  return nullptr;
}

void Metadata::AppendJsonObject(std::string& out) const {
  JsonObjectWriter object(out);
  for (const MetadataEntry& entry : entries_) object.Raw(entry.key, entry.json);
  object.Close();
}

}  // namespace tunepack
