#include "python_value.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status_error.h"
#include "tunepack/core/utf8.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

// As deep as the JSON the CLI accepts; deeper input is refused, not a stack overflow.
constexpr int kMaxDepth = 1000;

// What a thread's storage keeps between calls: slots for this many strings, lists and dicts,
// the memory of strings of up to kKeptStringBytes and of containers of up to kKeptItems
// items. A call that needs more gets it and gives the excess back when it returns, so that
// one large call does not leave a thread holding its memory: at most 1,024 x (512 + 32 x 24
// + 32 x 48) bytes, under 3 MB, stays per thread (a few KB for conversations).
constexpr size_t kKeptSlots = 1024;
constexpr size_t kKeptStringBytes = 512;
constexpr size_t kKeptItems = 32;
// Strs of at least this many characters are looked up before they are copied, shorter ones
// only when interned (TemplateArguments::Storage::String).
constexpr Py_ssize_t kLookedUpLength = 64;
// The most a thread's render output keeps between calls (TemplateArguments::Output): four
// threads rendering 64 KB conversations spent about 40% more CPU a render when each grew a
// new output string (BENCHMARKS.md, "ChatTemplate.render and the GIL").
constexpr size_t kKeptOutputBytes = 1 << 20;

std::string TypeName(PyObject* object) {
  return py::str(py::type::handle_of(py::handle(object)).attr("__name__"));
}

[[gnu::noinline]] std::string_view EncodedUtf8Of(PyObject* str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str, &size);  // made once, kept by `str`
  if (data == nullptr) throw py::error_already_set();
  return {data, static_cast<size_t>(size)};
}

std::string_view Utf8Of(PyObject* str) {
  if (PyUnicode_IS_COMPACT_ASCII(str)) [[likely]] {  // most strs: their characters are their UTF-8
    return {static_cast<const char*>(PyUnicode_DATA(str)), static_cast<size_t>(PyUnicode_GET_LENGTH(str))};
  }
  return EncodedUtf8Of(str);
}

// Makes values that own what they hold (ToTemplateValue).
struct OwningStore {
  jinja::Value String(PyObject* str) { return jinja::Value::String(std::string(Utf8Of(str))); }
  jinja::Value Key(PyObject* str) { return String(str); }
  jinja::Value List(bool is_tuple, jinja::List** list) {
    jinja::Value value = jinja::Value::MakeList(is_tuple);
    *list = &value.as_list();
    return value;
  }
  jinja::Value Dict(jinja::Dict** dict) {
    jinja::Value value = jinja::Value::MakeDict();
    *dict = &value.as_dict();
    return value;
  }
};

// Converts Python objects into values made by `Store` (OwningStore, or a thread's storage).
template <typename Store>
class Converter {
 public:
  Converter(Store& store, const char* what) : store_(store), what_(what) {}

  jinja::Value Convert(PyObject* p, int depth) {
    if (depth > kMaxDepth) {
      throw StatusError(ResourceExhaustedError(std::string(what_) + " is nested more than " +
                                               std::to_string(kMaxDepth) + " levels deep"));
    }
    // Most frequent first: a conversation is mostly strings and dicts.
    if (PyUnicode_Check(p)) return store_.String(p);
    if (PyDict_Check(p)) return DictOf(p, depth);
    if (PyList_Check(p)) return ListOf(p, PyList_GET_SIZE(p), &ListItem, false, depth);
    if (p == Py_None) return jinja::Value::None();
    if (PyBool_Check(p)) return jinja::Value::Bool(p == Py_True);
    if (PyLong_Check(p)) return IntOf(p);
    if (PyFloat_Check(p)) return jinja::Value::Float(PyFloat_AS_DOUBLE(p));
    if (PyTuple_Check(p)) return ListOf(p, PyTuple_GET_SIZE(p), &TupleItem, true, depth);
    throw StatusError(InvalidArgumentError(std::string(what_) + ": a " + TypeName(p) +
                                           " cannot be passed to a template (use dict, list, tuple, "
                                           "str, int, float, bool or None)"));
  }

 private:
  static PyObject* ListItem(PyObject* list, Py_ssize_t i) { return PyList_GET_ITEM(list, i); }
  static PyObject* TupleItem(PyObject* tuple, Py_ssize_t i) { return PyTuple_GET_ITEM(tuple, i); }

  jinja::Value IntOf(PyObject* p) const {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(p, &overflow);
    if (overflow != 0) {
      throw StatusError(InvalidArgumentError(std::string(what_) + ": the integer " +
                                             std::string(py::str(py::handle(p))) + " does not fit in 64 bits"));
    }
    return jinja::Value::Int(value);
  }

  jinja::Value DictOf(PyObject* p, int depth) {
    jinja::Dict* dict = nullptr;
    jinja::Value made = store_.Dict(&dict);
    const auto size = static_cast<size_t>(PyDict_GET_SIZE(p));
    if (dict->items.capacity() < size) dict->items.reserve(size);  // a kept dict has room: no call
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    Py_ssize_t position = 0;
    while (PyDict_Next(p, &position, &key, &value)) {
      if (!PyUnicode_Check(key)) {
        throw StatusError(InvalidArgumentError(std::string(what_) + ": a dict key is a " + TypeName(key) +
                                               ", not a str"));
      }
      // A Python dict's str keys are distinct, and stay so as template strings: no lookup.
      // A str value (most of a conversation's) is converted here, without the call, and both
      // are made in place in the dict from what the store gives (a thread's storage gives a
      // value it keeps, copied once).
      auto&& name = store_.Key(key);
      if (PyUnicode_Check(value)) {
        auto&& text = store_.String(value);
        dict->items.emplace_back(std::forward<decltype(name)>(name), std::forward<decltype(text)>(text));
      } else {
        dict->items.emplace_back(std::forward<decltype(name)>(name), Convert(value, depth + 1));
      }
    }
    return made;
  }

  // Converting runs no Python code, so the list cannot change size while it is read.
  jinja::Value ListOf(PyObject* p, Py_ssize_t size, PyObject* (*item)(PyObject*, Py_ssize_t), bool is_tuple,
                      int depth) {
    jinja::List* list = nullptr;
    jinja::Value made = store_.List(is_tuple, &list);
    if (list->items.capacity() < static_cast<size_t>(size)) list->items.reserve(static_cast<size_t>(size));
    for (Py_ssize_t i = 0; i < size; ++i) list->items.push_back(Convert(item(p, i), depth + 1));
    return made;
  }

  Store& store_;
  const char* what_;
};

template <typename T>
void EmptyKeepingSmall(std::vector<T>& items) {
  if (items.capacity() > kKeptItems) {
    std::vector<T>().swap(items);
  } else {
    items.clear();
  }
}

// NewStrFromUtf8 decodes a text itself when it has at most this many non-ASCII characters
// (a degree sign or an accent in a mostly English conversation), else CPython does.
constexpr size_t kMaxOwnSequences = 16;

// Returns the length of the run of ASCII bytes at the start of bytes[0, size): eight bytes
// at a time, as most of a render is ASCII.
size_t AsciiRun(const unsigned char* bytes, size_t size) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    if ((word & kHighBits) != 0) break;
  }
  while (i < size && bytes[i] < 0x80) ++i;
  return i;
}

// Writes the characters of the well-formed UTF-8 text bytes[0, size) to `out`, one Char
// (Py_UCS1, 2 or 4: the str's kind) each.
template <typename Char>
void WriteCharacters(std::string_view text, Char* out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    const size_t run = AsciiRun(bytes + i, size - i);
    if constexpr (sizeof(Char) == 1) {
      std::memcpy(out, bytes + i, run);
      out += run;
    } else {
      for (size_t k = 0; k < run; ++k) *out++ = bytes[i + k];
    }
    i += run;
    if (i == size) break;
    *out++ = static_cast<Char>(DecodeUtf8(text, i));
  }
}

}  // namespace

PyObject* NewStrFromUtf8(std::string_view utf8) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
  const size_t size = utf8.size();
  auto decoded_by_python = [&] { return PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(size), "replace"); };
  // First pass: the number of characters and the largest, which size the str.
  size_t characters = 0;
  size_t sequences = 0;
  uint32_t largest = 0x7F;
  for (size_t i = 0; i < size;) {
    const size_t run = AsciiRun(bytes + i, size - i);
    i += run;
    characters += run;
    if (i == size) break;
    // Text dense in non-ASCII characters goes to CPython's decoder, several times faster
    // than these two passes character by character (an 8 KB render of Chinese text:
    // 7 us against 17-33 us, pinned, under load).
    if (++sequences > kMaxOwnSequences) return decoded_by_python();
    // DecodeUtf8 reads a sequence that is not well-formed (overlong, a surrogate, above
    // U+10FFFF, truncated) as one byte of U+FFFD; CPython's decoder replaces it its own way.
    const size_t start = i;
    const char32_t code_point = DecodeUtf8(utf8, i);
    if (code_point == 0xFFFD && i - start == 1) return decoded_by_python();
    largest = std::max<uint32_t>(largest, code_point);
    ++characters;
  }
  PyObject* str = PyUnicode_New(static_cast<Py_ssize_t>(characters), static_cast<Py_UCS4>(largest));
  if (str == nullptr) return nullptr;
  switch (PyUnicode_KIND(str)) {
    case PyUnicode_1BYTE_KIND:
      if (characters == size) {
        std::memcpy(PyUnicode_1BYTE_DATA(str), bytes, size);
      } else {
        WriteCharacters(utf8, PyUnicode_1BYTE_DATA(str));
      }
      break;
    case PyUnicode_2BYTE_KIND:
      WriteCharacters(utf8, PyUnicode_2BYTE_DATA(str));
      break;
    default:
      WriteCharacters(utf8, PyUnicode_4BYTE_DATA(str));
      break;
  }
  return str;
}

// A thread's reusable storage: strings, lists and dicts lent to one call's values (which
// borrow them: jinja::Value::Borrow) and emptied when the call returns, keeping their memory.
struct TemplateArguments::Storage {
  // A kept string and the value that borrows it, made once: lending the slot is a copy of
  // `value` (three words, no reference count), not the making of a borrowed pointer.
  struct StringSlot {
    StringSlot() = default;
    StringSlot(const StringSlot&) = delete;  // a copy's value would borrow this one's text
    StringSlot& operator=(const StringSlot&) = delete;

    std::string text;
    jinja::Value value = jinja::Value::BorrowedString(text);
  };
  // A kept list or dict (`owner`) and the value that borrows it, made once, as StringSlot.
  struct ContainerSlot {
    jinja::Value owner;
    jinja::Value value;
  };
  // Flattened so that no out-of-line copy of Value::Borrow is emitted here: the linker keeps
  // one copy of an inline function for the whole module, and this file's (built for a cold
  // path) could be the one the engine's renders then call.
  [[gnu::flatten]] static ContainerSlot SlotOf(jinja::Value owner) {
    jinja::Value value = owner.Borrow();
    return {std::move(owner), std::move(value)};
  }
  std::vector<std::unique_ptr<StringSlot>> strings;  // each where it is as the vector grows
  std::vector<ContainerSlot> lists;
  std::vector<ContainerSlot> dicts;
  std::vector<size_t> oversized;    // slots of `strings` holding more than kKeptStringBytes
  std::string output;               // the render's text (TemplateArguments::Output)
  size_t strings_used = 0, lists_used = 0, dicts_used = 0;
  size_t text_bytes = 0;
  bool in_use = false;

  // The strings converted during this call, by the address of their Python object: a
  // conversation repeats the same key objects ("role", "content") in every message, and at
  // times the same values (Key and String say which strs are looked up). An address means the same str only while no Python code runs (nothing
  // is freed, so no address is reused): converting runs none, and each call starts afresh
  // (`call`, bumped by Clear, tells this call's entries from earlier ones).
  struct Seen {
    PyObject* object = nullptr;
    uint64_t call = 0;
    const StringSlot* slot = nullptr;
  };
  std::array<Seen, 64> seen{};
  Seen unseen;  // where String records the strs it does not look up (never read)
  uint64_t call = 1;

  // Returns the value of the dict key `str`, kept in this storage: the converter copies it
  // into place. A key is looked up in `seen` first: every message of a conversation has the
  // same key objects (a JSON decoder shares them within a document, literals are interned).
  // Inlined into the converter, as String: a conversation is mostly strs, and a call per str
  // costs about a fifth of converting one.
  [[gnu::always_inline]] const jinja::Value& Key(PyObject* str) {
    Seen& entry = seen[(reinterpret_cast<uintptr_t>(str) >> 4) % seen.size()];
    if (entry.object == str && entry.call == call) {
      // Counted again: text_bytes measures the text the render is given (whether it is long
      // enough to release the GIL for), and a str object repeated in every message is read by
      // the render once per message.
      text_bytes += entry.slot->text.size();
      return entry.slot->value;
    }
    return Copy(str, entry);
  }

  // Returns the value of any other str. A short one is looked up only when interned (a
  // literal such as "user"): one read from JSON is a new object each time, for which the
  // lookup and the entry (about 15 instructions) cost about half what they would save. A
  // long one is always looked up: its copy costs far more (a message repeated 2,500 times
  // holding one 3 KB str: test_threads.py).
  [[gnu::always_inline]] const jinja::Value& String(PyObject* str) {
    if (PyUnicode_CHECK_INTERNED(str) || PyUnicode_GET_LENGTH(str) >= kLookedUpLength) return Key(str);
    return Copy(str, unseen);
  }

  // Copies `str` into the next string slot and records it in `entry`.
  [[gnu::always_inline]] const jinja::Value& Copy(PyObject* str, Seen& entry) {
    const std::string_view text = Utf8Of(str);
    if (strings_used == strings.size()) [[unlikely]] strings.push_back(std::make_unique<StringSlot>());
    if (text.size() > kKeptStringBytes) [[unlikely]] oversized.push_back(strings_used);
    StringSlot& slot = *strings[strings_used++];
    // clear + append, not assign: assign's general replace (which allows the source to lie
    // inside the string) costs about 70 instructions a string, most of the conversion of a
    // short str; append into the kept capacity is a length check and a copy.
    slot.text.clear();
    slot.text.append(text.data(), text.size());
    text_bytes += text.size();
    entry = {str, call, &slot};
    return slot.value;
  }

  [[gnu::always_inline]] jinja::Value List(bool is_tuple, jinja::List** list) {
    if (lists_used == lists.size()) [[unlikely]] lists.push_back(SlotOf(jinja::Value::MakeList()));
    const ContainerSlot& slot = lists[lists_used++];
    *list = &slot.owner.as_list();
    (*list)->is_tuple = is_tuple;
    return slot.value;
  }

  [[gnu::always_inline]] jinja::Value Dict(jinja::Dict** dict) {
    if (dicts_used == dicts.size()) [[unlikely]] dicts.push_back(SlotOf(jinja::Value::MakeDict()));
    const ContainerSlot& slot = dicts[dicts_used++];
    *dict = &slot.owner.as_dict();
    return slot.value;
  }

  // Empties what the call used (its values and every copy the render made are gone by now).
  void Clear() {
    for (size_t i = 0; i < lists_used; ++i) {
      jinja::List& list = lists[i].owner.as_list();
      EmptyKeepingSmall(list.items);
      list.view = jinja::List::View::kNone;  // a render may have turned it into a view of another kind
    }
    for (size_t i = 0; i < dicts_used; ++i) EmptyKeepingSmall(dicts[i].owner.as_dict().items);
    for (size_t slot : oversized) std::string().swap(strings[slot]->text);
    oversized.clear();
    if (output.capacity() > kKeptOutputBytes) std::string().swap(output);
    if (strings.size() > kKeptSlots) strings.resize(kKeptSlots);
    if (lists.size() > kKeptSlots) lists.resize(kKeptSlots);
    if (dicts.size() > kKeptSlots) dicts.resize(kKeptSlots);
    strings_used = lists_used = dicts_used = text_bytes = 0;
    ++call;
  }
};

namespace {

TemplateArguments::Storage& ThreadStorage() {
  thread_local TemplateArguments::Storage storage;
  return storage;
}

}  // namespace

jinja::Value ToTemplateValue(py::handle object, const char* what) {
  OwningStore store;
  return Converter<OwningStore>(store, what).Convert(object.ptr(), 0);
}

TemplateArguments::TemplateArguments() : storage_(&ThreadStorage()) {
  if (storage_->in_use) {
    own_ = std::make_unique<Storage>();
    storage_ = own_.get();
  }
  storage_->in_use = true;
}

TemplateArguments::~TemplateArguments() {
  storage_->Clear();
  storage_->in_use = false;
}

jinja::Value TemplateArguments::Convert(PyObject* object, const char* what) {
  return Converter<Storage>(*storage_, what).Convert(object, 0);
}

jinja::Value TemplateArguments::NewDict() {
  jinja::Dict* dict = nullptr;
  return storage_->Dict(&dict);
}

std::string& TemplateArguments::Output() {
  storage_->output.clear();
  return storage_->output;
}

size_t TemplateArguments::text_bytes() const { return storage_->text_bytes; }

}  // namespace tunepack::python
