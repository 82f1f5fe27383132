// EnumTable: the one table that gives an enum's names, its parser and the "must be one of"
// message. Every enum that an option or a file names is declared with one of these, so a
// value cannot have two spellings or two different fallbacks.
//
// Example:
//   inline constexpr EnumTable<DedupMode, 4> kDedupModes{
//       "dedup", {{{DedupMode::kOff, "off"}, {DedupMode::kExact, "exact"}, ...}}};
//   Result<DedupMode> mode = kDedupModes.Parse("near");
//   std::string_view name = kDedupModes.Name(DedupMode::kNear);   // "near"
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/option_ref.h"
#include "tunepack/core/result.h"

namespace tunepack {

// Returns "a, b or c" for the names in `names`.
std::string JoinChoices(const std::vector<std::string_view>& names);

template <typename E, size_t N>
struct EnumTable {
  std::string_view option;  ///< the option (or field) the values belong to, for messages
  std::array<std::pair<E, std::string_view>, N> entries;

  // Returns the value named `name`, or InvalidArgument "<option> must be one of ..., not 'x'".
  Result<E> Parse(std::string_view name) const {
    for (const auto& [value, entry_name] : entries) {
      if (entry_name == name) return value;
    }
    return InvalidArgumentError(OptionRef(option) + " must be " + JoinChoices(Names()) + ", not '" +
                                std::string(name) + "'");
  }

  // Returns the name of `value` (the first entry's name for a value not in the table, which
  // only a cast from an integer can produce).
  std::string_view Name(E value) const {
    for (const auto& [entry_value, entry_name] : entries) {
      if (entry_value == value) return entry_name;
    }
    return entries[0].second;
  }

  // Returns every name in declaration order.
  std::vector<std::string_view> Names() const {
    std::vector<std::string_view> names;
    names.reserve(N);
    for (const auto& entry : entries) names.push_back(entry.second);
    return names;
  }
};

}  // namespace tunepack
