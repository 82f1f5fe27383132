// tunepack.validate: `tunepack validate` for one file, its problems as a list instead of
// printed lines. The checks run with the GIL released; messages name options as keyword
// arguments (max_tokens), like every error of the package.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.h"
#include "status_error.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/report/validate.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

py::dict Validate(const std::string& path, const std::optional<std::string>& format,
                  const std::optional<std::string>& tokenizer, uint64_t max_tokens,
                  const std::optional<std::string>& model, const std::optional<std::string>& target) {
  report::ValidateRequest request{format.value_or(""), tokenizer.value_or(""), max_tokens, model.value_or(""),
                                  target.value_or("")};
  std::vector<report::Problem> problems;
  Result<report::ValidationSummary> summary = [&] {
    py::gil_scoped_release release;
    Result<report::ValidatePlan> plan = report::ResolveValidateRequest(request, {path});
    if (!plan.has_value()) return Result<report::ValidationSummary>(plan.error());
    return report::ValidateFile(path, plan->forced, plan->options,
                                [&](const report::Problem& p) { problems.push_back(p); });
  }();
  const report::ValidationSummary checked = ValueOrThrow(std::move(summary));
  py::list listed;
  for (const report::Problem& p : problems) {
    py::dict problem;
    problem["line"] = p.line;
    problem["severity"] = p.severity == report::Severity::kError ? "error" : "warning";
    problem["message"] = WordOptionRefs(p.message, OptionStyle::kJson);
    listed.append(problem);
  }
  py::dict out;
  out["path"] = path;
  out["format"] = checked.format;
  out["records"] = checked.records;
  out["errors"] = checked.errors;
  out["warnings"] = checked.warnings;
  out["missing_system"] = checked.missing_system;
  out["problems"] = listed;
  return out;
}

}  // namespace

void RegisterValidate(py::module_& module) {
  using namespace pybind11::literals;
  module.def("validate", &Validate, "path"_a, "format"_a = py::none(), "tokenizer"_a = py::none(),
             "max_tokens"_a = 0, "model"_a = py::none(), "target"_a = py::none(), "Checks one dataset file (use tunepack.validate).");
}

}  // namespace tunepack::python
