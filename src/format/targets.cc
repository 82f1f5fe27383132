// The built-in targets: each a service's or trainer's formats, file naming, turn rules and
// published limits. Every figure cites where it was read (the research notes in
// /work/shared/reference/targets.md and formats.md, which name the pages); a limit no
// source states is left unknown and says so. docs/targets.md shows the same table.
#include <cstdlib>

#include "format/bedrock_turns.h"
#include "format/llama_factory_dataset_info.h"
#include "tunepack/format/format.h"
#include "tunepack/format/target.h"

namespace tunepack::format {
namespace {

constexpr uint64_t kMB = 1024ull * 1024;
constexpr uint64_t kGB = 1024 * kMB;

Limit Known(uint64_t value, std::string source) { return Limit{value, std::move(source)}; }
Limit Unknown(std::string looked_at) { return Limit{std::nullopt, std::move(looked_at)}; }

const char* const kTrainerHasNoLimits = "a training library: no dataset limits; its length settings truncate";

Target OpenAiSft() {
  Target t;
  t.name = "openai-sft";
  t.description = "OpenAI supervised fine-tuning: openai chat JSONL, at least 10 examples, files up to 512 MB";
  t.formats = {"openai"};
  t.file_naming = "<split>.jsonl (the Files API takes .jsonl for fine-tuning)";
  t.min_examples = Known(10, "developers.openai.com/api/docs/guides/supervised-fine-tuning (read 2026-11)");
  t.max_examples = Unknown("not stated in the SFT guide (read 2026-11)");
  t.max_file_bytes = Known(512 * kMB, "OpenAI Files API spec, as quoted in Portkey's openapi PR #30 (secondary; read 2026-12-06)");
  t.max_tokens_per_example = Unknown(
      "per model: 65,536 for gpt-4o-mini-2024-07-18, 16,385 for gpt-3.5-turbo-0125 (a copy of OpenAI's table, "
      "secondary; read 2026-11); longer examples are truncated, not refused");
  t.notes = "OpenAI's vision fine-tuning guide says the fine-tuning platform is winding down and no longer open to "
            "new users (read 2026-12-06).";
  return t;
}

Target OpenAiDpo() {
  Target t;
  t.name = "openai-dpo";
  t.description = "OpenAI preference fine-tuning (DPO): openai-dpo JSONL, one assistant message per answer";
  t.formats = {"openai-dpo"};
  t.file_naming = "<split>.jsonl";
  t.rules.single_message_answers = true;
  t.min_examples = Unknown("not stated in the DPO guide (developers.openai.com/api/docs/guides/direct-preference-optimization, read 2026-12-06)");
  t.max_examples = Unknown("not stated in the DPO guide (read 2026-12-06)");
  t.max_file_bytes = Known(512 * kMB, "OpenAI Files API spec, as quoted in Portkey's openapi PR #30 (secondary; read 2026-12-06)");
  t.max_tokens_per_example = Unknown("not stated in the DPO guide (read 2026-12-06)");
  t.notes = "Text only; the guide lists gpt-4.1-2025-04-14 and its mini and nano models. One message per answer: "
            "the spec's maxItems 1 (secondary), and Together's identical format requires it.";
  return t;
}

Target BedrockClaude() {
  Target t;
  t.name = "bedrock-claude";
  t.description = "Claude fine-tuning on Amazon Bedrock: optional system, user first, assistant last, alternating, no other keys";
  t.formats = {"bedrock-claude"};
  t.file_naming = "<split>.jsonl, uploaded to S3";
  t.rules = internal::BedrockClaudeTurnRules();
  t.no_extra_keys = true;
  const std::string quotas =
      "not in the sources read: Anthropic's Bedrock fine-tuning cookbook (platform.claude.com/cookbook/"
      "finetuning-finetuning-on-bedrock, read 2026-12-06) gives none; check the Bedrock quotas page";
  t.min_examples = Unknown(quotas);
  t.max_examples = Unknown(quotas);
  t.max_file_bytes = Unknown(quotas);
  t.max_tokens_per_example = Unknown(quotas);
  t.notes = "Claude 3 Haiku; its Bedrock model card gives end of life on 2026-09-10 (read 2026-12-06).";
  return t;
}

Target BedrockNova() {
  Target t;
  t.name = "bedrock-nova";
  t.description = "Amazon Nova fine-tuning on Bedrock: the bedrock-conversation-2024 schema";
  t.formats = {"bedrock-nova"};
  t.file_naming = "<split>.jsonl, uploaded to S3";
  t.rules.roles = {Role::kUser, Role::kAssistant};
  t.rules.system_only_first = true;
  const std::string quotas =
      "not in the source read (docs.aws.amazon.com/bedrock/latest/userguide/preparing-text-data.html, read "
      "2026-12-06); check the Bedrock quotas page";
  t.min_examples = Unknown(quotas);
  t.max_examples = Unknown(quotas);
  t.max_file_bytes = Unknown(quotas);
  t.max_tokens_per_example = Unknown(quotas);
  t.notes = "Turn order beyond the schema's user and assistant roles was not in the source read, so it is not checked.";
  return t;
}

Target VertexGemini() {
  Target t;
  t.name = "vertex-gemini";
  t.description = "Gemini supervised tuning on Vertex AI: contents with user/model roles, files up to 1 GB";
  t.formats = {"vertex-gemini"};
  t.file_naming = "<split>.jsonl, uploaded to Cloud Storage";
  t.rules.roles = {Role::kUser, Role::kAssistant};
  t.rules.system_only_first = true;
  const std::string table =
      "cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare, Gemini 2.5 Flash "
      "(read 2026-11)";
  t.min_examples = Unknown("none stated; about 100 examples are recommended (" + table + ")");
  t.max_examples = Known(1000000, "text-only examples (300,000 multimodal), " + table);
  t.max_file_bytes = Known(1 * kGB, table);
  t.max_tokens_per_example = Known(131072, "input and output training tokens, " + table);
  t.notes = "A validation file holds at most 5,000 examples. Gemini 1.5 allowed 32,000 tokens per example.";
  return t;
}

Target Mistral() {
  Target t;
  t.name = "mistral";
  t.description = "Mistral fine-tuning: openai chat JSONL, last message the assistant's, 9-character tool call ids";
  t.formats = {"openai"};
  t.file_naming = "<split>.jsonl";
  t.rules.roles = {Role::kUser, Role::kAssistant, Role::kTool};
  t.rules.assistant_last = true;
  t.rules.tool_call_id_length = 9;
  const std::string docs = "not stated in docs.mistral.ai/capabilities/finetuning/text_finetuning nor the mistral-finetune README (read 2026-11)";
  t.min_examples = Unknown(docs);
  t.max_examples = Unknown(docs);
  t.max_file_bytes = Unknown(docs);
  t.max_tokens_per_example = Unknown(docs);
  t.notes = "Mistral's fine-tuning page is now under /resources/deprecated/ (\"no longer actively supported\") and "
            "the mistral-finetune repository is archived (read 2026-12-06).";
  return t;
}

Target Together() {
  Target t;
  t.name = "together";
  t.description = "Together AI fine-tuning: one of openai, prompt-completion, openai-dpo or jsonl per file, up to 100 GB";
  t.formats = {"openai", "prompt-completion", "openai-dpo", "jsonl"};
  t.file_naming = "<split>.jsonl";
  t.one_format_per_file = true;
  // "must start with system or user, then alternate user/assistant"; preference answers
  // hold "exactly one message from the assistant role".
  t.rules.roles = {Role::kUser, Role::kAssistant};
  t.rules.system_only_first = true;
  t.rules.user_first = true;
  t.rules.alternate = true;
  t.rules.single_message_answers = true;
  const std::string docs = "docs.together.ai/docs/fine-tuning/data-preparation (read 2026-12-06)";
  t.min_examples = Unknown("not stated in " + docs);
  t.max_examples = Unknown("not stated in " + docs);
  t.max_file_bytes = Known(100 * kGB, docs);
  t.max_tokens_per_example = Unknown("depends on the model's context; " + docs);
  t.notes = "A file whose records fit two formats (e.g. both text and messages) is refused. JSONL training packs samples.";
  return t;
}

Target TrlSft() {
  Target t;
  t.name = "trl-sft";
  t.description = "TRL SFTTrainer: conversational messages (openai), prompt-completion, or text (jsonl)";
  t.formats = {"openai", "prompt-completion", "jsonl"};
  t.file_naming = "<split>.jsonl, loaded with datasets.load_dataset(\"json\", data_files=...)";
  t.min_examples = Unknown(kTrainerHasNoLimits);
  t.max_examples = Unknown(kTrainerHasNoLimits);
  t.max_file_bytes = Unknown(kTrainerHasNoLimits);
  t.max_tokens_per_example = Unknown(
      "SFTConfig.max_length defaults to 1024 and truncates (keep_start); huggingface/trl dataset_formats.md and "
      "sft_config.py (read 2026-11)");
  return t;
}

Target TrlDpo() {
  Target t;
  t.name = "trl-dpo";
  t.description = "TRL DPOTrainer (also ORPO, CPO): prompt/chosen/rejected, conversational or standard";
  t.formats = {"trl-preference", "trl-preference-implicit", "trl-preference-text"};
  t.file_naming = "<split>.jsonl";
  t.min_examples = Unknown(kTrainerHasNoLimits);
  t.max_examples = Unknown(kTrainerHasNoLimits);
  t.max_file_bytes = Unknown(kTrainerHasNoLimits);
  t.max_tokens_per_example = Unknown("set by the trainer's max_length (huggingface/trl dataset_formats.md, read 2026-11)");
  return t;
}

Target TrlKto() {
  Target t;
  t.name = "trl-kto";
  t.description = "TRL KTOTrainer (also BCO): prompt/completion/label, conversational or standard";
  t.formats = {"trl-kto", "trl-kto-text"};
  t.file_naming = "<split>.jsonl";
  t.min_examples = Unknown(kTrainerHasNoLimits);
  t.max_examples = Unknown(kTrainerHasNoLimits);
  t.max_file_bytes = Unknown(kTrainerHasNoLimits);
  t.max_tokens_per_example = Unknown("set by the trainer's max_length (huggingface/trl dataset_formats.md, read 2026-11)");
  return t;
}

Target AxolotlChatTemplate() {
  Target t;
  t.name = "axolotl-chat-template";
  t.description = "axolotl type: chat_template: openai messages, the model's template applied by axolotl";
  t.formats = {"openai"};
  t.file_naming = "<split>.jsonl; config: type: chat_template, field_messages: messages";
  t.min_examples = Unknown(kTrainerHasNoLimits);
  t.max_examples = Unknown(kTrainerHasNoLimits);
  t.max_file_bytes = Unknown(kTrainerHasNoLimits);
  t.max_tokens_per_example = Unknown("set by sequence_len in the axolotl config (docs/dataset-formats, read 2026-11)");
  t.notes = "roles_to_train defaults to [\"assistant\"]; weight 0 turns are not trained.";
  return t;
}

Target AxolotlInputOutput() {
  Target t;
  t.name = "axolotl-input-output";
  t.description = "axolotl type: input_output: segments with label, concatenated as is";
  t.formats = {"axolotl-input-output"};
  t.file_naming = "<split>.jsonl; config: type: input_output";
  t.min_examples = Unknown(kTrainerHasNoLimits);
  t.max_examples = Unknown(kTrainerHasNoLimits);
  t.max_file_bytes = Unknown(kTrainerHasNoLimits);
  t.max_tokens_per_example = Unknown("set by sequence_len in the axolotl config (docs.axolotl.ai/docs/dataset-formats/template_free.html, read 2026-12-06)");
  t.notes = "No BOS, EOS or whitespace is added: the segments' text is all there is.";
  return t;
}

Target LlamaFactory() {
  Target t;
  t.name = "llama-factory";
  t.description = "LLaMA-Factory: sharegpt, alpaca or their preference forms, with the dataset_info.json entry";
  t.formats = {"sharegpt", "alpaca", "sharegpt-preference", "alpaca-preference"};
  t.file_naming = "<split>.jsonl and dataset_info.json (one entry per file, named <folder>_<file stem>)";
  t.min_examples = Unknown(kTrainerHasNoLimits);
  t.max_examples = Unknown(kTrainerHasNoLimits);
  t.max_file_bytes = Unknown(kTrainerHasNoLimits);
  t.max_tokens_per_example = Unknown("cutoff_len defaults to 2048 and truncates (hparams/data_args.py, read 2026-11)");
  t.companion_file = "dataset_info.json";
  t.companion = internal::LlamaFactoryDatasetInfo;
  return t;
}

Status RegisterBuiltinTargets(TargetRegistry& registry) {
  // The order of `tunepack targets`: the most used first.
  for (Target (*make)() : {OpenAiSft, OpenAiDpo, BedrockClaude, BedrockNova, VertexGemini, TrlSft, TrlDpo, TrlKto,
                           LlamaFactory, AxolotlChatTemplate, AxolotlInputOutput, Together, Mistral}) {
    TP_RETURN_IF_ERROR(registry.Add(make()));
  }
  return Status::Ok();
}

}  // namespace

const TargetRegistry& BuiltinTargets() {
  static const TargetRegistry* const registry = [] {
    auto* built = new TargetRegistry();
    // The built-in names are distinct; failing here is a bug, never bad input.
    if (!RegisterBuiltinTargets(*built).ok()) std::abort();
    return built;
  }();
  return *registry;
}

Result<const Target*> FindTarget(std::string_view name) {
  if (const Target* target = BuiltinTargets().Find(name)) return target;
  return NotFoundError("unknown target '" + std::string(name) + "' (targets: " + BuiltinTargets().Names() + ")");
}

Result<std::string> TargetFormat(const Target& target, std::string_view format) {
  if (format.empty()) return target.formats.front();
  for (const std::string& name : target.formats) {
    if (name == format) return name;
  }
  std::string names;
  for (const std::string& name : target.formats) names += (names.empty() ? "" : ", ") + name;
  return InvalidArgumentError("target " + target.name + " takes the format" + (target.formats.size() > 1 ? "s " : " ") +
                              names + ", not " + std::string(format));
}

std::string DescribeLimit(const Limit& limit, bool bytes) {
  if (!limit.value) return "unknown";
  uint64_t value = *limit.value;
  if (bytes) {
    if (value % kGB == 0) return std::to_string(value / kGB) + " GB";
    if (value % kMB == 0) return std::to_string(value / kMB) + " MB";
    return std::to_string(value) + " bytes";
  }
  std::string digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
  return digits;
}

}  // namespace tunepack::format
