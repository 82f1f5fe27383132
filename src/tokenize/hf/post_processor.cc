#include "tokenize/hf/post_processor.h"

#include "tokenize/hf/component_types.h"

namespace tunepack::tokenize::hf {
namespace {

// Returns the id of a ["[CLS]", 101] pair (BertProcessing, RobertaProcessing).
Result<TokenId> PairId(Json json, std::string_view key) {
  simdjson::dom::array pair;
  uint64_t id = 0;
  if (json.at_key(key).get(pair) != simdjson::SUCCESS || pair.size() != 2 ||
      pair.at(1).get(id) != simdjson::SUCCESS) {
    return InvalidArgumentError("expected \"" + std::string(key) + "\": [token, id]");
  }
  return static_cast<TokenId>(id);
}

Result<SpecialWrap> ParseTemplate(Json json) {
  simdjson::dom::array single;
  if (json.at_key("single").get(single) != simdjson::SUCCESS) {
    return InvalidArgumentError("TemplateProcessing needs \"single\"");
  }
  simdjson::dom::object specials;
  if (json.at_key("special_tokens").get(specials) != simdjson::SUCCESS) {
    return InvalidArgumentError("TemplateProcessing needs \"special_tokens\"");
  }
  SpecialWrap wrap;
  bool seen_sequence = false;
  for (Json piece : single) {
    Json special;
    if (piece.at_key("Sequence").get(special) == simdjson::SUCCESS) {
      seen_sequence = true;
      continue;
    }
    std::string_view name;
    if (piece.at_key("SpecialToken").get(special) != simdjson::SUCCESS ||
        special.at_key("id").get(name) != simdjson::SUCCESS) {
      return InvalidArgumentError("TemplateProcessing: unknown piece in \"single\"");
    }
    simdjson::dom::array ids;
    if (specials.at_key(name).at_key("ids").get(ids) != simdjson::SUCCESS) {
      return InvalidArgumentError("TemplateProcessing: special token \"" + std::string(name) +
                                  "\" has no ids");
    }
    for (Json id : ids) {
      uint64_t value = 0;
      if (id.get(value) != simdjson::SUCCESS) return InvalidArgumentError("TemplateProcessing: bad id");
      (seen_sequence ? wrap.after : wrap.before).push_back(static_cast<TokenId>(value));
    }
  }
  return wrap;
}

}  // namespace

namespace {

Result<SpecialWrap> ParseByteLevel(Json) { return SpecialWrap{}; }

Result<SpecialWrap> ParseClsSep(Json json) {
  TP_ASSIGN_OR_RETURN(const TokenId cls, PairId(json, "cls"));
  TP_ASSIGN_OR_RETURN(const TokenId sep, PairId(json, "sep"));
  return SpecialWrap{{cls}, {sep}};
}

Result<SpecialWrap> ParseSequence(Json json) {
  TP_ASSIGN_OR_RETURN(std::vector<SpecialWrap> steps,
                      ParseSequenceSteps(json, "post_processor", "processors", ParsePostProcessor));
  // Each processor wraps what the ones before it produced.
  SpecialWrap wrap;
  for (SpecialWrap& inner : steps) {
    inner.before.insert(inner.before.end(), wrap.before.begin(), wrap.before.end());
    wrap.after.insert(wrap.after.end(), inner.after.begin(), inner.after.end());
    wrap.before = std::move(inner.before);
  }
  return wrap;
}

constexpr ComponentType<SpecialWrap> kPostProcessorTypes[] = {
    {"TemplateProcessing", ParseTemplate},
    {"BertProcessing", ParseClsSep},
    {"RobertaProcessing", ParseClsSep},
    {"ByteLevel", ParseByteLevel},
    {"Sequence", ParseSequence},
};

}  // namespace

Result<SpecialWrap> ParsePostProcessor(Json json) {
  return ParseComponent(json, "post_processor", kPostProcessorTypes);
}

}  // namespace tunepack::tokenize::hf
