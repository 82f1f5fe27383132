// Option references in messages. Library code names an option without choosing how a front
// end spells it: OptionRef("max-tokens") marks the name, and each front end words the marks
// its own way before showing the message (the CLI as "--max-tokens", the HTTP API and the
// Python package as "max_tokens").
//
// Example:
//   return InvalidArgumentError(OptionRef("max-tokens") + " needs " + OptionRef("tokenizer"));
//   WordOptionRefs(status.message(), OptionStyle::kCli);   // "--max-tokens needs --tokenizer"
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tunepack {

// How a front end spells an option name.
enum class OptionStyle {
  kCli,   ///< --max-tokens
  kJson,  ///< max_tokens (HTTP API bodies, Python keyword arguments)
};

// Returns `name` (the option's long name with dashes, e.g. "max-tokens") marked as an option
// reference. The marks are U+2039 and U+203A, so an unworded message still reads well.
std::string OptionRef(std::string_view name);

// Returns `message` with every option reference spelled in `style`.
std::string WordOptionRefs(std::string_view message, OptionStyle style);

// Returns the names of the options `message` refers to, in order of appearance.
std::vector<std::string> OptionRefsIn(std::string_view message);

// Returns `name` spelled in `style` ("max-tokens" -> "--max-tokens" or "max_tokens").
std::string SpellOption(std::string_view name, OptionStyle style);

}  // namespace tunepack
