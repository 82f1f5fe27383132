// Metadata: ordered key/value pairs carried by a document or example from ingest to output.
// Values are stored as JSON text so that any JSON value from an input record passes through
// unchanged; strings set from C++ are JSON-encoded on the way in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tunepack {

struct MetadataEntry {
  std::string key;
  std::string json;  ///< minified JSON value text, e.g. "\"docs/a.md\"" or "3"
};

class Metadata {
 public:
  // Sets `key` to the JSON string `value`, replacing an earlier value in place.
  void SetString(std::string_view key, std::string_view value);
  // Sets `key` to `json`, which must be valid JSON text.
  void SetJson(std::string_view key, std::string json);
  // Returns the JSON text of `key`, or nullptr.
  const std::string* FindJson(std::string_view key) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<MetadataEntry>& entries() const { return entries_; }

  // Appends the entries as one JSON object, in insertion order.
  void AppendJsonObject(std::string& out) const;

 private:
  std::vector<MetadataEntry> entries_;
};

}  // namespace tunepack
