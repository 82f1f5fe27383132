// tunepack.Tokenizer: exact tokenizers (tiktoken BPE, tokenizer.json, SentencePiece) from
// Python. Text is read in place from the str's UTF-8 form; the GIL is released while real
// work runs (a text of more than kReleaseGilBytes, every batch, every load), and batches run
// on tunepack's own threads (tokenize::EncodeBatch), in input order whatever the threads.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "status_error.h"
#include "tunepack/tokenize/batch.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;
using tokenize::TokenId;

// Below this size, releasing and retaking the GIL costs more than encoding: a short text is
// encoded with the GIL held, as a Python function would be.
constexpr Py_ssize_t kReleaseGilBytes = 1024;

// Returns the UTF-8 bytes of the str `text`, which live as long as `text` does.
std::string_view Utf8Of(py::handle text, const char* what) {
  if (!PyUnicode_Check(text.ptr())) {
    throw py::type_error(std::string(what) + " must be a str, not " +
                         std::string(py::str(py::type::handle_of(text).attr("__name__"))));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();
  return std::string_view(data, static_cast<size_t>(size));
}

// Holds a sequence of str and views of their UTF-8 bytes (valid while this object lives).
struct TextBatch {
  py::object keep;  ///< the sequence, as a list or tuple (PySequence_Fast)
  std::vector<std::string_view> views;
};

TextBatch TextsOf(py::handle texts) {
  if (PyUnicode_Check(texts.ptr())) throw py::type_error("texts must be a sequence of str, not a str");
  TextBatch batch;
  batch.keep = py::reinterpret_steal<py::object>(PySequence_Fast(texts.ptr(), "texts must be a sequence of str"));
  if (!batch.keep) throw py::error_already_set();
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(batch.keep.ptr());
  PyObject** items = PySequence_Fast_ITEMS(batch.keep.ptr());
  batch.views.reserve(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) batch.views.push_back(Utf8Of(items[i], "each text"));
  return batch;
}

std::vector<TokenId> IdsOf(py::handle ids) {
  py::object fast = py::reinterpret_steal<py::object>(PySequence_Fast(ids.ptr(), "ids must be a sequence of int"));
  if (!fast) throw py::error_already_set();
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(fast.ptr());
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  std::vector<TokenId> out;
  out.reserve(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    py::object number = py::reinterpret_steal<py::object>(PyNumber_Index(items[i]));
    if (!number) throw py::error_already_set();
    int overflow = 0;
    const long long id = PyLong_AsLongLongAndOverflow(number.ptr(), &overflow);
    if (overflow != 0 || id < 0 || id > static_cast<long long>(UINT32_MAX)) {
      throw StatusError(OutOfRangeError("token id " + std::string(py::str(number)) + " is out of range"));
    }
    out.push_back(static_cast<TokenId>(id));
  }
  return out;
}

py::list ListOf(const std::vector<TokenId>& ids) {
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(ids.size()));
  if (list == nullptr) throw py::error_already_set();
  for (size_t i = 0; i < ids.size(); ++i) PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), PyLong_FromUnsignedLong(ids[i]));
  return py::reinterpret_steal<py::list>(list);
}

py::str TextOf(const std::string& utf8) {
  // Ids that end inside a character decode to U+FFFD, as tiktoken and tokenizers do.
  PyObject* text = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "replace");
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

int JobsOf(const std::optional<int>& threads) {
  if (!threads) return 0;
  if (*threads < 1) throw StatusError(InvalidArgumentError("threads must be at least 1, got " + std::to_string(*threads)));
  return *threads;
}

tokenize::EncodeOptions EncodeOptionsOf(bool allow_special, bool add_special) {
  tokenize::EncodeOptions options;
  options.allow_special = allow_special;
  options.add_special = add_special;
  return options;
}

class PyTokenizer {
 public:
  explicit PyTokenizer(std::shared_ptr<const tokenize::Tokenizer> tokenizer) : tokenizer_(std::move(tokenizer)) {}

  static PyTokenizer Load(const std::string& spec) {
    Result<std::shared_ptr<const tokenize::Tokenizer>> loaded = [&] {
      py::gil_scoped_release release;
      return tokenize::LoadTokenizer(spec);
    }();
    return PyTokenizer(ValueOrThrow(std::move(loaded)));
  }

  py::list Encode(py::handle text, bool allow_special, bool add_special) const {
    const std::string_view utf8 = Utf8Of(text, "text");
    const tokenize::EncodeOptions options = EncodeOptionsOf(allow_special, add_special);
    std::vector<TokenId> ids;
    Status status;
    if (static_cast<Py_ssize_t>(utf8.size()) > kReleaseGilBytes) {
      py::gil_scoped_release release;
      status = tokenizer_->Encode(utf8, options, &ids);
    } else {
      status = tokenizer_->Encode(utf8, options, &ids);
    }
    ThrowIfError(status);
    return ListOf(ids);
  }

  size_t Count(py::handle text, bool allow_special, bool add_special) const {
    const std::string_view utf8 = Utf8Of(text, "text");
    const tokenize::EncodeOptions options = EncodeOptionsOf(allow_special, add_special);
    if (static_cast<Py_ssize_t>(utf8.size()) > kReleaseGilBytes) {
      py::gil_scoped_release release;
      return ValueOrThrow(tokenizer_->Count(utf8, options));
    }
    return ValueOrThrow(tokenizer_->Count(utf8, options));
  }

  py::object EncodeBatch(py::handle texts, std::optional<int> threads, bool allow_special, bool add_special,
                         bool as_numpy) const {
    TextBatch batch = TextsOf(texts);
    tokenize::BatchOptions options;
    options.encode = EncodeOptionsOf(allow_special, add_special);
    options.jobs = JobsOf(threads);
    Result<std::vector<std::vector<TokenId>>> encoded = [&] {
      py::gil_scoped_release release;
      return tokenize::EncodeBatch(*tokenizer_, std::span<const std::string_view>(batch.views), options);
    }();
    std::vector<std::vector<TokenId>> all = ValueOrThrow(std::move(encoded));
    if (as_numpy) return FlatArrays(all);
    py::list out(all.size());
    for (size_t i = 0; i < all.size(); ++i) out[i] = ListOf(all[i]);
    return out;
  }

  py::list CountBatch(py::handle texts, std::optional<int> threads, bool allow_special, bool add_special) const {
    TextBatch batch = TextsOf(texts);
    tokenize::BatchOptions options;
    options.encode = EncodeOptionsOf(allow_special, add_special);
    options.jobs = JobsOf(threads);
    Result<std::vector<size_t>> counted = [&] {
      py::gil_scoped_release release;
      return tokenize::CountBatch(*tokenizer_, std::span<const std::string_view>(batch.views), options);
    }();
    return py::cast(ValueOrThrow(std::move(counted)));
  }

  py::str Decode(py::handle ids) const {
    const std::vector<TokenId> tokens = IdsOf(ids);
    Result<std::string> text = [&] {
      py::gil_scoped_release release;
      return tokenizer_->Decode(tokens);
    }();
    return TextOf(ValueOrThrow(std::move(text)));
  }

  py::list DecodeBatch(py::handle batch, std::optional<int> threads) const {
    std::vector<std::vector<TokenId>> all;
    for (py::handle ids : py::reinterpret_borrow<py::iterable>(batch)) all.push_back(IdsOf(ids));
    const int jobs = JobsOf(threads);
    Result<std::vector<std::string>> texts = [&] {
      py::gil_scoped_release release;
      return tokenize::DecodeBatch(*tokenizer_, all, jobs);
    }();
    std::vector<std::string> decoded = ValueOrThrow(std::move(texts));
    py::list out(decoded.size());
    for (size_t i = 0; i < decoded.size(); ++i) out[i] = TextOf(decoded[i]);
    return out;
  }

  py::dict SpecialTokens() const {
    py::dict out;
    for (const auto& [text, id] : tokenizer_->special_tokens()) out[py::str(text)] = id;
    return out;
  }

  const tokenize::Tokenizer& tokenizer() const { return *tokenizer_; }
  const std::shared_ptr<const tokenize::Tokenizer>& shared() const { return tokenizer_; }

 private:
  // (ids, offsets): every text's ids one after another, and where each text's ids start
  // (offsets[i]:offsets[i + 1]), without a Python int per token.
  static py::tuple FlatArrays(const std::vector<std::vector<TokenId>>& all) {
    size_t total = 0;
    for (const auto& ids : all) total += ids.size();
    py::array_t<uint32_t> flat(static_cast<py::ssize_t>(total));
    py::array_t<int64_t> offsets(static_cast<py::ssize_t>(all.size() + 1));
    uint32_t* out = flat.mutable_data();
    int64_t* starts = offsets.mutable_data();
    size_t at = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      starts[i] = static_cast<int64_t>(at);
      if (!all[i].empty()) std::memcpy(out + at, all[i].data(), all[i].size() * sizeof(uint32_t));
      at += all[i].size();
    }
    starts[all.size()] = static_cast<int64_t>(at);
    return py::make_tuple(flat, offsets);
  }

  std::shared_ptr<const tokenize::Tokenizer> tokenizer_;
};

}  // namespace

std::shared_ptr<const tokenize::Tokenizer> TokenizerOf(py::handle object) {
  if (!py::isinstance<PyTokenizer>(object)) {
    throw StatusError(InvalidArgumentError("tokenizer must be a tunepack.Tokenizer"));
  }
  return object.cast<const PyTokenizer&>().shared();
}

void RegisterTokenizer(py::module_& module) {
  using namespace pybind11::literals;
  py::class_<PyTokenizer>(module, "Tokenizer", R"(An exact tokenizer.

Tokenizer(spec) loads a built-in encoding (tunepack.tokenizers() lists them, e.g.
"cl100k_base"), a Hugging Face tokenizer.json or a folder holding one, a SentencePiece
.model, or a .tiktoken rank file. A tokenizer is immutable and may be shared by threads;
every call that does real work releases the GIL.)")
      .def(py::init(&PyTokenizer::Load), "spec"_a)
      .def("encode", &PyTokenizer::Encode, "text"_a, py::kw_only(), "allow_special"_a = false,
           "add_special"_a = false,
           R"(Returns the token ids of `text`.

allow_special: special-token strings in the text ("<|im_end|>") become their special ids;
  by default they are encoded as ordinary text, so document text cannot forge a turn.
add_special: adds BOS/EOS as the tokenizer's post-processor does.)")
      .def("count", &PyTokenizer::Count, "text"_a, py::kw_only(), "allow_special"_a = false,
           "add_special"_a = false, "Returns the number of tokens encode(text) would return.")
      .def("encode_batch", &PyTokenizer::EncodeBatch, "texts"_a, "threads"_a = py::none(), py::kw_only(),
           "allow_special"_a = false, "add_special"_a = false, "as_numpy"_a = false,
           R"(Returns the token ids of each text, in order, encoded on `threads` threads of
tunepack's own (None: one per core) with the GIL released.

as_numpy: returns (ids, offsets) NumPy arrays instead of lists: ids (uint32) holds every
  text's ids one after another, text i's are ids[offsets[i]:offsets[i + 1]].)")
      .def("count_batch", &PyTokenizer::CountBatch, "texts"_a, "threads"_a = py::none(), py::kw_only(),
           "allow_special"_a = false, "add_special"_a = false,
           "Returns the number of tokens of each text, in order (threads as encode_batch).")
      .def("decode", &PyTokenizer::Decode, "ids"_a,
           "Returns the text of `ids`; bytes that do not form a character become U+FFFD.")
      .def("decode_batch", &PyTokenizer::DecodeBatch, "batch"_a, "threads"_a = py::none(),
           "Returns the text of each id sequence, in order (threads as encode_batch).")
      .def_property_readonly("name", [](const PyTokenizer& t) { return std::string(t.tokenizer().name()); },
                             "The name or path the tokenizer was loaded by.")
      .def_property_readonly("vocab_size", [](const PyTokenizer& t) { return t.tokenizer().vocab_size(); },
                             "The number of ids in the vocabulary, special tokens included.")
      .def_property_readonly("special_tokens", &PyTokenizer::SpecialTokens,
                             "The special tokens, as a dict text -> id.")
      .def("__repr__", [](const PyTokenizer& t) {
        return "tunepack.Tokenizer(" + std::string(py::repr(py::str(std::string(t.tokenizer().name())))) + ")";
      });

  module.def(
      "tokenizers",
      [] {
        py::dict out;
        for (const auto& info : tokenize::ListBuiltinTokenizers()) out[py::str(info.name)] = info.description;
        return out;
      },
      "Returns the built-in tokenizers, as a dict name -> description.");
}

}  // namespace tunepack::python
