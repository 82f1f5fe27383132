#include "tunepack/format/unread_fields.h"

#include <array>
#include <string>

#include "tunepack/core/option_ref.h"

namespace tunepack::format {
namespace {

struct KnownField {
  std::string_view name;
  std::string_view holds;
};

// Fields of the dataset formats people train with (LLaMA-Factory, TRL, axolotl) that no
// tunepack format reads yet: recognised so that a refusal can say what would be lost.
constexpr std::array<KnownField, 17> kKnownFields = {{
    {"chosen", "the chosen answer of a preference pair (DPO, ORPO)"},
    {"rejected", "the rejected answer of a preference pair (DPO, ORPO)"},
    {"prompt", "the prompt of a preference pair or completion record"},
    {"completion", "the completion of a prompt/completion record"},
    {"label", "a KTO label (whether the answer is desirable)"},
    {"kto_tag", "a KTO label (whether the answer is desirable)"},
    {"images", "the images its <image> tags stand for"},
    {"videos", "the videos its <video> tags stand for"},
    {"audios", "the audio files its <audio> tags stand for"},
    {"tools", "the tool schemas the conversation may call"},
    {"system", "a system prompt"},
    {"functions", "the function schemas the conversation may call"},
    {"id", "the record's identifier"},
    {"metadata", "the record's metadata"},
    {"reasoning_content", "the reasoning (thinking) of an assistant turn"},
    {"thinking", "the reasoning (thinking) of an assistant turn"},
    {"refusal", "an assistant's refusal message"},
}};

}  // namespace

std::string_view DescribeKnownField(std::string_view name) {
  // A field of a message ("messages[2].reasoning_content") is described by its own name.
  if (const size_t dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
  for (const KnownField& field : kKnownFields) {
    if (field.name == name) return field.holds;
  }
  return {};
}

Status PlaceUnreadFields(Example& example, const Format& target, bool into_metadata) {
  for (const MetadataEntry& entry : example.unread_fields.entries()) {
    bool carried = false;
    for (const std::string& name : target.carried_fields) carried = carried || name == entry.key;
    if (carried) continue;
    const std::string* in_metadata = example.metadata.FindJson(entry.key);
    const bool to_metadata = into_metadata && target.holds_metadata;
    if (to_metadata && (in_metadata == nullptr || *in_metadata == entry.json)) {
      example.metadata.SetJson(entry.key, entry.json);
      continue;
    }
    std::string message = target.name + " cannot hold the field \"" + entry.key + "\"";
    const std::string_view holds = DescribeKnownField(entry.key);
    if (!holds.empty()) message += " (" + std::string(holds) + ")";
    if (to_metadata) {
      message += ", and the metadata already has another \"" + entry.key + "\"";
    } else if (!target.holds_metadata) {
      message += "; it would be lost: " + target.name +
                 " files hold text only (use jsonl with " + OptionRef("with-metadata") + ")";
    } else {
      message += "; it would be lost: pass " + OptionRef("with-metadata") + " to carry it in each record's metadata";
    }
    return FailedPreconditionError(std::move(message));
  }
  return Status::Ok();
}

}  // namespace tunepack::format
