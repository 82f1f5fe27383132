// Fuzzes SentencePiece .model files as tunepack reads them (tokenize/spm/): the ModelProto,
// the precompiled charsmap the normaliser walks in place and the pieces, all of them offsets
// and sizes a hostile file controls. The input is the file's bytes. A model that loads then
// encodes a fixed text with every kind of character the normaliser handles; traps when a
// contract breaks: every id is inside the vocabulary, offsets lie inside the text in order,
// and decoding the ids succeeds.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/spm/sentencepiece_tokenizer.h"
#include "encoding_checks.h"

using namespace tunepack;            // NOLINT: a fuzz target, not library code
using namespace tunepack::tokenize;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<std::shared_ptr<const Tokenizer>> loaded = SentencePieceTokenizer::Create(
      "fuzz.model", std::string_view(reinterpret_cast<const char*>(data), size));
  if (!loaded.has_value()) return 0;
  const Tokenizer& tokenizer = **loaded;
  static const std::string kText =
      "  Hello,  world!\tＦｕｌｌ　ｗｉｄｔｈ ﬁ e\xCC\x81 caf\xC3\xA9 \xF0\x9F\x98\x80 中文 <tool> 12345\n\n"
      "\xFF\xFE broken bytes \xE2\x82";
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  if (!tokenizer.Encode(kText, EncodeOptions{}, &ids, &offsets).ok()) return 0;
  CheckEncoding(tokenizer, kText, ids, offsets);
  Check(tokenizer.Decode(ids).has_value());
  return 0;
}
