// tunepack.ChatTemplate and tunepack.render: Jinja2 templates and models' chat templates
// rendered by tunepack's engine, byte for byte as Python Jinja2 (and transformers'
// apply_chat_template) would. Arguments are converted while the GIL is held; parsing and
// rendering run without it, except a chat template's render of short arguments
// (kReleaseGilTextBytes), which takes less time than releasing the GIL would save.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "fast_call.h"
#include "python_value.h"
#include "status_error.h"
#include "tunepack/format/assistant_mask.h"
#include "tunepack/template/chat_template.h"
#include "tunepack/template/template.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

py::str TextOf(const std::string& utf8) {
  PyObject* text = NewStrFromUtf8(utf8);
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

// Renders whose arguments hold less text than this keep the GIL (PyChatTemplate::RenderInputs).
// Measured on the idle 2-core machine (BENCHMARKS.md, "ChatTemplate.render and the GIL"):
// four threads rendering llama3_1 conversations of 4-8 KB (5-10 us) gained no wall time by
// releasing it and spent up to 3 us more CPU a render handing it over; from 12 KB they did.
constexpr size_t kReleaseGilTextBytes = 12 * 1024;

bool IsNonEmptyList(const jinja::Value& value) { return value.is_list() && !value.as_list().items.empty(); }

class PyChatTemplate {
 public:
  // A model folder: its template and special tokens; with several named templates, the
  // `tool_use` one is used when tools are given, as transformers chooses.
  static PyChatTemplate FromModel(const std::string& dir) {
    py::gil_scoped_release release;
    jinja::ChatTemplate plain = ValueOrThrow(jinja::ChatTemplate::LoadFromDirectory(dir, false));
    jinja::ChatTemplate tool_use = ValueOrThrow(jinja::ChatTemplate::LoadFromDirectory(dir, true));
    return PyChatTemplate(std::move(plain), std::move(tool_use));
  }

  static PyChatTemplate FromString(const std::string& source, py::handle special_tokens, const std::string& name) {
    jinja::Value tokens = special_tokens.is_none() ? jinja::Value::MakeDict()
                                                   : ToTemplateValue(special_tokens, "special_tokens");
    if (!tokens.is_dict()) throw StatusError(InvalidArgumentError("special_tokens must be a dict"));
    py::gil_scoped_release release;
    jinja::ChatTemplate chat = ValueOrThrow(jinja::ChatTemplate::Create(source, tokens, name));
    return PyChatTemplate(chat, chat);
  }

  // render(messages, tools=None, documents=None, add_generation_prompt=False, **kwargs), a
  // METH_FASTCALL method (fast_call.h): a render of a short conversation takes a few
  // microseconds, of which pybind11's dispatch with keyword arguments would be a large share.
  static PyObject* Render(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    return CallReturningPython([&]() -> PyObject* {
      static const FastParameters<4> parameters("render", {"messages", "tools", "documents", "add_generation_prompt"},
                                                1);
      const PyChatTemplate& chat = SelfOf<PyChatTemplate>(self);
      std::array<PyObject*, 4> given;
      parameters.Parse(args, nargs, kwnames, given);
      // Before any conversion: a __bool__ runs Python code, which conversions must not interleave
      // with (TemplateArguments).
      const bool add_generation_prompt = given[3] != nullptr && BoolArgument(given[3], "add_generation_prompt");
      TemplateArguments arguments;
      jinja::Value extra = arguments.NewDict();
      parameters.ForEachExtra(args, nargs, kwnames, [&](PyObject* name, PyObject* value) {
        extra.as_dict().items.emplace_back(arguments.Convert(name, "keyword arguments"),
                                           arguments.Convert(value, "keyword arguments"));
      });
      const jinja::ChatInputs inputs =
          InputsOf(arguments, given[0], given[1], given[2], add_generation_prompt, std::move(extra));
      return TextOf(chat.RenderInputs(inputs, arguments, nullptr)).release().ptr();
    });
  }

  // (text, spans): the rendering and the [begin, end) character ranges written inside
  // {% generation %} blocks, the assistant's output.
  py::tuple RenderWithSpans(py::handle messages, py::handle tools, py::handle documents, bool add_generation_prompt,
                            const py::kwargs& extra) const {
    TemplateArguments arguments;
    const jinja::ChatInputs inputs = InputsOf(arguments, messages.ptr(), tools.ptr(), documents.ptr(),
                                              add_generation_prompt, arguments.Convert(extra, "keyword arguments"));
    std::vector<std::pair<size_t, size_t>> spans;
    const std::string& utf8 = RenderInputs(inputs, arguments, &spans);
    py::list ranges;
    for (const auto& [begin, end] : spans) {
      ranges.append(py::make_tuple(CharacterIndex(utf8, begin), CharacterIndex(utf8, end)));
    }
    return py::make_tuple(TextOf(utf8), ranges);
  }

  // {"text", "input_ids", "assistant_masks"}: the rendering tokenized as transformers'
  // apply_chat_template(..., tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
  // gives it, the mask from the {% generation %} blocks.
  py::dict RenderWithMask(py::handle messages, py::handle tokenizer, py::handle tools, py::handle documents,
                          bool add_generation_prompt, const py::kwargs& extra) const {
    const std::shared_ptr<const tokenize::Tokenizer> engine = TokenizerOf(tokenizer);
    TemplateArguments arguments;
    const jinja::ChatInputs inputs = InputsOf(arguments, messages.ptr(), tools.ptr(), documents.ptr(),
                                              add_generation_prompt, arguments.Convert(extra, "keyword arguments"));
    const jinja::ChatTemplate& chat = ChosenFor(inputs);
    std::string text;
    Result<format::MaskedTokens> tokens = [&]() -> Result<format::MaskedTokens> {
      py::gil_scoped_release release;
      std::vector<std::pair<size_t, size_t>> spans;
      TP_ASSIGN_OR_RETURN(text, chat.Render(inputs, &spans));
      if (chat.tmpl().HasGenerationBlocks()) return format::TokenizeWithAssistantMask(*engine, text, spans);
      // No generation block: what each assistant turn adds (assistant_mask.h), as export does.
      const std::vector<jinja::Value>& messages = inputs.messages.as_list().items;
      std::vector<size_t> turns;
      for (size_t i = 0; i < messages.size(); ++i) {
        const jinja::Value* role = messages[i].is_dict() ? messages[i].as_dict().Find("role") : nullptr;
        if (role != nullptr && role->is_string() && role->as_string() == "assistant") turns.push_back(i);
      }
      auto render = [&](size_t count, bool add_generation_prompt) {
        jinja::ChatInputs prefix = inputs;
        prefix.messages = jinja::Value::FromList(std::vector<jinja::Value>(messages.begin(), messages.begin() + count));
        prefix.add_generation_prompt = add_generation_prompt;
        return chat.Render(prefix, nullptr);
      };
      return format::TokenizeWithTurnMask(*engine, text, turns, render);
    }();
    const format::MaskedTokens masked = ValueOrThrow(std::move(tokens));
    py::dict out;
    out["text"] = TextOf(text);
    out["input_ids"] = py::cast(masked.ids);
    py::list mask(masked.assistant_mask.size());
    for (size_t i = 0; i < masked.assistant_mask.size(); ++i) mask[i] = py::int_(masked.assistant_mask[i]);
    out["assistant_masks"] = mask;
    return out;
  }

  py::dict SpecialTokens() const {
    py::dict out;
    for (const auto& [key, value] : plain_.special_tokens().as_dict().items) {
      if (key.is_string() && value.is_string()) out[py::str(key.as_string())] = py::str(value.as_string());
    }
    return out;
  }

  const std::string& source_name() const { return plain_.tmpl().name(); }

 private:
  PyChatTemplate(jinja::ChatTemplate plain, jinja::ChatTemplate tool_use)
      : plain_(std::move(plain)), tool_use_(std::move(tool_use)) {}

  // Returns the inputs of a render, borrowing from `arguments`; tools and documents may be
  // nullptr (not given). Every member is given, so that ChatInputs' defaults (a new list and
  // a new dict, allocated and freed: about 400 instructions a call) are not made.
  static jinja::ChatInputs InputsOf(TemplateArguments& arguments, PyObject* messages, PyObject* tools,
                                    PyObject* documents, bool add_generation_prompt, jinja::Value extra) {
    jinja::Value conversation = arguments.Convert(messages, "messages");
    if (!conversation.is_list()) throw StatusError(InvalidArgumentError("messages must be a list"));
    // Designated, so that a member added to ChatInputs keeps its default; evaluated in order:
    // tools are converted (and refused) before documents.
    return jinja::ChatInputs{
        .messages = std::move(conversation),
        .tools = OptionalArgument(arguments, tools, "tools"),
        .documents = OptionalArgument(arguments, documents, "documents"),
        .add_generation_prompt = add_generation_prompt,
        .extra = std::move(extra)};
  }

  // Returns the value of an argument that may be left out (nullptr) or None, as most calls
  // pass tools and documents: None without the converter's call and type checks.
  static jinja::Value OptionalArgument(TemplateArguments& arguments, PyObject* object, const char* what) {
    if (object == nullptr || object == Py_None) return jinja::Value::None();
    return arguments.Convert(object, what);
  }

  // The template for `inputs`: tool_use when tools are given (FromModel).
  const jinja::ChatTemplate& ChosenFor(const jinja::ChatInputs& inputs) const {
    return IsNonEmptyList(inputs.tools) ? tool_use_ : plain_;
  }

  // Returns the rendering of `inputs` (converted into `arguments`), or throws its error. The
  // text is in the output buffer of `arguments` (TemplateArguments::Output), valid while
  // `arguments` is: callers copy it into a Python str. The GIL is released for the render
  // when the arguments hold enough text for it to be long (kReleaseGilTextBytes); releasing
  // it for a render of a few microseconds would cost more than other threads could gain.
  const std::string& RenderInputs(const jinja::ChatInputs& inputs, TemplateArguments& arguments,
                                  std::vector<std::pair<size_t, size_t>>* spans) const {
    std::string& buffer = arguments.Output();
    const jinja::ChatTemplate& chat = ChosenFor(inputs);
    Status status;
    if (arguments.text_bytes() < kReleaseGilTextBytes) {
      status = chat.RenderTo(inputs, buffer, spans);
    } else {
      py::gil_scoped_release release;
      status = chat.RenderTo(inputs, buffer, spans);
    }
    ThrowIfError(status);
    return buffer;
  }

  // Returns the number of characters (code points) in the first `byte` bytes of `utf8`.
  static size_t CharacterIndex(const std::string& utf8, size_t byte) {
    size_t characters = 0;
    for (size_t i = 0; i < byte && i < utf8.size(); ++i) {
      if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) ++characters;
    }
    return characters;
  }

  jinja::ChatTemplate plain_;
  jinja::ChatTemplate tool_use_;
};

py::str RenderTemplate(const std::string& source, py::handle context, const std::string& name, bool chat,
                       bool trim_blocks, bool lstrip_blocks, const std::vector<std::string>& search_path) {
  TemplateArguments arguments;
  jinja::Value variables = context.is_none() ? jinja::Value::MakeDict() : arguments.Convert(context, "context");
  if (!variables.is_dict()) throw StatusError(InvalidArgumentError("the context must be a dict"));
  Result<std::string> text = [&]() -> Result<std::string> {
    py::gil_scoped_release release;
    if (chat) {
      TP_ASSIGN_OR_RETURN(jinja::ChatTemplate parsed, jinja::ChatTemplate::Create(source, jinja::Value::MakeDict(), name));
      return parsed.RenderContext(variables);
    }
    jinja::TemplateOptions options;
    options.trim_blocks = trim_blocks;
    options.lstrip_blocks = lstrip_blocks;
    options.search_path = search_path;
    TP_ASSIGN_OR_RETURN(jinja::Template parsed, jinja::Template::Parse(source, name, options));
    return parsed.Render(variables);
  }();
  return TextOf(ValueOrThrow(std::move(text)));
}

}  // namespace

void RegisterTemplates(py::module_& module) {
  using namespace pybind11::literals;
  py::class_<PyChatTemplate> chat_template(module, "ChatTemplate", R"(A model's chat template, rendered as transformers'
apply_chat_template(tokenize=False) renders it: trim_blocks and lstrip_blocks, the immutable
sandbox, transformers' tojson, raise_exception and strftime_now, the model's special tokens.

Build one with ChatTemplate.from_model(folder) or ChatTemplate.from_string(source), then call
render(messages, ...) as often as needed; it may be shared by threads.)");
  chat_template
      .def_static("from_model", &PyChatTemplate::FromModel, "dir"_a,
                  R"(Loads the template of a model folder: chat_template.jinja, or the "chat_template" of
tokenizer_config.json (whose special tokens it also takes). With several named templates,
"tool_use" renders calls that pass tools and "default" the others.)")
      .def_static("from_string", &PyChatTemplate::FromString, "source"_a, py::kw_only(),
                  "special_tokens"_a = py::none(), "name"_a = "<chat_template>",
                  R"(Builds a chat template from its source. special_tokens: a dict such as
{"bos_token": "<s>"} made available to the template; name: names the template in errors.)")
      .def("render_with_spans", &PyChatTemplate::RenderWithSpans, "messages"_a, "tools"_a = py::none(),
           "documents"_a = py::none(), "add_generation_prompt"_a = false,
           R"(Returns (text, spans): the rendering, and the [begin, end) character ranges of the text
written inside {% generation %} blocks (the assistant's output, for a loss mask).)")
      .def("render_with_mask", &PyChatTemplate::RenderWithMask, "messages"_a, "tokenizer"_a, "tools"_a = py::none(),
           "documents"_a = py::none(), "add_generation_prompt"_a = false,
           R"(Returns {"text", "input_ids", "assistant_masks"}: the rendering tokenized by `tokenizer`
(a tunepack.Tokenizer; special tokens the template wrote are recognised) and 1 for each token
of the assistant's output (the {% generation %} blocks), as transformers'
apply_chat_template(..., return_assistant_tokens_mask=True) gives them. A template without
generation blocks marks what each assistant turn adds, as export does (docs/templates.md);
one that rewrites earlier turns once later ones follow raises tunepack.UnimplementedError.)")
      .def_property_readonly("special_tokens", &PyChatTemplate::SpecialTokens,
                             "The special tokens the template sees, as a dict name -> text.")
      .def_property_readonly("name", &PyChatTemplate::source_name, "The name errors give the template.")
      .def("__repr__", [](const PyChatTemplate& t) {
        return "tunepack.ChatTemplate(" + std::string(py::repr(py::str(t.source_name()))) + ")";
      });
  // The first line gives help() and inspect.signature the parameters (CPython's convention).
  static PyMethodDef render = {
      "render", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&PyChatTemplate::Render)),
      METH_FASTCALL | METH_KEYWORDS,
      R"(render($self, messages, tools=None, documents=None, add_generation_prompt=False, **kwargs)
--

Returns the conversation rendered as text. Extra keyword arguments become template
variables (enable_thinking=False...). A template's raise_exception(msg) raises
tunepack.InvalidArgumentError whose message ends with msg.)"};
  AddFastMethod(chat_template, &render);

  module.def("render", &RenderTemplate, "template"_a, "context"_a = py::none(), py::kw_only(), "name"_a = "<template>",
             "chat"_a = false, "trim_blocks"_a = false, "lstrip_blocks"_a = false,
             "search_path"_a = std::vector<std::string>(),
             R"(Renders the Jinja2 template source `template` with the variables of the dict `context`,
as Python Jinja2 3.1 would (autoescape off). chat=True renders it in the environment
transformers uses for chat templates. search_path: folders where include, import and extends
find templates. Errors raise tunepack.InvalidArgumentError "<name>:<line>:<column>: ...".)");
}

}  // namespace tunepack::python
