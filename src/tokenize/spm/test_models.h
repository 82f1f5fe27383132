// Small SentencePiece models trained in the unit tests with libsentencepiece's trainer, so
// that every kind of piece and normaliser setting can be tested and nothing binary is
// committed.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace tunepack::tokenize {

// Ten English words in varying order, each line ending in " <sep> 0123456789.".
std::vector<std::string> TrainingLines();

// The lines above and lines of other scripts, accents, full-width forms, tabs and runs of
// spaces, so that models trained on them have multi-byte pieces and a charsmap that acts.
std::vector<std::string> MixedTrainingLines();

// Returns a serialized model trained on `lines` with the given extra flags (vocab_size
// 400 unless given, a soft limit, full character coverage, one thread).
std::string TrainModel(std::unordered_map<std::string, std::string> flags,
                       const std::vector<std::string>& lines = TrainingLines());

}  // namespace tunepack::tokenize
