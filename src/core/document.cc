#include "tunepack/core/document.h"

namespace tunepack {

std::string_view BlockKindName(BlockKind kind) {
  switch (kind) {
    case BlockKind::kHeading: return "heading";
    case BlockKind::kParagraph: return "paragraph";
    case BlockKind::kListItem: return "list_item";
    case BlockKind::kCode: return "code";
    case BlockKind::kTable: return "table";
    case BlockKind::kQuote: return "quote";
  }
  return "paragraph";
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kSystem: return "system";
    case Role::kUser: return "user";
    case Role::kAssistant: return "assistant";
    case Role::kTool: return "tool";
  }
  return "user";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "system" || name == "developer") return Role::kSystem;
  if (name == "user") return Role::kUser;
  if (name == "assistant") return Role::kAssistant;
  if (name == "tool") return Role::kTool;
  return InvalidArgumentError("unknown role '" + std::string(name) + "'");
}

}  // namespace tunepack
