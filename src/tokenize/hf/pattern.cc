#include "tokenize/hf/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace tunepack::tokenize::hf {
namespace {

class LiteralPattern final : public Pattern {
 public:
  explicit LiteralPattern(std::string literal) : literal_(std::move(literal)) {}
  void Find(std::string_view text, std::vector<Piece>* matches) const override {
    // An empty literal matches nowhere useful: Hugging Face leaves the text whole.
    if (literal_.empty()) return;
    size_t pos = 0;
    while ((pos = text.find(literal_, pos)) != std::string_view::npos) {
      matches->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + literal_.size())});
      pos += literal_.size();
    }
  }

 private:
  std::string literal_;
};

// Runs a pattern that has a hand-written scanner: the scanner partitions the text into
// exactly the regex's matches.
class ScannerPattern final : public Pattern {
 public:
  explicit ScannerPattern(std::shared_ptr<const PreTokenizer> scanner) : scanner_(std::move(scanner)) {}
  void Find(std::string_view text, std::vector<Piece>* matches) const override {
    scanner_->Split(text, matches);
  }

 private:
  std::shared_ptr<const PreTokenizer> scanner_;
};

class RegexPattern final : public Pattern {
 public:
  explicit RegexPattern(pcre2_code* code, bool jit) : code_(code), jit_(jit) {}
  ~RegexPattern() override { pcre2_code_free(code_); }
  RegexPattern(const RegexPattern&) = delete;
  RegexPattern& operator=(const RegexPattern&) = delete;

  void Find(std::string_view text, std::vector<Piece>* matches) const override {
    // Match data is per thread and reused: Find runs once per pre-token piece, so
    // allocating it per call would cost more than the match.
    thread_local std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
        pcre2_match_data_create(64, nullptr), &pcre2_match_data_free);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t pos = 0;
    while (pos <= text.size()) {
      const int rc = jit_ ? pcre2_jit_match(code_, subject, text.size(), pos, 0, data.get(), nullptr)
                          : pcre2_match(code_, subject, text.size(), pos, PCRE2_NO_UTF_CHECK,
                                        data.get(), nullptr);
      if (rc < 0) break;
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
      const size_t begin = ovector[0];
      const size_t end = ovector[1];
      if (end > begin) {
        matches->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
        pos = end;
      } else {
        // An empty match: step over one character, as an iterator over matches does.
        pos = end + 1;
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
      }
    }
  }

 private:
  pcre2_code* code_;
  bool jit_;
};

}  // namespace

Result<std::shared_ptr<const Pattern>> Pattern::Create(const PatternSpec& spec) {
  if (!spec.is_regex) return std::shared_ptr<const Pattern>(new LiteralPattern(spec.text));
  if (spec.text == kCl100kPattern || spec.text == kO200kPattern || spec.text == kGpt2Pattern ||
      spec.text == kQwen2Pattern) {
    TP_ASSIGN_OR_RETURN(auto scanner, MakePreTokenizer(spec.text));
    return std::shared_ptr<const Pattern>(new ScannerPattern(std::move(scanner)));
  }
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(spec.text.data()), spec.text.size(),
                                   PCRE2_UTF | PCRE2_UCP, &error, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    return InvalidArgumentError("regex does not compile at offset " + std::to_string(error_offset) +
                                ": " + reinterpret_cast<const char*>(message));
  }
  const bool jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  return std::shared_ptr<const Pattern>(new RegexPattern(code, jit));
}

}  // namespace tunepack::tokenize::hf
