#include "tokenize/hf/pattern.h"

namespace tunepack::tokenize::hf {
namespace {

class LiteralPattern final : public Pattern {
 public:
  explicit LiteralPattern(std::string literal) : literal_(std::move(literal)) {}
  Status Find(std::string_view text, std::vector<Piece>* matches) const override {
    // An empty literal matches nowhere useful: Hugging Face leaves the text whole.
    if (literal_.empty()) return Status::Ok();
    size_t pos = 0;
    while ((pos = text.find(literal_, pos)) != std::string_view::npos) {
      matches->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + literal_.size())});
      pos += literal_.size();
    }
    return Status::Ok();
  }

 private:
  std::string literal_;
};

// Runs a regex through a PreTokenizer (tiktoken/piece_splitter.h): a hand-written scanner for the
// patterns that have one, which partitions the text into exactly the regex's matches, and
// PCRE2 otherwise.
class RegexPattern final : public Pattern {
 public:
  explicit RegexPattern(std::shared_ptr<const PreTokenizer> regex) : regex_(std::move(regex)) {}
  Status Find(std::string_view text, std::vector<Piece>* matches) const override {
    return regex_->Split(text, matches);
  }

 private:
  std::shared_ptr<const PreTokenizer> regex_;
};

}  // namespace

Result<std::shared_ptr<const Pattern>> Pattern::Create(const PatternSpec& spec) {
  if (!spec.is_regex) return std::shared_ptr<const Pattern>(new LiteralPattern(spec.text));
  TP_ASSIGN_OR_RETURN(auto regex, MakePreTokenizer(spec.text));
  return std::shared_ptr<const Pattern>(new RegexPattern(std::move(regex)));
}

Result<Replacement> ParseReplacement(Json json) {
  TP_ASSIGN_OR_RETURN(const PatternSpec spec, PatternField(json));
  TP_ASSIGN_OR_RETURN(auto pattern, Pattern::Create(spec));
  TP_ASSIGN_OR_RETURN(const std::string_view content, StringField(json, "content"));
  return Replacement{std::move(pattern), std::string(content)};
}

}  // namespace tunepack::tokenize::hf
