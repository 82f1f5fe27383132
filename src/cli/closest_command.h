// Suggesting the command a user probably meant when they misspelled one (`exprot`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tunepack::cli {

// Returns the edit distance between `a` and `b` counting insertions, deletions,
// substitutions and swaps of two neighbouring characters as one edit each (optimal string
// alignment), so that a transposed pair ("exprot") is one edit from "export".
size_t EditDistance(std::string_view a, std::string_view b);

// Returns the name in `names` closest to `typed`, or "" when none is close enough to be a
// plausible misspelling (at most a third of the longer word's letters, and at least 1).
std::string ClosestName(std::string_view typed, const std::vector<std::string>& names);

}  // namespace tunepack::cli
