#include "tunepack/template/chat_template.h"

#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>

#include "template/limits.h"
#include "template/object.h"
#include "tunepack/io/file.h"
#include "template/render.h"

namespace tunepack::jinja {
namespace {

class ChatFunction : public Object {
 public:
  using Fn = Value (*)(CallArgs&);
  ChatFunction(std::string_view name, Fn fn) : name_(name), fn_(fn) {}
  std::string_view TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(Renderer&, CallArgs& args) override { return fn_(args); }

 private:
  std::string_view name_;
  Fn fn_;
};

// raise_exception(msg): transformers raises jinja2.exceptions.TemplateError(msg).
// The message is cut to kMaxExceptionMessageBytes (it ends up in error output and ledger
// lines, once per rejected record).
Value RaiseException(CallArgs& args) {
  std::string message = args.pos.empty() ? std::string() : PyStr(args.pos[0]);
  if (message.size() > kMaxExceptionMessageBytes) {
    size_t cut = kMaxExceptionMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // a code point boundary
    const size_t dropped = message.size() - cut;
    message.resize(cut);
    message += "... (" + std::to_string(dropped) + " more bytes)";
  }
  Throw(std::move(message));
}

// strftime_now(fmt): datetime.now().strftime(fmt), local time as transformers does.
Value StrftimeNow(CallArgs& args) {
  // A marker byte after the format keeps a result from being empty, so that strftime's 0
  // always means "buffer too small" and the buffer grows until the text fits.
  const std::string fmt = (args.pos.empty() ? std::string() : PyStr(args.pos[0])) + "\x01";
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::string buf(fmt.size() * 4 + 64, '\0');
  while (true) {
    const size_t n = std::strftime(buf.data(), buf.size(), fmt.c_str(), &local);
    if (n > 0) {
      buf.resize(n - 1);
      return Value::String(std::move(buf));
    }
    CheckValueBytes(buf.size() * 2);
    buf.resize(buf.size() * 2);
  }
}

// A model folder comes from strangers: io:: refuses a FIFO or a device (a chat template
// linked to /dev/zero) by type and caps the size.
constexpr uint64_t kMaxChatTemplateBytes = 16u << 20;

Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes) {
  return io::ReadWholeFile(path, max_bytes);
}

std::string TokenText(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_dict()) {
    if (const Value* content = v.as_dict().Find("content"); content != nullptr && content->is_string()) {
      return content->as_string();
    }
  }
  return std::string();
}

}  // namespace

Value SpecialTokensFromConfig(const Value& config) {
  Value tokens = Value::MakeDict();
  if (!config.is_dict()) return tokens;
  for (const char* name : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"}) {
    const Value* v = config.as_dict().Find(name);
    if (v == nullptr || v->is_none()) continue;
    std::string text = TokenText(*v);
    if (v->is_string() || v->is_dict()) tokens.as_dict().Set(Value::String(name), Value::String(std::move(text)));
  }
  if (const Value* extra = config.as_dict().Find("additional_special_tokens"); extra != nullptr && extra->is_list()) {
    std::vector<Value> items;
    for (const auto& item : extra->as_list().items) items.push_back(Value::String(TokenText(item)));
    tokens.as_dict().Set(Value::String("additional_special_tokens"), Value::FromList(std::move(items)));
  }
  return tokens;
}

namespace {

// The keys every render's context starts with, in this order (later keys win, as in
// render(messages=..., **special_tokens, **kwargs)).
constexpr std::string_view kFixedKeys[] = {"messages", "tools", "documents", "add_generation_prompt",
                                           "raise_exception", "strftime_now"};
constexpr size_t kFixedKeyCount = std::size(kFixedKeys);

}  // namespace

ChatTemplate::ChatTemplate(Template t, const Value& special_tokens) : template_(std::move(t)) {
  special_tokens_ = Value::MakeDict();
  std::vector<std::string_view> keys(std::begin(kFixedKeys), std::end(kFixedKeys));
  if (special_tokens.is_dict()) {
    special_tokens_.as_dict().items = special_tokens.as_dict().items;
    for (const auto& [k, v] : special_tokens_.as_dict().items) {
      // A dict's keys are distinct: each only needs comparing with the fixed keys.
      size_t position = keys.size();
      for (size_t i = 0; i < kFixedKeyCount && k.is_string(); ++i) {
        if (kFixedKeys[i] == k.as_string()) position = i;
      }
      if (position == keys.size()) keys.push_back(k.is_string() ? std::string_view(k.as_string()) : std::string_view());
      special_token_positions_.push_back(position);
    }
  }
  context_slots_ = template_.SlotsOf(keys);  // a key that is no string: "", no variable's name
}

Result<ChatTemplate> ChatTemplate::Create(std::string_view source, Value special_tokens, std::string name) {
  TP_ASSIGN_OR_RETURN(Template t, Template::Parse(source, std::move(name), ChatTemplateOptions()));
  return ChatTemplate(std::move(t), std::move(special_tokens));
}

Result<ChatTemplate> ChatTemplate::LoadFromDirectory(const std::string& dir, bool want_tool_use) {
  const std::string config_path = dir + "/tokenizer_config.json";
  Value config = Value::MakeDict();
  Result<std::string> config_text = ReadWholeFile(config_path, io::kMaxConfigFileBytes);
  // Absent is fine; present but unreadable (a FIFO, too large) is an error, not "absent".
  if (!config_text.ok() && config_text.error().code() != StatusCode::kNotFound) return config_text.error();
  if (config_text.ok()) {
    Result<Value> parsed = ParseJson(*config_text);
    if (!parsed.ok()) return parsed.error().WithContext(config_path);
    config = std::move(*parsed);
  }
  const std::string jinja_path = dir + "/chat_template.jinja";
  Result<std::string> jinja = ReadWholeFile(jinja_path, kMaxChatTemplateBytes);
  if (!jinja.ok() && jinja.error().code() != StatusCode::kNotFound) return jinja.error();
  if (jinja.ok()) return Create(*jinja, SpecialTokensFromConfig(config), jinja_path);
  if (!config_text.ok()) {
    return NotFoundError(dir + " has neither tokenizer_config.json nor chat_template.jinja");
  }
  const Value* tpl = config.is_dict() ? config.as_dict().Find("chat_template") : nullptr;
  if (tpl == nullptr || tpl->is_none()) return NotFoundError(config_path + " has no chat_template");
  if (tpl->is_string()) return Create(tpl->as_string(), SpecialTokensFromConfig(config), config_path + "#chat_template");
  if (tpl->is_list()) {
    const Value* chosen = nullptr;
    for (const auto& entry : tpl->as_list().items) {
      if (!entry.is_dict()) continue;
      const Value* name = entry.as_dict().Find("name");
      const Value* body = entry.as_dict().Find("template");
      if (name == nullptr || body == nullptr || !name->is_string() || !body->is_string()) continue;
      if (name->as_string() == "tool_use" && want_tool_use) chosen = body;
      if (name->as_string() == "default" && chosen == nullptr) chosen = body;
    }
    if (chosen != nullptr) return Create(chosen->as_string(), SpecialTokensFromConfig(config), config_path + "#chat_template");
  }
  return InvalidArgumentError(config_path + ": chat_template must be a string or a list with a 'default' entry");
}

Result<std::string> ChatTemplate::Render(const ChatInputs& inputs) const { return Render(inputs, nullptr); }

Result<std::string> ChatTemplate::RenderContext(const Value& context) const {
  Value full = Value::MakeDict();
  full.as_dict().Set(Value::String("raise_exception"), Value::FromObject(std::make_shared<ChatFunction>("raise_exception", RaiseException)));
  full.as_dict().Set(Value::String("strftime_now"), Value::FromObject(std::make_shared<ChatFunction>("strftime_now", StrftimeNow)));
  for (const auto& [k, v] : special_tokens_.as_dict().items) full.as_dict().Set(k, v);
  if (context.is_dict()) {
    for (const auto& [k, v] : context.as_dict().items) full.as_dict().Set(k, v);
  }
  std::string out;
  TP_RETURN_IF_ERROR(template_.RenderTo(full, out));
  return out;
}

Result<std::string> ChatTemplate::Render(const ChatInputs& inputs, std::vector<std::pair<size_t, size_t>>* spans) const {
  std::string out;
  TP_RETURN_IF_ERROR(RenderTo(inputs, out, spans));
  return out;
}

Status ChatTemplate::RenderTo(const ChatInputs& inputs, std::string& out,
                              std::vector<std::pair<size_t, size_t>>* spans) const {
  // The keys are made once (kFixedKeys, in that order), the special tokens' places found
  // once (special_token_positions_), so the context is built without comparing keys.
  static const Value kKeys[] = {Value::String(std::string(kFixedKeys[0])), Value::String(std::string(kFixedKeys[1])),
                                Value::String(std::string(kFixedKeys[2])), Value::String(std::string(kFixedKeys[3])),
                                Value::String(std::string(kFixedKeys[4])), Value::String(std::string(kFixedKeys[5]))};
  static_assert(std::size(kKeys) == kFixedKeyCount);
  static const Value kRaise = Value::FromObject(std::make_shared<ChatFunction>("raise_exception", RaiseException));
  static const Value kStrftime = Value::FromObject(std::make_shared<ChatFunction>("strftime_now", StrftimeNow));
  // Everything here outlives the render (the inputs, this template, the statics): the
  // context borrows it, so that the render's copies count no references. The context dict
  // itself is this thread's, reused (emptied after each render, its room kept): a render
  // holds it only while it runs. A render started while another on this thread holds it
  // (nothing does that today) makes its own.
  thread_local Value reused_context = Value::MakeDict();
  thread_local bool reused_context_busy = false;
  Value own_context;
  const bool reuse = !reused_context_busy;
  Value& context = reuse ? reused_context : (own_context = Value::MakeDict());
  struct Release {
    Value& context;
    bool reused;
    ~Release() {
      context.as_dict().items.clear();
      if (reused) reused_context_busy = false;
    }
  } release{context, reuse};
  reused_context_busy = true;
  Dict& d = context.as_dict();
  const auto& special = special_tokens_.as_dict().items;
  d.items.reserve(8 + special.size() + (inputs.extra.is_dict() ? inputs.extra.as_dict().items.size() : 0));
  const Value fixed_values[] = {inputs.messages.Borrow(), inputs.tools.Borrow(), inputs.documents.Borrow(),
                                Value::Bool(inputs.add_generation_prompt), kRaise.Borrow(), kStrftime.Borrow()};
  for (size_t i = 0; i < kFixedKeyCount; ++i) d.items.emplace_back(kKeys[i].Borrow(), fixed_values[i]);
  for (size_t j = 0; j < special.size(); ++j) {
    const size_t position = special_token_positions_[j];
    if (position < kFixedKeyCount) {
      d.items[position].second = special[j].second.Borrow();
    } else {
      d.items.emplace_back(special[j].first.Borrow(), special[j].second.Borrow());
    }
  }
  if (inputs.extra.is_dict()) {
    for (const auto& [k, v] : inputs.extra.as_dict().items) d.Set(k.Borrow(), v.Borrow());
  }
  // The output holds the messages' text and the template's own: reserve for that, so the
  // string is not regrown several times while it is written.
  size_t expected = 256;
  if (inputs.messages.is_list()) {
    for (const Value& message : inputs.messages.as_list().items) {
      if (!message.is_dict()) continue;
      for (const auto& [k, v] : message.as_dict().items) {
        if (v.is_string()) expected += v.as_string().size() + 32;
      }
    }
  }
  out.reserve(out.size() + expected);
  // Extra keyword arguments replace earlier keys in place (Dict::Set) or come after them,
  // so the keys context_slots_ describes stay where they are.
  return template_.RenderWithSlots(context, out, spans, &context_slots_);
}

}  // namespace tunepack::jinja
