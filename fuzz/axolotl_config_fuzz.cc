// Fuzzes axolotl config entries and the records they reshape: the input up to its first NUL
// byte is the config's YAML (its only entry, or entry "0"), the rest one record. Besides "no
// crash, no hang", it traps when a contract breaks: an entry that loads names a format that
// exists, a reshaped record is always one valid JSON object, and reading it with that format
// never fails except through a Status.
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "tunepack/format/axolotl_dataset.h"
#include "tunepack/format/format.h"
#include "fuzz_check.h"

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::format;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  Result<AxolotlDataset> dataset = ParseAxolotlDataset(input.substr(0, nul), "", "fuzz/axolotl.yml");
  if (!dataset.has_value()) dataset = ParseAxolotlDataset(input.substr(0, nul), "0", "fuzz/axolotl.yml");
  if (!dataset.has_value()) return 0;
  Result<const Format*> format = FindFormat(dataset->format);
  Check(format.has_value());
  const std::string record_text(input.substr(nul + 1));
  simdjson::dom::parser parser;
  simdjson::dom::object record;
  if (parser.parse(record_text).get_object().get(record) != simdjson::SUCCESS) return 0;
  Result<std::string> reshaped = ReshapeAxolotlRecord(*dataset, record);
  if (!reshaped.has_value()) return 0;
  simdjson::dom::parser reshaped_parser;
  simdjson::dom::element root;
  Check(reshaped_parser.parse(*reshaped).get(root) == simdjson::SUCCESS && root.is_object());
  Example example;
  (void)(*format)->read(root, example);
  return 0;
}
