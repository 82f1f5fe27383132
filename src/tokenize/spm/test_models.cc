#include "tokenize/spm/test_models.h"

#include <gtest/gtest.h>
#include <sentencepiece_trainer.h>

namespace tunepack::tokenize {
namespace {

class VectorIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorIterator(const std::vector<std::string>& lines) : lines_(lines) {}
  bool done() const override { return index_ >= lines_.size(); }
  void Next() override { ++index_; }
  const std::string& value() const override { return lines_[index_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  const std::vector<std::string>& lines_;
  size_t index_ = 0;
};

}  // namespace

std::vector<std::string> TrainingLines() {
  const std::vector<std::string> words = {"hello", "world", "token", "piece", "model",
                                          "sentence", "tune",  "pack",  "data",  "set"};
  std::vector<std::string> lines;
  for (size_t i = 0; i < 400; ++i) {
    std::string line;
    for (size_t j = 0; j < 8; ++j) {
      if (j > 0) line += ' ';
      line += words[(i * 7 + j * 3 + i / 10) % words.size()];
    }
    lines.push_back(line + " <sep> 0123456789.");
  }
  return lines;
}

std::vector<std::string> MixedTrainingLines() {
  std::vector<std::string> lines = TrainingLines();
  const std::vector<std::string> words = {
      "caf\xC3\xA9",                      // café
      "na\xC3\xAFve",                     // naïve
      "\xE6\x9D\xB1\xE4\xBA\xAC",         // 東京
      "\xD0\xBC\xD0\xB8\xD1\x80",         // мир
      "\xEF\xBD\x88\xEF\xBD\x89",         // ｈｉ (full-width)
      "\xEF\xAC\x81le",                   // ﬁle (ligature)
      "\xE2\x91\xA0",                     // ①
      "x\tyz", "  spaced  out ", "tab\there", "\xC3\x9F" "e"};  // ße
  for (size_t i = 0; i < 300; ++i) {
    std::string line;
    for (size_t j = 0; j < 6; ++j) {
      if (j > 0) line += (i + j) % 5 == 0 ? "  " : " ";
      line += words[(i * 5 + j * 7 + i / 9) % words.size()];
    }
    lines.push_back(line);
  }
  return lines;
}

std::string TrainModel(std::unordered_map<std::string, std::string> flags,
                       const std::vector<std::string>& lines) {
  flags.emplace("vocab_size", "400");  // 256 byte pieces and the text's characters
  flags.emplace("hard_vocab_limit", "false");
  flags.emplace("character_coverage", "1.0");
  flags.emplace("num_threads", "1");
  flags.emplace("minloglevel", "2");
  VectorIterator iterator(lines);
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(flags, &iterator, &model);
  EXPECT_TRUE(status.ok()) << status.message();
  return model;
}

}  // namespace tunepack::tokenize
