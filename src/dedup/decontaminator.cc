#include "tunepack/dedup/decontaminator.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "tunepack/dedup/minhash.h"
#include "tunepack/dedup/text_key.h"
#include "tunepack/io/directory.h"

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
  // Read line by line, so no size cap; but a FIFO would hang the export and /dev/zero would
  // be one endless line: regular files only, as io::InputFile takes.
  if (Result<io::FileFacts> facts = io::StatPath(path, true);
      facts.has_value() && facts->type != io::EntryType::kRegular) {
    return InvalidArgumentError("evaluation file " + path + ": is a " +
                                std::string(io::EntryTypeName(facts->type)) + ", not a regular file");
  }
  std::ifstream in(path);
  if (!in) return NotFoundError("cannot read evaluation file " + path);
  std::string line;
  size_t line_number = 0;
  std::vector<std::string> strings;
  while (std::getline(in, line)) {
    ++line_number;
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
