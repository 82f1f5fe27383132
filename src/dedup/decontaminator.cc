#include "tunepack/dedup/decontaminator.h"

#include <nlohmann/json.hpp>

#include "tunepack/dedup/minhash.h"
#include "tunepack/dedup/text_key.h"
#include "tunepack/io/line_reader.h"

namespace tunepack::dedup {
namespace {

void CollectStrings(const nlohmann::json& value, std::vector<std::string>* out) {
  if (value.is_string()) {
    out->push_back(value.get<std::string>());
  } else if (value.is_array() || value.is_object()) {
    for (const auto& item : value) CollectStrings(item, out);
  }
}

}  // namespace

void Decontaminator::Add(std::string_view text) {
  std::vector<uint64_t> words, shingles;
  HashWords(text, &words);
  ShinglesOfWords(words, ngram_, &shingles);
  ngrams_.insert(shingles.begin(), shingles.end());
}

Status Decontaminator::AddFile(const std::string& path) {
  // Standard input may be the export's input too: whichever read it first would leave
  // nothing to the other.
  if (path == "-") return InvalidArgumentError("evaluation file -: give a file, not standard input");
  // Read line by line, so no size cap on the file; io refuses a FIFO (which would hang the
  // export) and a device (/dev/zero would be one endless line).
  Result<std::unique_ptr<io::LineReader>> opened = io::LineReader::Open(path);
  if (!opened.has_value()) return opened.error().WithContext("evaluation file");
  io::LineReader& lines = **opened;
  std::string_view line;
  std::vector<std::string> strings;
  while (true) {
    Result<bool> more = lines.Next(line);
    if (!more.has_value()) return more.error().WithContext("evaluation file");
    if (!*more) break;
    const uint64_t line_number = lines.line_number();
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    if (line[first] == '{' || line[first] == '[') {
      nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (record.is_discarded()) {
        return InvalidArgumentError(path + ":" + std::to_string(line_number) +
                                    ": not valid JSON");
      }
      strings.clear();
      CollectStrings(record, &strings);
      for (const std::string& s : strings) Add(s);
    } else {
      Add(line);
    }
  }
  return Status::Ok();
}

DecontaminationHit Decontaminator::Check(std::string_view text) const {
  DecontaminationHit hit;
  if (ngrams_.empty()) return hit;
  std::vector<uint64_t> words, shingles;
  HashWords(text, &words);
  ShinglesOfWords(words, ngram_, &shingles);
  for (size_t i = 0; i < shingles.size(); ++i) {
    if (ngrams_.count(shingles[i]) == 0) continue;
    if (!hit.contaminated) hit.first_word = i;
    hit.contaminated = true;
    ++hit.ngrams;
  }
  return hit;
}

}  // namespace tunepack::dedup
