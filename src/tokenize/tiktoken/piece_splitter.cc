#include "tokenize/tiktoken/piece_splitter.h"

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
  Status Split(std::string_view text, std::vector<Piece>* pieces) const override {
    size_t pos = 0;
    while (pos < text.size()) {
      const size_t end = NextPiece(text, pos);
      pieces->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(end)});
      pos = end;
    }
    return Status::Ok();
  }
};

// MatchScratch: per-thread PCRE2 state reused by every regex on the thread (Split runs once
// per document, or per word for a Hugging Face Split step, so allocating it per call would
// cost more than the match). The JIT stack may grow to kJitStackMax: PCRE2's default 32 KiB
// gives up on long pieces that a legitimate pattern matches, and giving up is an error.
struct MatchScratch {
  static constexpr size_t kJitStackMax = size_t{8} << 20;
  pcre2_match_data* data = pcre2_match_data_create(64, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_jit_stack* jit_stack = pcre2_jit_stack_create(32 * 1024, kJitStackMax, nullptr);

  MatchScratch() {
    if (context != nullptr && jit_stack != nullptr) pcre2_jit_stack_assign(context, nullptr, jit_stack);
  }
  ~MatchScratch() {
    pcre2_jit_stack_free(jit_stack);
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;
};

// Returns the error for PCRE2's failure `rc` on `size` bytes of text at offset `pos`.
Status MatchFailure(int rc, size_t size, size_t pos) {
  PCRE2_UCHAR message[256];
  pcre2_get_error_message(rc, message, sizeof(message));
  return ResourceExhaustedError(
      "the tokenizer's regex gave up on " + std::to_string(size) + " bytes of text at byte " +
      std::to_string(pos) + " (" + reinterpret_cast<const char*>(message) +
      ": the pattern backtracks catastrophically on this text); refusing to tokenize it "
      "rather than give ids that differ from the reference's");
}

// RegexPreTokenizer: any other pattern, through PCRE2 with JIT. PCRE2 has the look-ahead
// that GPT-style patterns use (`\s+(?!\S)`), which RE2 lacks.
class RegexPreTokenizer final : public PreTokenizer {
 public:
  explicit RegexPreTokenizer(pcre2_code* code) : code_(code) {}
  ~RegexPreTokenizer() override { pcre2_code_free(code_); }
  RegexPreTokenizer(const RegexPreTokenizer&) = delete;
  RegexPreTokenizer& operator=(const RegexPreTokenizer&) = delete;

  Status Split(std::string_view text, std::vector<Piece>* pieces) const override {
    thread_local MatchScratch scratch;
    if (scratch.data == nullptr || scratch.context == nullptr) {
      return ResourceExhaustedError("out of memory for the tokenizer's regex");
    }
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t pos = 0;
    while (pos <= text.size()) {
      // pcre2_match runs the JIT code when the pattern has it, with the context's stack.
      const int rc = pcre2_match(code_, subject, text.size(), pos, PCRE2_NO_UTF_CHECK, scratch.data,
                                 scratch.context);
      if (rc == PCRE2_ERROR_NOMATCH) break;
      // Any other negative code (match, depth or heap limit, JIT stack) means the engine
      // gave up, not that nothing matches: the rest of the text would be left unsplit.
      if (rc < 0) return MatchFailure(rc, text.size(), pos);
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(scratch.data);
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
    return Status::Ok();
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
    return InvalidArgumentError("regex does not compile at offset " +
                                std::to_string(error_offset) + ": " +
                                reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  return std::shared_ptr<const PreTokenizer>(new RegexPreTokenizer(code));
}

}  // namespace tunepack::tokenize
