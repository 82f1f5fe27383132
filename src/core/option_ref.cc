#include "tunepack/core/option_ref.h"

#include "tunepack/core/enum_table.h"

namespace tunepack {
namespace {

constexpr std::string_view kOpen = "\u2039";
constexpr std::string_view kClose = "\u203a";

// Calls `visit(text_before, name)` for each reference and `visit(rest, "")` at the end.
template <typename Visit>
void ForEachRef(std::string_view message, Visit visit) {
  size_t pos = 0;
  while (true) {
    const size_t open = message.find(kOpen, pos);
    const size_t close = open == std::string_view::npos ? open : message.find(kClose, open);
    if (close == std::string_view::npos) break;
    visit(message.substr(pos, open - pos), message.substr(open + kOpen.size(), close - open - kOpen.size()));
    pos = close + kClose.size();
  }
  visit(message.substr(pos), std::string_view());
}

}  // namespace

std::string OptionRef(std::string_view name) {
  std::string out(kOpen);
  out += name;
  out += kClose;
  return out;
}

std::string SpellOption(std::string_view name, OptionStyle style) {
  std::string out;
  if (style == OptionStyle::kCli) {
    out = name.size() == 1 ? "-" : "--";
    out += name;
    return out;
  }
  out.assign(name);
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

std::string WordOptionRefs(std::string_view message, OptionStyle style) {
  std::string out;
  ForEachRef(message, [&](std::string_view text, std::string_view name) {
    out += text;
    if (!name.empty()) out += SpellOption(name, style);
  });
  return out;
}

std::vector<std::string> OptionRefsIn(std::string_view message) {
  std::vector<std::string> names;
  ForEachRef(message, [&](std::string_view, std::string_view name) {
    if (!name.empty()) names.emplace_back(name);
  });
  return names;
}

std::string JoinChoices(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace tunepack
