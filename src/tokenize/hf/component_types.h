// ComponentType tables: the "type"s of one kind of tokenizer.json component (normalizer,
// pre_tokenizer, decoder, post_processor, model), each with its parser, as Hugging Face's
// *Wrapper enums list theirs. One table gives both the parser of a component and the list
// of supported types that the message for an unsupported one names, so the two cannot
// drift apart when a type is added.
//
// Example:
//   constexpr ComponentType<Decoder> kDecoderTypes[] = {
//       {"Fuse", [](Json) -> Result<Decoder> { return Decoder(FuseDecoder{}); }},
//       {"Sequence", ParseDecoderSequence}};
//   return ParseComponent(json, "decoder", kDecoderTypes);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tokenize/hf/component_fields.h"

namespace tunepack::tokenize::hf {

// ComponentType: one "type" of a component and its parser. `Context` is what the parser
// needs beyond the component's JSON (a model needs the whole document, for instance).
template <typename T, typename... Context>
struct ComponentType {
  std::string_view name;
  Result<T> (*parse)(Json json, Context... context);
};

// Returns the entry of `types` named `type`, or Unimplemented "<kind> type "<type>" is not
// supported (A, B, C are)" listing the table's types in its order.
template <typename Table>
Result<const std::remove_reference_t<decltype(std::declval<const Table&>()[0])>*> FindComponentType(
    const Table& types, std::string_view kind, std::string_view type) {
  std::string supported;
  for (const auto& entry : types) {
    if (entry.name == type) return &entry;
    if (!supported.empty()) supported += ", ";
    supported += entry.name;
  }
  return UnimplementedError(std::string(kind) + " type \"" + std::string(type) +
                            "\" is not supported (" + supported + " are)");
}

// Parses the component `json` of kind `kind` with the parser its "type" names in `types`.
template <typename Table, typename... Context>
auto ParseComponent(Json json, std::string_view kind, const Table& types, Context&&... context)
    -> decltype(types[0].parse(json, std::forward<Context>(context)...)) {
  TP_ASSIGN_OR_RETURN(const std::string_view type, TypeOf(json, kind));
  TP_ASSIGN_OR_RETURN(const auto* entry, FindComponentType(types, kind, type));
  return entry->parse(json, std::forward<Context>(context)...);
}

// Parses a component whose type has no settings: `T` holding a default `Alternative`.
template <typename T, typename Alternative>
Result<T> ParseWithoutSettings(Json) {
  return T(Alternative{});
}

// Parses the steps of a Sequence component: the array `key` of `json`, each element with
// `parse`, in order. InvalidArgument "a Sequence <kind> needs "<key>"" when it is missing.
template <typename T>
Result<std::vector<T>> ParseSequenceSteps(Json json, std::string_view kind, std::string_view key,
                                          Result<T> (*parse)(Json json)) {
  simdjson::dom::array array;
  if (json.at_key(key).get(array) != simdjson::SUCCESS) {
    return InvalidArgumentError("a Sequence " + std::string(kind) + " needs \"" + std::string(key) +
                                "\"");
  }
  std::vector<T> steps;
  for (Json step : array) {
    TP_ASSIGN_OR_RETURN(T parsed, parse(step));
    steps.push_back(std::move(parsed));
  }
  return steps;
}

}  // namespace tunepack::tokenize::hf
