// Reading the numbers of a report.html back, to check them against stats.json: every number
// the page shows from stats.json carries `data-key="dotted.path"` and its value, either as
// the element's text or in a `data-value` attribute.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tunepack::testing {

// Returns (key, value text) for every data-key in `html`, in page order.
inline std::vector<std::pair<std::string, std::string>> ReportDataKeys(const std::string& html) {
  std::vector<std::pair<std::string, std::string>> keys;
  const std::string marker = "data-key=\"";
  for (size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
    const size_t key_begin = at + marker.size();
    const size_t key_end = html.find('"', key_begin);
    const size_t tag_end = html.find('>', key_end);
    const std::string tag = html.substr(key_end, tag_end - key_end);
    std::string value;
    if (size_t v = tag.find("data-value=\""); v != std::string::npos) {
      value = tag.substr(v + 12, tag.find('"', v + 12) - (v + 12));
    } else {
      value = html.substr(tag_end + 1, html.find('<', tag_end) - tag_end - 1);
    }
    keys.emplace_back(html.substr(key_begin, key_end - key_begin), value);
  }
  return keys;
}

// Returns the value at a dotted path ("tokens.per_example.p50", "tokens.histogram.3.count"),
// or null when there is none. Keys themselves may contain dots only as the last segment
// under an object (e.g. a reason name), which is tried whole first.
inline nlohmann::json JsonAtPath(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* node = &root;
  size_t begin = 0;
  while (begin <= path.size()) {
    if (node->is_object() && node->contains(path.substr(begin))) return (*node)[path.substr(begin)];
    size_t dot = path.find('.', begin);
    const std::string part = path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    if (node->is_array()) {
      const size_t index = std::strtoul(part.c_str(), nullptr, 10);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else if (node->is_object() && node->contains(part)) {
      node = &(*node)[part];
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) return *node;
    begin = dot + 1;
  }
  return nullptr;
}

}  // namespace tunepack::testing
