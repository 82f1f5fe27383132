// The representation behind OptionValues, shared by the files of this module.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tunepack/options/option_spec.h"

namespace tunepack::options {

struct OptionValues::Impl {
  nlohmann::json values = nlohmann::json::object();  ///< keyed by the option's name (dashes)
  std::set<std::string, std::less<>> given;
};

}  // namespace tunepack::options
