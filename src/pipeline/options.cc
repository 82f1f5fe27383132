#include "tunepack/pipeline/options.h"

#include <cmath>
#include <cstdlib>


namespace tunepack::pipeline {

Result<std::vector<SplitSpec>> ParseSplits(std::string_view spec) {
  std::vector<SplitSpec> splits;
  double total = 0;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string_view part = spec.substr(start, comma - start);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return InvalidArgumentError(OptionRef("split") + " wants NAME=FRACTION,..., e.g. train=0.9,validation=0.1; got '" +
                                  std::string(part) + "'");
    }
    const std::string name(part.substr(0, eq));
    const std::string number(part.substr(eq + 1));
    char* end = nullptr;
    const double fraction = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(fraction > 0) || fraction > 1) {
      return InvalidArgumentError(OptionRef("split") + ": the fraction of '" + name +
                                  "' must be a number in (0, 1], not '" + number + "'");
    }
    for (const SplitSpec& existing : splits) {
      if (existing.name == name) return InvalidArgumentError(OptionRef("split") + ": '" + name + "' named twice");
    }
    splits.push_back({name, fraction});
    total += fraction;
    start = comma + 1;
  }
  if (std::fabs(total - 1.0) > 1e-9) {
    return InvalidArgumentError(OptionRef("split") + ": fractions must add up to 1, they add up to " +
                                std::to_string(total));
  }
  return splits;
}

}  // namespace tunepack::pipeline
