#include "tokenize/hf/decoder.h"

#include <cctype>
#include <cstdio>

#include "tokenize/hf/byte_level.h"
#include "tokenize/hf/component_types.h"
#include "tokenize/unicode_props.h"
#include "tunepack/core/utf8.h"

namespace tunepack::tokenize::hf {
namespace {

void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (size_t at = text->find(from); at != std::string::npos; at = text->find(from, at + to.size())) {
    text->replace(at, from.size(), to);
  }
}

// Hugging Face's WordPiece cleanup of tokenization spaces.
void Cleanup(std::string* text) {
  static constexpr std::pair<std::string_view, std::string_view> kRules[] = {
      {" .", "."},   {" ?", "?"},     {" !", "!"},          {" ,", ","},    {" ' ", "'"},   {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) ReplaceAll(text, from, to);
}

// Each step returns Status; Replace, the one step that can multiply the text, refuses to
// grow the tokens' total size past `limit` bytes.
struct Applier {
  std::vector<std::string>* tokens;
  size_t limit;

  Status operator()(const ByteLevelDecoder&) const {
    std::string joined;
    for (const std::string& token : *tokens) {
      // A token outside the byte alphabet (an added token) is kept as it is.
      const size_t before = joined.size();
      if (!ByteLevelToBytes(token, &joined)) {
        joined.resize(before);
        joined += token;
      }
    }
    // Hugging Face turns the bytes into a String with from_utf8_lossy: each maximal
    // invalid subpart (a cut character, a stray continuation byte) becomes one U+FFFD.
    std::string text;
    TP_RETURN_IF_ERROR(RepairUtf8(joined, InvalidUtf8Policy::kReplace, &text).status());
    tokens->assign(1, std::move(text));
    return Status::Ok();
  }
  Status operator()(const MetaspaceDecoder& metaspace) const {
    for (size_t i = 0; i < tokens->size(); ++i) {
      // Hugging Face drops every replacement character of the first token.
      ReplaceAll(&(*tokens)[i], metaspace.replacement, i == 0 && metaspace.strip_first ? "" : " ");
    }
    return Status::Ok();
  }
  Status operator()(const ByteFallbackDecoder&) const {
    std::vector<std::string> out;
    std::string bytes;
    size_t byte_count = 0;
    auto flush = [&] {
      if (byte_count == 0) return;
      if (IsValidUtf8(bytes)) {
        out.push_back(bytes);
      } else {
        for (size_t i = 0; i < byte_count; ++i) out.push_back("\xEF\xBF\xBD");
      }
      bytes.clear();
      byte_count = 0;
    };
    for (std::string& token : *tokens) {
      unsigned value = 0;
      if (token.size() == 6 && token.starts_with("<0x") && token.back() == '>' &&
          std::sscanf(token.c_str() + 3, "%2x", &value) == 1 && std::isxdigit(token[3]) &&
          std::isxdigit(token[4])) {
        bytes.push_back(static_cast<char>(value));
        ++byte_count;
        continue;
      }
      flush();
      out.push_back(std::move(token));
    }
    flush();
    *tokens = std::move(out);
    return Status::Ok();
  }
  Status operator()(const FuseDecoder&) const {
    std::string joined;
    for (const std::string& token : *tokens) joined += token;
    tokens->assign(1, std::move(joined));
    return Status::Ok();
  }
  Status operator()(const StripDecoder& strip) const {
    for (std::string& token : *tokens) {
      size_t begin = 0;
      for (size_t i = 0; i < strip.start && token.compare(begin, strip.content.size(), strip.content) == 0; ++i) {
        begin += strip.content.size();
      }
      size_t end = token.size();
      for (size_t i = 0; i < strip.stop && end >= begin + strip.content.size() &&
                         token.compare(end - strip.content.size(), strip.content.size(), strip.content) == 0;
           ++i) {
        end -= strip.content.size();
      }
      token = token.substr(begin, end - begin);
    }
    return Status::Ok();
  }
  Status operator()(const ReplaceDecoder& replace) const {
    std::vector<Piece> matches;
    size_t total = 0;
    for (const std::string& token : *tokens) total += token.size();
    for (std::string& token : *tokens) {
      matches.clear();
      TP_RETURN_IF_ERROR(replace.pattern->Find(token, &matches));
      if (matches.empty()) continue;
      for (const Piece& m : matches) {
        total = total - (m.end - m.begin) + replace.content.size();
        if (total > limit) {
          return ResourceExhaustedError("the tokenizer's Replace decoder grows the text past " +
                                        std::to_string(limit) + " bytes");
        }
      }
      std::string out;
      uint32_t pos = 0;
      for (const Piece& m : matches) {
        out.append(token, pos, m.begin - pos);
        out += replace.content;
        pos = m.end;
      }
      out.append(token, pos);
      token = std::move(out);
    }
    return Status::Ok();
  }
  Status operator()(const WordPieceDecoder& wordpiece) const {
    for (size_t i = 0; i < tokens->size(); ++i) {
      std::string& token = (*tokens)[i];
      if (i != 0) {
        if (token.starts_with(wordpiece.prefix)) {
          token.erase(0, wordpiece.prefix.size());
        } else {
          token.insert(0, " ");
        }
      }
      if (wordpiece.cleanup) Cleanup(&token);
    }
    return Status::Ok();
  }
  Status operator()(const std::shared_ptr<DecoderSequence>& sequence) const {
    for (const Decoder& step : sequence->steps) TP_RETURN_IF_ERROR(DecodeChain(step, limit, tokens));
    return Status::Ok();
  }

  static bool IsValidUtf8(std::string_view bytes);
};

bool Applier::IsValidUtf8(std::string_view bytes) {
  for (size_t pos = 0; pos < bytes.size();) {
    const CodePoint cp = DecodeAt(bytes, pos);
    if (cp.value == 0xFFFD && cp.length == 1 && bytes.substr(pos, 3) != "\xEF\xBF\xBD") return false;
    pos += cp.length;
  }
  return true;
}

}  // namespace

Status DecodeChain(const Decoder& decoder, size_t limit, std::vector<std::string>* tokens) {
  return std::visit(Applier{tokens, limit}, decoder);
}

namespace {

Result<Decoder> ParseMetaspace(Json json) {
  MetaspaceDecoder metaspace;
  metaspace.replacement = std::string(StringOr(json, "replacement", metaspace.replacement));
  const std::string_view scheme = StringOr(json, "prepend_scheme", "");
  metaspace.strip_first = scheme.empty() ? BoolOr(json, "add_prefix_space", true) : scheme != "never";
  return Decoder(std::move(metaspace));
}

Result<Decoder> ParseStrip(Json json) {
  StripDecoder strip;
  strip.content = std::string(StringOr(json, "content", " "));
  uint64_t value = 0;
  if (json.at_key("start").get(value) == simdjson::SUCCESS) strip.start = value;
  if (json.at_key("stop").get(value) == simdjson::SUCCESS) strip.stop = value;
  return Decoder(std::move(strip));
}

Result<Decoder> ParseReplace(Json json) {
  TP_ASSIGN_OR_RETURN(Replacement replace, ParseReplacement(json));
  return Decoder(std::move(replace));
}

Result<Decoder> ParseWordPiece(Json json) {
  WordPieceDecoder wordpiece;
  wordpiece.prefix = std::string(StringOr(json, "prefix", "##"));
  wordpiece.cleanup = BoolOr(json, "cleanup", true);
  return Decoder(std::move(wordpiece));
}

Result<Decoder> ParseSequence(Json json) {
  auto sequence = std::make_shared<DecoderSequence>();
  TP_ASSIGN_OR_RETURN(sequence->steps, ParseSequenceSteps(json, "decoder", "decoders", ParseDecoder));
  return Decoder(std::move(sequence));
}

constexpr ComponentType<Decoder> kDecoderTypes[] = {
    {"ByteLevel", ParseWithoutSettings<Decoder, ByteLevelDecoder>},
    {"Metaspace", ParseMetaspace},
    {"ByteFallback", ParseWithoutSettings<Decoder, ByteFallbackDecoder>},
    {"Fuse", ParseWithoutSettings<Decoder, FuseDecoder>},
    {"Strip", ParseStrip},
    {"Replace", ParseReplace},
    {"WordPiece", ParseWordPiece},
    {"Sequence", ParseSequence},
};

}  // namespace

Result<Decoder> ParseDecoder(Json json) { return ParseComponent(json, "decoder", kDecoderTypes); }

}  // namespace tunepack::tokenize::hf
