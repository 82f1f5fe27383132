#include "tunepack/report/validate.h"

#include "tunepack/core/option_ref.h"

namespace tunepack::report {

Result<ValidatePlan> ResolveValidateRequest(const ValidateRequest& request, const std::vector<std::string>& files) {
  ValidatePlan plan;
  if (request.max_tokens > 0) {
    if (request.tokenizer.empty()) {
      return InvalidArgumentError(OptionRef("max-tokens") + " needs " + OptionRef("tokenizer") +
                                  " (e.g. cl100k_base)");
    }
    TP_ASSIGN_OR_RETURN(plan.options.tokenizer, tokenize::LoadTokenizer(request.tokenizer));
    plan.options.max_tokens = request.max_tokens;
  } else if (!request.tokenizer.empty()) {
    return InvalidArgumentError(OptionRef("tokenizer") + " is for the token limit: give " +
                                OptionRef("max-tokens") + " as well");
  }
  if (!request.target.empty()) {
    TP_ASSIGN_OR_RETURN(plan.options.target, format::FindTarget(request.target));
    if (!request.format.empty()) TP_RETURN_IF_ERROR(format::TargetFormat(*plan.options.target, request.format).status());
  }
  if (!request.format.empty()) {
    TP_ASSIGN_OR_RETURN(plan.forced, format::FindFormat(request.format));
    // A write-only format (chat-template) is checked as the format its files are read as.
    if (!plan.forced->read_as.empty()) {
      TP_ASSIGN_OR_RETURN(plan.forced, format::ReadBackFormat(*plan.forced, files));
    }
  }
  if (!request.model_dir.empty()) {
    format::FormatParams params;
    params.model_dir = request.model_dir;
    TP_ASSIGN_OR_RETURN(std::shared_ptr<const format::Format> bound, format::BindFormat("chat-template", params));
    plan.options.generation_prompt = bound->dangling_generation_prompt;
  }
  return plan;
}

}  // namespace tunepack::report
