// Fuzzes LLaMA-Factory dataset_info.json entries and the records they rename: the input's
// first line is the dataset_info.json text (its entry "ds" is used), the rest one record.
// Besides "no crash, no hang", it traps when a contract breaks: a renamed record is always
// one valid JSON object, and reading it with the layout's format then applying the KTO tag
// never fails except through a Status.
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "tunepack/format/dataset_info.h"
#include "tunepack/format/format.h"
#include "fuzz_check.h"

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::format;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  Result<DatasetLayout> layout = ParseDatasetLayout(input.substr(0, newline), "ds", "fuzz/dataset_info.json");
  if (!layout.has_value()) return 0;
  const std::string record_text(input.substr(newline + 1));
  simdjson::dom::parser parser;
  simdjson::dom::object record;
  if (parser.parse(record_text).get_object().get(record) != simdjson::SUCCESS) return 0;
  Result<std::string> renamed = RenameRecord(*layout, record);
  if (!renamed.has_value()) return 0;
  simdjson::dom::parser renamed_parser;
  simdjson::dom::element root;
  Check(renamed_parser.parse(*renamed).get(root) == simdjson::SUCCESS && root.is_object());
  Result<const Format*> format = FindFormat(layout->format);
  Check(format.has_value());
  Example example;
  if ((*format)->read(root, example).ok()) (void)ApplyKtoTag(*layout, example);
  return 0;
}
