#include "tokenize/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string>

namespace tunepack::tokenize {
namespace {

// ScannerPreTokenizer: runs one of the hand-written scanners; NextPiece is a template
// argument so the loop inlines it.
template <size_t (*NextPiece)(std::string_view, size_t)>
class ScannerPreTokenizer final : public PreTokenizer {
 public:
  void Split(std::string_view text, std::vector<Piece>* pieces) const override {
    size_t pos = 0;
    while (pos < text.size()) {
      const size_t end = NextPiece(text, pos);
      pieces->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(end)});
      pos = end;
    }
  }
};

// RegexPreTokenizer: any other pattern, through PCRE2 with JIT. PCRE2 has the look-ahead
// that GPT-style patterns use (`\s+(?!\S)`), which RE2 lacks.
class RegexPreTokenizer final : public PreTokenizer {
 public:
  explicit RegexPreTokenizer(pcre2_code* code) : code_(code) {}
  ~RegexPreTokenizer() override { pcre2_code_free(code_); }
  RegexPreTokenizer(const RegexPreTokenizer&) = delete;
  RegexPreTokenizer& operator=(const RegexPreTokenizer&) = delete;

  void Split(std::string_view text, std::vector<Piece>* pieces) const override {
    pcre2_match_data* match = pcre2_match_data_create_from_pattern(code_, nullptr);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t pos = 0;
    while (pos <= text.size()) {
      const int rc = pcre2_match(code_, subject, text.size(), pos, PCRE2_NO_UTF_CHECK, match,
                                 nullptr);
      if (rc < 0) break;
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
      const size_t begin = ovector[0];
      const size_t end = ovector[1];
      if (end > begin) {
        pieces->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
        pos = end;
      } else {
        // An empty match: step over one character, as find_iter does.
        pos = end + 1;
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
      }
    }
    pcre2_match_data_free(match);
  }

 private:
  pcre2_code* code_;
};

}  // namespace

Result<std::shared_ptr<const PreTokenizer>> MakePreTokenizer(std::string_view pattern) {
  if (pattern == kCl100kPattern) {
    return std::shared_ptr<const PreTokenizer>(new ScannerPreTokenizer<Cl100kNextPiece>());
  }
  if (pattern == kO200kPattern) {
    return std::shared_ptr<const PreTokenizer>(new ScannerPreTokenizer<O200kNextPiece>());
  }
  if (pattern == kQwen2Pattern) {
    return std::shared_ptr<const PreTokenizer>(new ScannerPreTokenizer<Qwen2NextPiece>());
  }
  if (pattern == kGpt2Pattern) {
    return std::shared_ptr<const PreTokenizer>(new ScannerPreTokenizer<Gpt2NextPiece>());
  }
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_UCP, &error, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    return InvalidArgumentError("pre-tokenizer pattern does not compile at offset " +
                                std::to_string(error_offset) + ": " +
                                reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  return std::shared_ptr<const PreTokenizer>(new RegexPreTokenizer(code));
}

}  // namespace tunepack::tokenize
