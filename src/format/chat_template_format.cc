// chat-template: each conversation as the exact text the model trains on, its own chat
// template (DIR/tokenizer_config.json or DIR/chat_template.jinja) rendered as transformers'
// apply_chat_template renders it, one JSONL record {"text": ...} per conversation.
//
// With a tokenizer the record also carries `input_ids` and `assistant_masks`. From the
// template's {% generation %} blocks when it has them: what apply_chat_template(
// tokenize=True, return_dict=True, return_assistant_tokens_mask=True) returns. Otherwise
// (transformers would only warn and return an all-zero mask, which trains on nothing) from
// what each assistant turn adds to the rendering, the way trainers split prompt and
// completion (assistant_mask.h); a conversation whose earlier turns the template rewrites
// once later ones follow is refused for that.
// Reference: /work/shared/reference/formats.md section 9.
#include <algorithm>
#include <memory>

#include "format/builtin_formats.h"
#include "format/chat_template_preference.h"
#include "format/conversation_checks.h"
#include "format/generation_prompt.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/assistant_mask.h"
#include "tunepack/template/chat_template.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::format::internal {
namespace {

using jinja::Value;

constexpr std::string_view kName = "chat-template";
// The room of a thread's render buffer kept from one conversation to the next.
constexpr size_t kKeptTextRoom = size_t{1} << 20;

void Set(Value& dict, std::string_view key, Value value) {
  dict.as_dict().Set(Value::String(std::string(key)), std::move(value));
}

// Returns the JSON text `json` as a value; text that does not parse stays a string, as a
// dataset with malformed arguments would hand it to the template.
Value JsonOrString(const std::string& json) {
  Result<Value> parsed = jinja::ParseJson(json);
  return parsed.has_value() ? std::move(*parsed) : Value::String(json);
}

// ConversationValue: the messages as a Hugging Face dataset row holds them in the OpenAI
// shape: {"role", "content"} plus "name", "tool_calls" (arguments as an object, which is
// what chat templates expect to `tojson`) and "tool_call_id" when present. A tool-call turn
// without text has content "", as transformers' and the models' own tool-use examples
// write it: templates concatenate content (Qwen3 tests `'</think>' in content`), and None
// would fail there or print "None".
//
// Built for one render of an Example that outlives it: the strings are the Example's own,
// borrowed, and `messages` borrows the dicts `owned` holds, so that neither building the
// values nor the render's copies of them count references. Build() again refills the same
// dicts and list for the next conversation: a worker renders one after another, and a
// render leaves nothing that points into them (it gives back text). A template may pop
// from the list (Jinja2's sandbox lets list.pop through, as tunepack's does), though not
// change the dicts: Build checks what it reuses, and makes over what is not as it left it.
class ConversationValue {
 public:
  ConversationValue() = default;
  explicit ConversationValue(const std::vector<Message>& source) { Build(source); }

  // Makes messages() the value of `source`.
  void Build(const std::vector<Message>& source) {
    static const Value kRoleKey = Value::String("role");
    static const Value kContentKey = Value::String("content");
    static const Value kRoles[] = {  // in the order of enum Role
        Value::String(std::string(RoleName(Role::kSystem))), Value::String(std::string(RoleName(Role::kUser))),
        Value::String(std::string(RoleName(Role::kAssistant))), Value::String(std::string(RoleName(Role::kTool)))};
    static const std::string kEmpty;
    if (!messages_.is_list()) messages_ = Value::FromList({});
    std::vector<Value>& items = messages_.as_list().items;
    // The dicts of one very long conversation are not kept for all that follow.
    if (owned_.size() > std::max<size_t>(source.size(), kKeptDicts)) {
      items.clear();  // it borrows the dicts
      owned_.resize(source.size());
    }
    while (owned_.size() < source.size()) owned_.push_back(Value::MakeDict());
    for (size_t i = 0; i < source.size(); ++i) {
      const Message& message = source[i];
      std::vector<std::pair<Value, Value>>& fields = owned_[i].as_dict().items;
      const Value& role = kRoles[static_cast<size_t>(message.role)];
      const std::string& content = message.has_content ? message.content : kEmpty;
      const bool plain = message.name.empty() && message.tool_calls.empty() && message.tool_call_id.empty();
      // A plain turn over a dict that holds "role" and "content" alone (the last render's)
      // takes their values in place: most turns of most conversations, with no key made or
      // looked up. A value that already refers to the very string is kept: the turns of an
      // example reused record after record (the pipeline's) stay where they are, and the
      // borrowed value reads their new text.
      if (plain && fields.size() == 2 && IsString(fields[0].first, kRoleKey.as_string()) &&
          IsString(fields[1].first, kContentKey.as_string())) {
        if (!IsString(fields[0].second, role.as_string())) fields[0].second = role.Borrow();
        if (!IsString(fields[1].second, content)) fields[1].second = Value::BorrowedString(content);
        continue;
      }
      fields.clear();
      // "role" and "content" go in without a lookup, being the first two keys.
      fields.emplace_back(kRoleKey.Borrow(), role.Borrow());
      fields.emplace_back(kContentKey.Borrow(), Value::BorrowedString(content));
      if (!message.name.empty()) Set(owned_[i], "name", Value::BorrowedString(message.name));
      if (!message.tool_calls.empty()) Set(owned_[i], "tool_calls", ToolCallsValue(message.tool_calls));
      if (!message.tool_call_id.empty()) Set(owned_[i], "tool_call_id", Value::BorrowedString(message.tool_call_id));
    }
    // The list borrows owned_[0..n), in order: kept as it is when it still does.
    bool list_kept = items.size() == source.size();
    for (size_t i = 0; list_kept && i < items.size(); ++i) {
      list_kept = items[i].is_dict() && &items[i].as_dict() == &owned_[i].as_dict();
    }
    if (!list_kept) {
      items.clear();
      for (size_t i = 0; i < source.size(); ++i) items.push_back(owned_[i].Borrow());
    }
  }
  ConversationValue(const ConversationValue&) = delete;
  ConversationValue& operator=(const ConversationValue&) = delete;

  // The list of message dicts; valid while this object and the messages it was built from live.
  const Value& messages() const { return messages_; }

 private:
  static Value ToolCallsValue(const std::vector<ToolCall>& source) {
    std::vector<Value> calls;
    calls.reserve(source.size());
    for (const ToolCall& call : source) {
      Value function = Value::MakeDict();
      Set(function, "name", Value::BorrowedString(call.name));
      Set(function, "arguments", JsonOrString(call.arguments));
      Value c = Value::MakeDict();
      if (!call.id.empty()) Set(c, "id", Value::BorrowedString(call.id));
      Set(c, "type", Value::String("function"));
      Set(c, "function", std::move(function));
      calls.push_back(std::move(c));
    }
    return Value::FromList(std::move(calls));
  }

  // True when `value` is a plain string (not Markup) that refers to the very string `s`.
  static bool IsString(const Value& value, const std::string& s) {
    return value.is_string() && !value.is_markup() && &value.as_string() == &s;
  }

  static constexpr size_t kKeptDicts = 256;
  std::vector<Value> owned_;
  Value messages_;
};

// Returns the names of the functions in the tool schemas `tools` (JSON), in OpenAI's shape
// {"type":"function","function":{"name"...}} or bare {"name"...}.
std::vector<std::string> ToolNames(const std::string& tools) {
  std::vector<std::string> names;
  Result<Value> parsed = jinja::ParseJson(tools);
  if (!parsed.has_value() || !parsed->is_list()) return names;
  for (const Value& schema : parsed->as_list().items) {
    if (!schema.is_dict()) continue;
    const Value* function = schema.as_dict().Find("function");
    const Value& holder = function != nullptr && function->is_dict() ? *function : schema;
    const Value* name = holder.as_dict().Find("name");
    if (name != nullptr && name->is_string()) names.push_back(name->as_string());
  }
  return names;
}

// Refuses a render that lost the conversation's tool calls or tool schemas: a template that
// never reads `tool_calls` (Llama 3's) renders a call turn as an empty or "None" turn, and
// training on it would teach the model to answer nothing.
Status CheckToolsRendered(const Example& example, const std::string& text) {
  for (size_t i = 0; i < example.messages.size(); ++i) {
    for (const ToolCall& call : example.messages[i].tool_calls) {
      if (text.find(call.name) == std::string::npos) {
        return FailedPreconditionError(
            "the chat template did not render the tool call '" + call.name + "' of " +
            MessageField(i) + " (it does not read tool_calls); the call would be lost: use a "
            "template that supports tool calls, or leave tool-call conversations out");
      }
    }
  }
  if (example.tools.empty()) return Status::Ok();
  for (const std::string& name : ToolNames(example.tools)) {
    if (text.find(name) == std::string::npos) {
      return FailedPreconditionError("the chat template did not render the tool schema '" + name +
                                     "' of \"tools\" (it does not read tools); the schemas "
                                     "would be lost: use a template that supports tools");
    }
  }
  return Status::Ok();
}

}  // namespace

// ChatTemplateWriter: the bound state, shared read-only by the worker threads.
struct ChatTemplateWriter {
  jinja::ChatTemplate chat;
  std::shared_ptr<const tokenize::Tokenizer> tokenizer;  ///< null: text only
  std::vector<std::string> special_strings;              ///< the tokenizer's special tokens
  std::string strip;  ///< the generation prompt to cut after a last assistant turn, or ""
  std::string dangling;  ///< the generation prompt the template leaves after a last assistant turn, or ""

  Status Write(const Example& example, const WriteOptions& options, std::string& out) const {
    if (IsPreference(example.kind)) return WritePreference(example, options, out);
    TP_RETURN_IF_ERROR(RequireConversation(example, kName));
    TP_RETURN_IF_ERROR(ValidateConversation(example));
    // One per worker thread, refilled conversation after conversation.
    thread_local ConversationValue conversation;
    conversation.Build(example.messages);
    jinja::ChatInputs inputs;
    inputs.messages = conversation.messages();
    if (!example.tools.empty()) inputs.tools = JsonOrString(example.tools);
    // Training text: the whole conversation, no prompt for a next turn.
    inputs.add_generation_prompt = false;
    std::vector<std::pair<size_t, size_t>> spans;
    // Rendered into a string whose room serves conversation after conversation (a new one
    // grew by doubling, copying, for every record): the caller's when it takes the text
    // (WriteOptions::rendered_text), else one per thread, not kept when a huge render grew it.
    thread_local std::string own_text;
    std::string& text = options.rendered_text != nullptr ? *options.rendered_text : own_text;
    text.clear();
    if (&text == &own_text && text.capacity() > kKeptTextRoom) text.shrink_to_fit();
    TP_RETURN_IF_ERROR(chat.RenderTo(inputs, text, tokenizer ? &spans : nullptr));
    TP_RETURN_IF_ERROR(CheckToolsRendered(example, text));
    if (!strip.empty() && example.messages.back().role == Role::kAssistant && text.size() >= strip.size() &&
        text.compare(text.size() - strip.size(), strip.size(), strip) == 0) {
      text.resize(text.size() - strip.size());
      for (auto& [start, end] : spans) {
        start = std::min(start, text.size());
        end = std::min(end, text.size());
      }
    }
    const size_t begin = out.size();
    JsonObjectWriter record(out);
    record.String("text", text);
    if (tokenizer) {
      Status status = AppendTokens(example, text, spans, record);
      if (!status.ok()) {
        out.resize(begin);
        return status;
      }
    }
    if (options.include_metadata && !example.metadata.empty()) {
      example.metadata.AppendJsonObject(record.Key("metadata"));
    }
    record.Close();
    out.push_back('\n');
    return Status::Ok();
  }

  // Renders `messages` as a training text (or a prompt, with the generation prompt), the
  // generation prompt a template leaves after a last assistant turn cut when asked.
  Result<std::string> RenderMessages(const std::vector<Message>& messages, const std::string& tools,
                                     bool add_generation_prompt) const {
    const ConversationValue conversation(messages);
    jinja::ChatInputs inputs;
    inputs.messages = conversation.messages();
    if (!tools.empty()) inputs.tools = JsonOrString(tools);
    inputs.add_generation_prompt = add_generation_prompt;
    TP_ASSIGN_OR_RETURN(std::string text, chat.Render(inputs, nullptr));
    Example whole;
    whole.kind = ExampleKind::kConversation;
    whole.messages = messages;
    whole.tools = tools;
    TP_RETURN_IF_ERROR(CheckToolsRendered(whole, text));
    if (!strip.empty() && !add_generation_prompt && messages.back().role == Role::kAssistant &&
        text.size() >= strip.size() && text.compare(text.size() - strip.size(), strip.size(), strip) == 0) {
      text.resize(text.size() - strip.size());
    }
    return text;
  }

  // A preference example: {"prompt","chosen","rejected"} (or {"prompt","completion","label"}
  // for an unpaired one), the texts TRL makes (chat_template_preference.h); with a tokenizer
  // each text's ids apart, as TRL's DPO and KTO trainers tokenize them: the prompt ids are
  // the part the loss skips.
  Status WritePreference(const Example& example, const WriteOptions& options, std::string& out) const {
    auto render = [&](const std::vector<Message>& messages, bool add_generation_prompt) {
      return RenderMessages(messages, example.tools, add_generation_prompt);
    };
    TP_ASSIGN_OR_RETURN(PreferenceTexts texts, RenderPreferenceTexts(example, render));
    const bool paired = example.kind == ExampleKind::kPreference;
    std::vector<std::pair<std::string_view, const std::string*>> fields = {{"prompt", &texts.prompt}};
    if (paired) {
      fields.push_back({"chosen", &texts.chosen});
      fields.push_back({"rejected", &texts.rejected});
    } else {
      fields.push_back({"completion", example.chosen.empty() ? &texts.rejected : &texts.chosen});
    }
    const size_t begin = out.size();
    JsonObjectWriter record(out);
    for (const auto& [name, text] : fields) record.String(name, *text);
    if (!paired) record.Bool("label", !example.chosen.empty());
    if (tokenizer) {
      for (const auto& [name, text] : fields) {
        std::vector<tokenize::TokenId> ids;
        Status status = Encode(example, *text, ids);
        if (!status.ok()) {
          out.resize(begin);
          return status;
        }
        AppendIds(ids, record.Key(std::string(name) + "_input_ids"));
      }
    }
    if (options.include_metadata && !example.metadata.empty()) {
      example.metadata.AppendJsonObject(record.Key("metadata"));
    }
    record.Close();
    out.push_back('\n');
    return Status::Ok();
  }

  // Tokenizes `text`, which the template rendered, with special tokens recognised, as
  // transformers does (the template writes them).
  Status Encode(const Example& example, const std::string& text, std::vector<tokenize::TokenId>& ids) const {
    TP_RETURN_IF_ERROR(CheckNoSpecialTokens(example));
    tokenize::EncodeOptions encode;
    encode.allow_special = true;
    return tokenizer->Encode(text, encode, &ids);
  }

  // A special-token string inside a message would become a control token the author never
  // wrote once the rendering is tokenized: refuse the example instead.
  Status CheckNoSpecialTokens(const Example& example) const {
    Status found = Status::Ok();
    auto check = [&](std::string_view side, const std::vector<Message>& messages) {
      for (size_t i = 0; i < messages.size() && found.ok(); ++i) {
        for (const std::string& special : special_strings) {
          if (messages[i].content.find(special) != std::string::npos) {
            found = InvalidArgumentError(std::string(side) + "[" + std::to_string(i) + "].content holds the special token " +
                                         special + ", which the tokenizer would read as a control token");
            break;
          }
        }
      }
    };
    check("messages", example.messages);
    check("chosen", example.chosen);
    check("rejected", example.rejected);
    return found;
  }

  static void AppendIds(const std::vector<tokenize::TokenId>& ids, std::string& out) {
    out.push_back('[');
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i) out.push_back(',');
      out += std::to_string(ids[i]);
    }
    out.push_back(']');
  }

  // The tokens of `text` (the rendering of `example`) masked by what each assistant turn
  // adds, for a template without {% generation %} blocks.
  Result<MaskedTokens> TokenizeByTurns(const Example& example, const std::string& text) const {
    std::vector<size_t> turns;
    for (size_t i = 0; i < example.messages.size(); ++i) {
      if (example.messages[i].role == Role::kAssistant) turns.push_back(i);
    }
    auto render = [&](size_t count, bool add_generation_prompt) -> Result<std::string> {
      const std::vector<Message> first(example.messages.begin(), example.messages.begin() + count);
      const ConversationValue conversation(first);
      jinja::ChatInputs inputs;
      inputs.messages = conversation.messages();
      if (!example.tools.empty()) inputs.tools = JsonOrString(example.tools);
      inputs.add_generation_prompt = add_generation_prompt;
      TP_ASSIGN_OR_RETURN(std::string prefix, chat.Render(inputs, nullptr));
      // A training text ending with an assistant turn, less the opener such templates
      // leave after it: the turn ends where the next message begins.
      if (!add_generation_prompt && !dangling.empty() && prefix.ends_with(dangling)) {
        prefix.resize(prefix.size() - dangling.size());
      }
      return prefix;
    };
    return TokenizeWithTurnMask(*tokenizer, text, turns, render);
  }

  // Appends "input_ids" and "assistant_masks" for `text`.
  Status AppendTokens(const Example& example, const std::string& text,
                      const std::vector<std::pair<size_t, size_t>>& spans, JsonObjectWriter& record) const {
    TP_RETURN_IF_ERROR(CheckNoSpecialTokens(example));
    TP_ASSIGN_OR_RETURN(MaskedTokens tokens, chat.tmpl().HasGenerationBlocks()
                                                 ? TokenizeWithAssistantMask(*tokenizer, text, spans)
                                                 : TokenizeByTurns(example, text));
    const std::vector<uint8_t>& mask = tokens.assistant_mask;
    AppendIds(tokens.ids, record.Key("input_ids"));
    std::string& mask_json = record.Key("assistant_masks");
    mask_json.push_back('[');
    for (size_t i = 0; i < mask.size(); ++i) {
      if (i) mask_json.push_back(',');
      mask_json.push_back(mask[i] ? '1' : '0');
    }
    mask_json.push_back(']');
    return Status::Ok();
  }
};

namespace {

Result<Format> Bind(const FormatParams& params) {
  if (params.model_dir.empty()) {
    return InvalidArgumentError(OptionRef("format") + " chat-template needs " + OptionRef("model") + " DIR, a folder with the model's "
                                "tokenizer_config.json (or chat_template.jinja)");
  }
  Result<jinja::ChatTemplate> chat = jinja::ChatTemplate::LoadFromDirectory(params.model_dir);
  if (!chat.has_value()) return chat.error().WithContext(OptionRef("model") + " " + params.model_dir);
  auto writer = std::make_shared<ChatTemplateWriter>(ChatTemplateWriter{std::move(*chat), nullptr, {}, {}, {}});
  if (!params.tokenizer.empty()) {
    TP_ASSIGN_OR_RETURN(writer->tokenizer, tokenize::LoadTokenizer(params.tokenizer));
    for (const auto& [special, id] : writer->tokenizer->special_tokens()) writer->special_strings.push_back(special);
  }
  const std::string dangling = DanglingGenerationPrompt(writer->chat);
  writer->dangling = dangling;
  if (params.strip_generation_prompt) writer->strip = dangling;
  Format format = ChatTemplateFormat();
  format.bind = nullptr;
  if (!params.strip_generation_prompt) format.dangling_generation_prompt = dangling;
  format.write = [writer](const Example& example, const WriteOptions& options, std::string& out) {
    return writer->Write(example, options, out);
  };
  return format;
}

Status WriteUnbound(const Example&, const WriteOptions&, std::string&) {
  return InvalidArgumentError(OptionRef("format") + " chat-template needs " + OptionRef("model") + " DIR");
}

}  // namespace

Format ChatTemplateFormat() {
  Format format;
  format.name = std::string(kName);
  format.description =
      "A model's own chat template (" + OptionRef("model") + " DIR) rendered as transformers does: JSONL {\"text\": ...}, "
      "plus input_ids and assistant_masks with " + OptionRef("tokenizer");
  format.extension = ".jsonl";
  format.write = WriteUnbound;
  format.bind = Bind;
  format.read_as = "jsonl";
  return format;
}

}  // namespace tunepack::format::internal
