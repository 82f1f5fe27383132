#include "tunepack/dedup/text_key.h"

#include <utf8proc.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tunepack/core/utf8.h"

namespace tunepack::dedup {
namespace {

enum class CharClass : uint8_t { kSpace, kPunct, kWord };

// ASCII classes in one table: the hot loops touch nothing else for ASCII text.
struct AsciiTable {
  CharClass cls[128];
  constexpr AsciiTable() : cls() {
    for (int c = 0; c < 128; ++c) {
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      bool space = c == ' ' || (c >= '\t' && c <= '\r');
      cls[c] = alnum ? CharClass::kWord : space ? CharClass::kSpace : CharClass::kPunct;
    }
  }
};
constexpr AsciiTable kAscii;

CharClass ClassOf(char32_t cp) {
  if (cp < 128) return kAscii.cls[cp];
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return CharClass::kSpace;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO: case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
      return CharClass::kPunct;
    default:
      return CharClass::kWord;
  }
}

char32_t Lower(char32_t cp) {
  if (cp < 128) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

}  // namespace

void NormalizeForExact(std::string_view text, const ExactKeyOptions& options, std::string* out) {
  out->clear();
  out->reserve(text.size());
  bool pending_space = false;
  size_t pos = 0;
  while (pos < text.size()) {
    unsigned char byte = static_cast<unsigned char>(text[pos]);
    char32_t cp;
    size_t start = pos;
    if (byte < 128) {
      cp = byte;
      ++pos;
    } else {
      cp = DecodeUtf8(text, pos);
    }
    CharClass cls = ClassOf(cp);
    if (cls == CharClass::kSpace && options.collapse_whitespace) {
      pending_space = !out->empty();
      continue;
    }
    if (cls == CharClass::kPunct && options.strip_punctuation) {
      continue;
    }
    if (pending_space) {
      out->push_back(' ');
      pending_space = false;
    }
    if (options.fold_case) {
      AppendUtf8(Lower(cp), *out);
    } else {
      out->append(text.substr(start, pos - start));
    }
  }
}

Hash128 ExactKey(std::string_view text, const ExactKeyOptions& options) {
  // One scratch buffer per thread: keys are computed in worker threads, one text at a time.
  thread_local std::string normalized;
  NormalizeForExact(text, options, &normalized);
  return HashBytes(normalized);
}

void HashWords(std::string_view text, std::vector<uint64_t>* word_hashes) {
  // Words are built in a small buffer and hashed whole; the ASCII path is a table lookup
  // per byte, which is what keeps the near-dedup step far above 50 MB/s.
  char word[256];
  size_t len = 0;
  auto flush = [&] {
    if (len > 0) word_hashes->push_back(XXH3_64bits(word, len));
    len = 0;
  };
  auto append = [&](const char* bytes, size_t n) {
    // Words longer than the buffer are hashed in pieces; the piece boundaries are fixed,
    // so equal long words still hash equal.
    if (len + n > sizeof(word)) flush();
    for (size_t i = 0; i < n; ++i) word[len++] = bytes[i];
  };
  size_t pos = 0;
  const size_t size = text.size();
  while (pos < size) {
    unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (byte < 128) {
      ++pos;
      switch (kAscii.cls[byte]) {
        case CharClass::kSpace: flush(); break;
        case CharClass::kPunct: break;
        case CharClass::kWord: {
          char lower = (byte >= 'A' && byte <= 'Z') ? static_cast<char>(byte + 32)
                                                    : static_cast<char>(byte);
          append(&lower, 1);
          break;
        }
      }
      continue;
    }
    char32_t cp = DecodeUtf8(text, pos);
    CharClass cls = ClassOf(cp);
    if (cls == CharClass::kSpace) {
      flush();
    } else if (cls == CharClass::kWord) {
      thread_local std::string encoded;
      encoded.clear();
      AppendUtf8(Lower(cp), encoded);
      append(encoded.data(), encoded.size());
    }
  }
  flush();
}

std::string DedupText(const Example& example) {
  if (example.kind == ExampleKind::kText) return example.text;
  std::string out;
  auto add = [&](const Message& message) {
    out += RoleName(message.role);
    out += ": ";
    out += message.content;
    for (const ToolCall& call : message.tool_calls) {
      out += "\ncall ";
      out += call.name;
      out += ' ';
      out += call.arguments;
    }
    out += '\n';
  };
  for (const Message& message : example.messages) add(message);
  // A preference pair's answers count: two pairs with one prompt are not duplicates.
  if (IsPreference(example.kind)) {
    out += "chosen:\n";
    for (const Message& message : example.chosen) add(message);
    out += "rejected:\n";
    for (const Message& message : example.rejected) add(message);
  }
  return out;
}

}  // namespace tunepack::dedup
