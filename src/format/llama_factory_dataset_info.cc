#include "format/llama_factory_dataset_info.h"

#include <set>

#include <simdjson.h>

#include "tunepack/core/json_writer.h"
#include "tunepack/io/line_reader.h"

namespace tunepack::format::internal {
namespace {

// How one of tunepack's formats is described to LLaMA-Factory: its formatting, whether it
// is ranking (preference) data, and its columns as {LLaMA-Factory's name, our key}, each
// named only when the file has that key.
struct Layout {
  std::string_view formatting;
  bool ranking = false;
  std::vector<std::pair<std::string_view, std::string_view>> columns;
};

Result<Layout> LayoutOf(std::string_view format) {
  // sharegpt's tags (from/value/human/gpt/...) are LLaMA-Factory's defaults, so none is named.
  const std::vector<std::pair<std::string_view, std::string_view>> media = {
      {"images", "images"}, {"videos", "videos"}, {"audios", "audios"}};
  Layout layout;
  if (format == "sharegpt" || format == "sharegpt-preference") {
    layout.formatting = "sharegpt";
    layout.columns = {{"messages", "conversations"}, {"system", "system"}, {"tools", "tools"}};
  } else if (format == "alpaca" || format == "alpaca-preference") {
    layout.formatting = "alpaca";
    layout.columns = {{"prompt", "instruction"}, {"query", "input"}, {"response", "output"},
                      {"system", "system"},      {"history", "history"}, {"tools", "tools"}};
  } else {
    return InvalidArgumentError("LLaMA-Factory reads sharegpt and alpaca data (and their preference forms), not " +
                                std::string(format));
  }
  layout.ranking = format == "sharegpt-preference" || format == "alpaca-preference";
  if (layout.ranking) {
    layout.columns.emplace_back("chosen", "chosen");
    layout.columns.emplace_back("rejected", "rejected");
  }
  layout.columns.insert(layout.columns.end(), media.begin(), media.end());
  return layout;
}

// Returns the top-level keys of the JSONL records in `path`.
Result<std::set<std::string>> KeysIn(const std::string& path) {
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::LineReader> lines, io::LineReader::Open(path));
  simdjson::dom::parser parser;
  std::set<std::string> keys;
  std::string_view line;
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, lines->Next(line));
    if (!more) break;
    simdjson::dom::object record;
    if (parser.parse(line.data(), line.size()).get_object().get(record) != simdjson::SUCCESS) continue;
    for (auto [key, unused] : record) {
      if (!keys.count(std::string(key))) keys.emplace(key);
    }
  }
  return keys;
}

std::string Stem(const std::string& name) {
  const size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

Result<std::string> LlamaFactoryDatasetInfo(std::string_view dataset_name, const std::vector<TargetFile>& files) {
  std::string out = "{";
  bool first = true;
  for (const TargetFile& file : files) {
    TP_ASSIGN_OR_RETURN(Layout layout, LayoutOf(file.format));
    TP_ASSIGN_OR_RETURN(std::set<std::string> keys, KeysIn(file.path));
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += JsonQuote(std::string(dataset_name) + "_" + Stem(file.name)) + ": ";
    JsonObjectWriter entry(out);
    entry.String("file_name", file.name);
    entry.String("formatting", layout.formatting);
    if (layout.ranking) entry.Bool("ranking", true);
    JsonObjectWriter columns(entry.Key("columns"));
    for (const auto& [column, key] : layout.columns) {
      if (keys.count(std::string(key))) columns.String(column, key);
    }
    columns.Close();
    entry.Close();
  }
  out += first ? "}\n" : "\n}\n";
  return out;
}

}  // namespace tunepack::format::internal
