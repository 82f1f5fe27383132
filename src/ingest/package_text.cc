#include "ingest/package_text.h"

#include <algorithm>

#include "tunepack/core/json_writer.h"

namespace tunepack::ingest::internal {
namespace {

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string MarkdownTable(const std::vector<std::vector<std::string>>& rows) {
  size_t columns = 0;
  bool any = false;
  for (const auto& row : rows) {
    columns = std::max(columns, row.size());
    for (const auto& cell : row) any = any || !Trim(cell).empty();
  }
  if (columns == 0 || !any) return {};
  std::string out;
  auto add_row = [&](const std::vector<std::string>& row) {
    out += "|";
    for (size_t i = 0; i < columns; ++i) {
      const std::string cell = i < row.size() ? Cell(row[i]) : std::string();
      out += " " + cell + (cell.empty() ? "|" : " |");
    }
    out += "\n";
  };
  add_row(rows.front());
  out += "|";
  for (size_t i = 0; i < columns; ++i) out += " --- |";
  out += "\n";
  for (size_t r = 1; r < rows.size(); ++r) add_row(rows[r]);
  return out;
}

std::string MarkdownHeading(int level, std::string_view text) {
  level = std::clamp(level, 1, 6);
  return std::string(static_cast<size_t>(level), '#') + " " + std::string(text);
}

void SetIfPresent(Document& doc, std::string_view key, std::string_view value) {
  const std::string trimmed = Trim(value);
  if (!trimmed.empty()) doc.metadata.SetString(key, trimmed);
}

void SetTextList(Document& doc, std::string_view key, const std::vector<std::string>& texts) {
  std::vector<std::string> kept;
  for (const std::string& text : texts) {
    std::string trimmed = Trim(text);
    if (!trimmed.empty() && std::find(kept.begin(), kept.end(), trimmed) == kept.end()) kept.push_back(std::move(trimmed));
  }
  if (kept.empty()) return;
  std::string json = "[";
  for (const std::string& text : kept) {
    if (json.size() > 1) json += ",";
    AppendJsonString(json, text);
  }
  json += "]";
  doc.metadata.SetJson(key, std::move(json));
}

}  // namespace tunepack::ingest::internal
