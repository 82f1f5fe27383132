#include "tunepack/template/template.h"

#include "template/ast.h"
#include "template/lexer.h"
#include "template/limits.h"
#include "template/loader.h"
#include "template/parser.h"
#include "template/render.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {

namespace internal {
std::string FormatPosition(const Program& program, size_t offset) {
  const TextPosition pos = PositionOf(program.source, std::min(offset, program.source.size()));
  return program.name + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}
}  // namespace internal

TemplateOptions ChatTemplateOptions() {
  TemplateOptions options;
  options.trim_blocks = true;
  options.lstrip_blocks = true;
  options.loop_controls = true;
  options.sandboxed = true;
  options.transformers_tojson = true;
  return options;
}

Result<Template> Template::Parse(std::string_view source, std::string name, const TemplateOptions& options) {
  TP_ASSIGN_OR_RETURN(std::shared_ptr<internal::Program> program,
                      internal::ParseSource(source, std::move(name), options));
  if (!options.search_path.empty()) {
    TP_ASSIGN_OR_RETURN(program->library, internal::LoadLibrary(*program, options));
  }
  return Template(std::move(program));
}

Status Template::RenderTo(const Value& context, std::string& out) const {
  return RenderTo(context, out, nullptr);
}

Status Template::RenderTo(const Value& context, std::string& out,
                          std::vector<std::pair<size_t, size_t>>* generation_spans) const {
  return RenderWithSlots(context, out, generation_spans, nullptr);
}

std::vector<int> Template::SlotsOf(const std::vector<std::string_view>& names) const {
  std::vector<int> slots;
  slots.reserve(names.size());
  for (std::string_view name : names) slots.push_back(program_->FindSlot(name));
  return slots;
}

Status Template::RenderWithSlots(const Value& context, std::string& out,
                                 std::vector<std::pair<size_t, size_t>>* generation_spans,
                                 const std::vector<int>* key_slots) const {
  RenderBudget budget;
  budget.max_value_bytes = program_->options.max_output_bytes;
  budget.max_operations = program_->options.max_operations;
  budget.stack_limit = RenderStackLimit();
  BudgetScope budget_scope(&budget);
  Renderer renderer(*program_, context, out, key_slots);
  renderer.set_library(program_->library.get());
  try {
    renderer.Run();
    if (generation_spans != nullptr) {
      generation_spans->insert(generation_spans->end(), renderer.generation_spans().begin(),
                               renderer.generation_spans().end());
    }
  } catch (const RenderError& e) {
    const size_t offset = e.offset != std::string::npos ? e.offset : renderer.offset();
    return Status(e.code, internal::FormatPosition(*program_, offset) + ": " + e.message);
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError(internal::FormatPosition(*program_, renderer.offset()) + ": out of memory");
  }
  return Status::Ok();
}

Result<std::string> Template::Render(const Value& context) const {
  std::string out;
  TP_RETURN_IF_ERROR(RenderTo(context, out));
  return out;
}

std::vector<std::string> Template::ReferencedVariables() const { return program_->referenced; }

bool Template::HasGenerationBlocks() const { return program_->has_generation; }

const std::string& Template::name() const { return program_->name; }

}  // namespace tunepack::jinja
