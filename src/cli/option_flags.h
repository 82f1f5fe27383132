// OptionFlags: a command's CLI flags made from option declarations (options/option_spec.h),
// so a declared option is a flag with its help, group and default without further code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tunepack/options/option_spec.h"

namespace tunepack::cli {

class OptionFlags {
 public:
  // Adds a flag (or the positional argument) for every option of `table` that `command`
  // takes. `table` must outlive this object.
  OptionFlags(CLI::App& app, const options::OptionTable& table, options::CommandMask command);

  // Returns the checked values after CLI11 has parsed the command line.
  Result<options::OptionValues> Values() const;

 private:
  struct Bound {
    const options::OptionSpec* spec = nullptr;
    CLI::Option* option = nullptr;
    std::vector<std::string> texts;
  };
  const options::OptionTable& table_;
  options::CommandMask command_;
  std::vector<std::unique_ptr<Bound>> bound_;  // pointers: CLI11 keeps addresses of `texts`
};

}  // namespace tunepack::cli
