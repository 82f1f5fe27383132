#include "template/loader.h"

#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "template/compile.h"
#include "template/lexer.h"
#include "template/object.h"
#include "template/parser.h"
#include "template/render.h"
#include "tunepack/core/utf8.h"
#include "tunepack/io/file.h"

namespace tunepack::jinja::internal {
namespace {

// Bounds for untrusted templates: how many templates one root may pull in, and their size.
constexpr size_t kMaxTemplates = 1000;
constexpr uint64_t kMaxTemplateBytes = 16 << 20;

void CollectNames(const Expr* expr, std::vector<std::string>& names) {
  if (expr == nullptr) return;
  if (expr->kind == ExprKind::kConst && expr->value.is_string()) names.push_back(expr->value.as_string());
  if (expr->kind == ExprKind::kList || expr->kind == ExprKind::kTuple) {
    for (const auto& child : expr->children) CollectNames(child.get(), names);
  }
}

void CollectNames(const Body& body, std::vector<std::string>& names) {
  for (const auto& stmt : body) {
    if (stmt->kind == StmtKind::kInclude || stmt->kind == StmtKind::kImport ||
        stmt->kind == StmtKind::kFromImport) {
      CollectNames(stmt->expr.get(), names);
    }
    CollectNames(stmt->body, names);
    CollectNames(stmt->else_body, names);
    for (const auto& branch : stmt->branches) CollectNames(branch.second, names);
    if (stmt->macro) CollectNames(stmt->macro->body, names);
  }
}

// Jinja2's split_template_path: a name with a ".." part is never found.
bool IsSafeName(const std::string& name) {
  if (name.empty() || name[0] == '/' || name[0] == '\\') return false;
  std::istringstream parts(name);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part == "..") return false;
  }
  return true;
}

// Returns the text of the first file `dir/name` that exists, or nullopt.
Result<std::optional<std::pair<std::string, std::string>>> FindFile(const std::vector<std::string>& dirs,
                                                                     const std::string& name) {
  namespace fs = std::filesystem;
  for (const std::string& dir : dirs) {
    const fs::path path = fs::path(dir) / name;
    std::error_code error;
    if (!fs::is_regular_file(path, error)) continue;
    // Jinja2's FileSystemLoader skips what is not a regular file; io:: refuses one swapped
    // in since (a FIFO would hang the read) and caps the size.
    Result<std::string> read = io::ReadWholeFile(path.string(), kMaxTemplateBytes);
    if (!read.ok()) {
      if (read.error().code() == StatusCode::kResourceExhausted) {
        return ResourceExhaustedError(path.string() + ": template larger than 16 MiB");
      }
      return read.error();
    }
    std::string text = std::move(*read);
    if (!IsValidUtf8(text)) return InvalidArgumentError(path.string() + ": not UTF-8 text");
    return std::optional<std::pair<std::string, std::string>>(std::make_pair(path.string(), std::move(text)));
  }
  return std::optional<std::pair<std::string, std::string>>();
}

// The hash of a variable name in Program::slot_table: names of one template mostly differ in
// length or in their first or last byte.
size_t SlotHash(std::string_view name) {
  const size_t first = name.empty() ? 0 : static_cast<unsigned char>(name.front());
  const size_t last = name.empty() ? 0 : static_cast<unsigned char>(name.back());
  return (name.size() * 0x9E3779B1u) ^ (first << 7) ^ (last * 31);
}

}  // namespace

int Program::FindSlot(std::string_view name) const {
  if (slot_table.empty()) return -1;
  const size_t mask = slot_table.size() - 1;
  for (size_t i = SlotHash(name) & mask;; i = (i + 1) & mask) {
    const int slot = slot_table[i];
    if (slot < 0 || slot_names[slot] == name) return slot;
  }
}

Result<std::shared_ptr<Program>> ParseSource(std::string_view source, std::string name,
                                             const TemplateOptions& options) {
  auto program = std::make_shared<Program>();
  program->name = std::move(name);
  program->options = options;
  program->source = NormalizeSource(source, options.keep_trailing_newline);
  try {
    std::vector<Token> tokens = Tokenize(program->source, options);
    ParseProgram(tokens, *program);
    CompileProgram(*program);
    for (size_t slot = 0; slot < program->slot_names.size(); ++slot) {
      const std::string& var = program->slot_names[slot];
      if (var == "loop") program->loop_slot = static_cast<int>(slot);
      if (var == "self") program->self_slot = static_cast<int>(slot);
      Value builtin = BuiltinGlobal(var);
      program->fallback_globals.push_back(builtin.is_undefined() ? Value::UndefinedWith("'" + var + "' is undefined")
                                                                 : builtin);
    }
    size_t table_size = 4;
    while (table_size < 2 * program->slot_names.size()) table_size *= 2;
    program->slot_table.assign(table_size, -1);
    for (size_t slot = 0; slot < program->slot_names.size(); ++slot) {
      size_t i = SlotHash(program->slot_names[slot]) & (table_size - 1);
      while (program->slot_table[i] >= 0) i = (i + 1) & (table_size - 1);
      program->slot_table[i] = static_cast<int>(slot);
    }
  } catch (const RenderError& e) {
    return Status(e.code, FormatPosition(*program, e.offset == std::string::npos ? 0 : e.offset) + ": " + e.message);
  }
  return program;
}

Result<std::shared_ptr<const Library>> LoadLibrary(const Program& root, const TemplateOptions& options) {
  auto library = std::make_shared<Library>();
  library->search_path = options.search_path;
  std::deque<const Program*> pending = {&root};
  std::unordered_map<std::string, bool> looked_up;
  while (!pending.empty()) {
    const Program* program = pending.front();
    pending.pop_front();
    std::vector<std::string> names;
    CollectNames(program->body, names);
    for (const std::string& name : names) {
      if (looked_up.count(name) || !IsSafeName(name)) continue;
      looked_up[name] = true;
      if (library->programs.size() >= kMaxTemplates) {
        return ResourceExhaustedError(root.name + ": more than " + std::to_string(kMaxTemplates) + " templates loaded");
      }
      TP_ASSIGN_OR_RETURN(auto found, FindFile(options.search_path, name));
      if (!found) continue;
      // Loaded templates parse with the root's options; their names are the file paths,
      // so that an error inside one says which file it is in.
      TemplateOptions inner = options;
      inner.search_path.clear();
      TP_ASSIGN_OR_RETURN(std::shared_ptr<Program> parsed, ParseSource(found->second, found->first, inner));
      pending.push_back(parsed.get());
      library->programs.emplace(name, std::move(parsed));
    }
  }
  return std::shared_ptr<const Library>(std::move(library));
}

}  // namespace tunepack::jinja::internal
