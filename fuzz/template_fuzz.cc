// Fuzzes the template engine, whose input can be an untrusted file (--template, a model's
// chat_template): any bytes must parse or fail with a message naming the template, and a
// template that parses must render or fail, within the safety limits, without crashing or
// hanging; rendering the same template twice must give the same result.
#include <cstdint>
#include <string>
#include <string_view>

#include "tunepack/template/template.h"
#include "tunepack/template/value.h"
#include "fuzz_check.h"

namespace {

using tunepack::jinja::Template;
using tunepack::jinja::TemplateOptions;
using tunepack::jinja::Value;

// A chat-like context: messages with roles and contents, a flag, a number, a nested dict.
Value Context() {
  Value messages = Value::MakeList();
  const char* roles[] = {"system", "user", "assistant"};
  for (int i = 0; i < 3; ++i) {
    Value message = Value::MakeDict();
    message.as_dict().Set(Value::String("role"), Value::String(roles[i]));
    message.as_dict().Set(Value::String("content"), Value::String("text " + std::to_string(i)));
    messages.as_list().items.push_back(message);
  }
  Value context = Value::MakeDict();
  context.as_dict().Set(Value::String("messages"), messages);
  context.as_dict().Set(Value::String("add_generation_prompt"), Value::Bool(true));
  context.as_dict().Set(Value::String("n"), Value::Int(3));
  Value nested = Value::MakeDict();
  nested.as_dict().Set(Value::String("x"), Value::Float(1.5));
  context.as_dict().Set(Value::String("meta"), nested);
  return context;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the environment: plain Jinja2 defaults, or chat-template settings.
  TemplateOptions options = (data[0] & 1) ? tunepack::jinja::ChatTemplateOptions() : TemplateOptions{};
  // Limits small enough that every input finishes quickly.
  options.max_loop_iterations = 20'000;
  options.max_output_bytes = 1u << 20;
  options.max_call_depth = 40;
  const std::string_view source(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto parsed = Template::Parse(source, "fuzz.jinja", options);
  if (!parsed.has_value()) {
    Check(parsed.error().message().rfind("fuzz.jinja:", 0) == 0);
    return 0;
  }
  static const Value context = Context();
  auto first = parsed->Render(context);
  auto second = parsed->Render(context);
  Check(first.has_value() == second.has_value());
  if (first.has_value()) {
    Check(*first == *second);
    Check(first->size() <= options.max_output_bytes);
  } else {
    Check(first.error().message() == second.error().message());
  }
  return 0;
}
