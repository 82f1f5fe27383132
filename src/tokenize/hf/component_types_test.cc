#include "tokenize/hf/component_types.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/status_matchers.h"
#include "tokenize/hf/decoder.h"
#include "tokenize/hf/normalizer.h"
#include "tokenize/hf/post_processor.h"
#include "tokenize/hf/pre_tokenizer.h"

namespace tunepack::tokenize::hf {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::StatusIs;

// Returns the types an "is not supported (A, B, C are)" message lists.
std::vector<std::string> ListedTypes(const std::string& message) {
  const size_t open = message.rfind('(');
  const size_t close = message.rfind(" are)");
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  std::vector<std::string> types;
  std::string list = message.substr(open + 1, close - open - 1);
  for (size_t start = 0; start <= list.size();) {
    size_t comma = list.find(", ", start);
    if (comma == std::string::npos) comma = list.size();
    types.push_back(list.substr(start, comma - start));
    start = comma + 2;
  }
  return types;
}

// Parses {"type": <type>} with `parse`, keeping the document alive for the element.
template <typename Parse>
Status ParseBareType(Parse parse, const std::string& type) {
  simdjson::dom::parser parser;
  const simdjson::padded_string json("{\"type\": \"" + type + "\"}");
  simdjson::dom::element element;
  if (parser.parse(json).get(element) != simdjson::SUCCESS) return InternalError("bad test JSON");
  auto parsed = parse(element);
  return parsed.ok() ? Status::Ok() : parsed.error();
}

// Each kind's unsupported-type message lists its table, and every type it lists is one the
// parser takes: it may want settings a bare {"type": ...} lacks, but it is never refused as
// unsupported.
template <typename Parse>
void ExpectListedTypesAreParsed(Parse parse, const std::string& kind,
                                const std::vector<std::string>& some_expected) {
  const Status unknown = ParseBareType(parse, "NoSuchType");
  ASSERT_THAT(unknown, StatusIs(StatusCode::kUnimplemented,
                                HasSubstr(kind + " type \"NoSuchType\" is not supported (")));
  const std::vector<std::string> listed = ListedTypes(std::string(unknown.message()));
  for (const std::string& type : some_expected) {
    EXPECT_THAT(listed, Contains(type)) << kind;
  }
  for (const std::string& type : listed) {
    const Status status = ParseBareType(parse, type);
    EXPECT_NE(status.code(), StatusCode::kUnimplemented) << kind << " " << type << ": " << status.message();
  }
}

TEST(ComponentTypesTest, EveryListedNormalizerTypeIsParsed) {
  ExpectListedTypesAreParsed(ParseNormalizer, "normalizer", {"NFKC", "BertNormalizer", "Sequence"});
}

TEST(ComponentTypesTest, EveryListedPreTokenizerTypeIsParsed) {
  ExpectListedTypesAreParsed(ParsePreTokenizer, "pre_tokenizer", {"Split", "Metaspace", "Sequence"});
}

TEST(ComponentTypesTest, EveryListedDecoderTypeIsParsed) {
  ExpectListedTypesAreParsed(ParseDecoder, "decoder", {"ByteLevel", "WordPiece", "Sequence"});
}

TEST(ComponentTypesTest, EveryListedPostProcessorTypeIsParsed) {
  ExpectListedTypesAreParsed(ParsePostProcessor, "post_processor",
                             {"TemplateProcessing", "RobertaProcessing", "Sequence"});
}

TEST(ComponentTypesTest, AComponentWithoutATypeIsNamed) {
  simdjson::dom::parser parser;
  const simdjson::padded_string json(std::string(R"({"lowercase": true})"));
  EXPECT_THAT(ParseNormalizer(parser.parse(json).value()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("normalizer without a \"type\"")));
}

TEST(ComponentTypesTest, ASequenceWithoutStepsIsNamed) {
  simdjson::dom::parser parser;
  const simdjson::padded_string json(std::string(R"({"type": "Sequence"})"));
  EXPECT_THAT(ParseDecoder(parser.parse(json).value()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("a Sequence decoder needs \"decoders\"")));
}

}  // namespace
}  // namespace tunepack::tokenize::hf
