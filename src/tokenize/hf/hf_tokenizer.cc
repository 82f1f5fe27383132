#include "tokenize/hf/hf_tokenizer.h"

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "tokenize/hf/byte_level.h"
#include "tokenize/hf/component_types.h"
#include "tokenize/hf/model_tables.h"
#include "tokenize/hf/word_cache.h"

namespace tunepack::tokenize::hf {
namespace {

std::atomic<uint64_t> next_instance_id{1};

// What a model is read from: its DOM object, and for BPE the vocab and merges kept aside.
struct ModelSource {
  const simdjson::padded_string& document;
  const ModelTables* tables;  ///< nullptr: the DOM has them
};

// A model other than BPE reads its vocabulary from the DOM, which `tables` emptied.
Status NeedsWholeDom(const ModelSource& source) {
  return source.tables != nullptr ? InternalError("vocab set aside for a model that is not BPE") : Status::Ok();
}

Result<Model> ParseBpe(Json json, const ModelSource& source, bool byte_level) {
  TP_ASSIGN_OR_RETURN(auto bpe, BpeModel::Create(json, byte_level, source.tables));
  return Model(std::move(bpe));
}

Result<Model> ParseWordPiece(Json json, const ModelSource& source, bool) {
  TP_RETURN_IF_ERROR(NeedsWholeDom(source));
  TP_ASSIGN_OR_RETURN(auto wordpiece, WordPieceModel::Create(json));
  return Model(std::move(wordpiece));
}

Result<Model> ParseUnigram(Json json, const ModelSource& source, bool) {
  TP_RETURN_IF_ERROR(NeedsWholeDom(source));
  TP_ASSIGN_OR_RETURN(auto unigram, UnigramModel::Create(json, source.document));
  return Model(std::move(unigram));
}

constexpr ComponentType<Model, const ModelSource&, bool> kModelTypes[] = {
    {"BPE", ParseBpe},
    {"WordPiece", ParseWordPiece},
    {"Unigram", ParseUnigram},
};

Result<Model> ParseModel(Json json, bool byte_level, const ModelSource& source) {
  std::string_view type = StringOr(json, "type", "");
  if (type.empty()) {
    // Files written before "type" was serialised: tell the models apart by their fields.
    Json vocab;
    if (Has(json, "merges")) {
      type = "BPE";
    } else if (json.at_key("vocab").get(vocab) == simdjson::SUCCESS && vocab.is_array()) {
      type = "Unigram";
    } else {
      type = "WordPiece";
    }
  }
  // Only BPE reads a vocabulary in the GPT-2 byte alphabet.
  if (byte_level && type != "BPE") {
    return UnimplementedError("a ByteLevel pre-tokenizer with a " + std::string(type) +
                              " model is not supported");
  }
  TP_ASSIGN_OR_RETURN(const auto* model_type, FindComponentType(kModelTypes, "model", type));
  return model_type->parse(json, source, byte_level);
}

Result<std::vector<AddedToken>> ParseAddedTokens(Json root) {
  std::vector<AddedToken> added;
  simdjson::dom::array list;
  if (root.at_key("added_tokens").get(list) != simdjson::SUCCESS) return added;
  for (Json entry : list) {
    AddedToken token;
    TP_ASSIGN_OR_RETURN(token.id, IdField(entry, "id"));
    TP_ASSIGN_OR_RETURN(const std::string_view content, StringField(entry, "content"));
    token.content = std::string(content);
    token.special = BoolOr(entry, "special", false);
    token.lstrip = BoolOr(entry, "lstrip", false);
    token.rstrip = BoolOr(entry, "rstrip", false);
    token.normalized = BoolOr(entry, "normalized", !token.special);
    token.single_word = BoolOr(entry, "single_word", false);
    added.push_back(std::move(token));
  }
  return added;
}

}  // namespace

Result<std::shared_ptr<const Tokenizer>> HfTokenizer::Load(std::string_view name,
                                                           const std::filesystem::path& path) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path.string()).get(json) != simdjson::SUCCESS) {
    return NotFoundError("cannot read " + path.string());
  }
  auto tokenizer = FromJson(name, json);
  if (!tokenizer.ok()) return tokenizer.error().WithContext(path.string());
  return tokenizer;
}

Result<std::shared_ptr<const Tokenizer>> HfTokenizer::FromJson(std::string_view name,
                                                               const simdjson::padded_string& json) {
  if (const std::optional<SplitDocument> split = SplitModelTables(json)) {
    auto tokenizer = FromDocument(name, split->rest, &split->tables);
    if (tokenizer.ok()) return tokenizer;
    // Whatever failed is read again below, so that it is refused with the DOM reading's
    // message (the on-demand reading only knows that it could not read the tables).
  }
  return FromDocument(name, json, nullptr);
}

Result<std::shared_ptr<const Tokenizer>> HfTokenizer::FromDocument(std::string_view name,
                                                                   const simdjson::padded_string& json,
                                                                   const ModelTables* tables) {
  simdjson::dom::parser parser;
  Json root;
  if (const auto error = parser.parse(json).get(root); error != simdjson::SUCCESS) {
    return InvalidArgumentError(std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  Json model_json;
  if (!root.is_object() || root.at_key("model").get(model_json) != simdjson::SUCCESS) {
    return InvalidArgumentError("not a tokenizer.json: no \"model\"");
  }
  std::shared_ptr<HfTokenizer> tokenizer(new HfTokenizer());
  tokenizer->name_ = std::string(name);
  tokenizer->instance_id_ = next_instance_id.fetch_add(1);
  bool byte_level = false;
  if (auto json_pre = Field(root, "pre_tokenizer")) {
    auto pre = ParsePreTokenizer(*json_pre);
    if (!pre.ok()) return pre.error().WithContext("pre_tokenizer");
    bool supported_order = true;
    byte_level = UsesByteLevel(*pre, &supported_order);
    if (!supported_order) {
      return UnimplementedError("pre_tokenizer: a step after ByteLevel is not supported");
    }
    tokenizer->needs_alignment_ = NeedsAlignment(*pre);
    tokenizer->pre_tokenizer_ = std::move(*pre);
  }
  if (auto json_normalizer = Field(root, "normalizer")) {
    auto normalizer = ParseNormalizer(*json_normalizer);
    if (!normalizer.ok()) return normalizer.error().WithContext("normalizer");
    tokenizer->normalizer_ = std::move(*normalizer);
  }
  auto model = ParseModel(model_json, byte_level, ModelSource{json, tables});
  if (!model.ok()) return model.error().WithContext("model");
  tokenizer->model_ = std::move(*model);
  if (auto json_post = Field(root, "post_processor")) {
    auto post = ParsePostProcessor(*json_post);
    if (!post.ok()) return post.error().WithContext("post_processor");
    tokenizer->wrap_ = std::move(*post);
  }
  if (auto json_decoder = Field(root, "decoder")) {
    auto decoder = ParseDecoder(*json_decoder);
    if (!decoder.ok()) return decoder.error().WithContext("decoder");
    tokenizer->decoder_ = std::move(*decoder);
  }
  auto added = ParseAddedTokens(root);
  if (!added.ok()) return added.error().WithContext("added_tokens");
  tokenizer->added_ = tokenizer->AssignAddedIds(std::move(*added));
  std::vector<AddedToken> raw, normalized;
  size_t vocab_size = tokenizer->vocab().size();
  for (const AddedToken& token : tokenizer->added_) {
    vocab_size = std::max<size_t>(vocab_size, size_t{token.id} + 1);
    if (!token.normalized) {
      raw.push_back(token);
      continue;
    }
    if (!tokenizer->normalizer_) {
      normalized.push_back(token);
      continue;
    }
    // Hugging Face matches a `normalized` token by its normalised content.
    AlignedText in, out;
    in.Reset(token.content, 0, static_cast<uint32_t>(token.content.size()), false);
    out.Clear(false);
    const Status normalized_ok =
        Normalize(*tokenizer->normalizer_, in, NormalizedSizeLimit(in.text.size()), &out);
    if (!normalized_ok.ok()) return normalized_ok.WithContext("added token " + token.content);
    AddedToken copy = token;
    copy.content = out.text;
    normalized.push_back(std::move(copy));
  }
  tokenizer->raw_matcher_ = AddedTokenMatcher(std::move(raw));
  tokenizer->normalized_matcher_ = AddedTokenMatcher(std::move(normalized));
  tokenizer->vocab_size_ = vocab_size;
  for (const auto* ids : {&tokenizer->wrap_.before, &tokenizer->wrap_.after}) {
    for (const TokenId id : *ids) {
      if (id >= vocab_size) {
        return InvalidArgumentError("post_processor adds id " + std::to_string(id) +
                                    ", outside the vocabulary");
      }
    }
  }
  return std::shared_ptr<const Tokenizer>(std::move(tokenizer));
}

// Hugging Face does not trust the ids written in added_tokens: a token whose content is in
// the model's vocab (or was added before) takes that id, any other the next free id after
// the vocab (tokenizer.json deserialisation goes through add_tokens). Identical entries are
// added once.
std::vector<AddedToken> HfTokenizer::AssignAddedIds(std::vector<AddedToken> tokens) const {
  const size_t entries = std::visit([](const auto& model) { return model->entry_count(); }, model_);
  std::vector<AddedToken> out;
  std::unordered_map<std::string, uint32_t> ids;
  std::unordered_map<std::string, std::vector<size_t>> seen;  // content -> entries in `out`
  std::optional<uint32_t> max_added;
  for (AddedToken& token : tokens) {
    if (token.content.empty()) continue;
    std::vector<size_t>& same_content = seen[token.content];
    const bool duplicate = std::any_of(same_content.begin(), same_content.end(), [&](size_t index) {
      const AddedToken& other = out[index];
      return other.special == token.special && other.lstrip == token.lstrip &&
             other.rstrip == token.rstrip && other.normalized == token.normalized &&
             other.single_word == token.single_word;
    });
    if (duplicate) continue;
    same_content.push_back(out.size());
    uint32_t id;
    if (auto it = ids.find(token.content); it != ids.end()) {
      id = it->second;
    } else if (const uint32_t in_model = std::visit(
                   [&](const auto& model) { return model->TokenToId(token.content); }, model_);
               in_model != RankTable::kNoRank) {
      id = in_model;
    } else if (!max_added) {
      id = static_cast<uint32_t>(entries);
    } else {
      id = *max_added >= entries || entries == 0 ? *max_added + 1 : static_cast<uint32_t>(entries);
    }
    ids[token.content] = id;
    max_added = max_added ? std::max(*max_added, id) : id;
    token.id = id;
    out.push_back(std::move(token));
  }
  return out;
}

const RankTable& HfTokenizer::vocab() const {
  return std::visit([](const auto& model) -> const RankTable& { return model->vocab(); }, model_);
}

void HfTokenizer::EncodeWithModel(std::string_view word, std::vector<ModelToken>* tokens) const {
  std::visit([&](const auto& model) { model->Encode(word, tokens); }, model_);
}

void HfTokenizer::EncodeCached(std::string_view word, std::vector<ModelToken>* tokens) const {
  if (word.size() > WordCache::kMaxWord) {
    EncodeWithModel(word, tokens);
    return;
  }
  thread_local std::vector<ModelToken> fresh;
  WordCache& cache = WordCache::ForThread(instance_id_);
  const uint64_t hash = WordCache::Hash(word);
  uint32_t count = 0;
  ModelToken single;
  if (const ModelToken* cached = cache.Find(word, hash, &count, &single)) {
    tokens->insert(tokens->end(), cached, cached + count);
    return;
  }
  fresh.clear();
  EncodeWithModel(word, &fresh);
  cache.Insert(word, hash, fresh.data(), static_cast<uint32_t>(fresh.size()));
  tokens->insert(tokens->end(), fresh.begin(), fresh.end());
}

void HfTokenizer::EncodeWord(std::string_view word, std::vector<ModelToken>* tokens) const {
  const auto* bpe = std::get_if<std::unique_ptr<BpeModel>>(&model_);
  if (bpe == nullptr || !(*bpe)->splits_words()) {
    EncodeCached(word, tokens);
    return;
  }
  thread_local std::vector<Piece> parts;
  parts.clear();
  (*bpe)->SplitIndependent(word, &parts);
  for (const Piece& part : parts) {
    const size_t first = tokens->size();
    EncodeCached(word.substr(part.begin, part.end - part.begin), tokens);
    if (part.begin == 0) continue;
    for (size_t i = first; i < tokens->size(); ++i) {
      (*tokens)[i].begin += part.begin;
      (*tokens)[i].end += part.begin;
    }
  }
}

template <typename Sink>
Status HfTokenizer::EncodeWords(AlignedText* text, bool at_input_start, Sink& sink) const {
  if (text->text.empty()) return Status::Ok();
  // Scratch reused on this thread (encoding never re-enters itself): a text with many added
  // tokens (Gemma 3 has newline and space runs among them) is encoded in many small pieces.
  thread_local std::vector<Piece> pieces;
  pieces.assign(1, Piece{0, static_cast<uint32_t>(text->text.size())});
  if (pre_tokenizer_) TP_RETURN_IF_ERROR(PreTokenize(*pre_tokenizer_, at_input_start, text, &pieces));
  thread_local std::vector<ModelToken> tokens;
  const std::string_view all = text->text;
  for (const Piece& piece : pieces) {
    tokens.clear();
    EncodeWord(all.substr(piece.begin, piece.end - piece.begin), &tokens);
    for (const ModelToken& token : tokens) {
      sink(token.id, text->SpanOf(piece.begin + token.begin, piece.begin + token.end));
    }
  }
  return Status::Ok();
}

template <typename Sink>
Status HfTokenizer::EncodeText(std::string_view input, uint32_t begin, uint32_t end, bool allow_special,
                             bool track, Sink& sink) const {
  thread_local AlignedText raw, normalized, part;  // scratch, as in EncodeWords
  raw.Reset(input, begin, end, track);
  AlignedText* current = &raw;
  if (normalizer_) {
    normalized.Clear(track);
    TP_RETURN_IF_ERROR(Normalize(*normalizer_, raw, NormalizedSizeLimit(end - begin), &normalized));
    current = &normalized;
  }
  if (normalized_matcher_.empty()) return EncodeWords(current, begin == 0, sink);
  thread_local std::vector<Segment> segments;
  segments.clear();
  normalized_matcher_.Split(current->text, 0, static_cast<uint32_t>(current->text.size()),
                            allow_special, &segments);
  if (segments.size() == 1 && segments[0].id == Segment::kText) {
    return EncodeWords(current, begin == 0, sink);
  }
  for (const Segment& segment : segments) {
    if (segment.id != Segment::kText) {
      sink(segment.id, current->SpanOf(segment.begin, segment.end));
      continue;
    }
    part.Clear(track);
    part.AppendFrom(*current, segment.begin, segment.end);
    TP_RETURN_IF_ERROR(EncodeWords(&part, begin == 0 && segment.begin == 0, sink));
  }
  return Status::Ok();
}

Status HfTokenizer::Encode(std::string_view text, const EncodeOptions& options,
                           std::vector<TokenId>* ids, std::vector<TokenSpan>* offsets) const {
  if (text.size() >= UINT32_MAX) return ResourceExhaustedError("text over 4 GiB");
  const bool track = offsets != nullptr || needs_alignment_;
  auto sink = [&](TokenId id, TokenSpan span) {
    ids->push_back(id);
    if (offsets != nullptr) offsets->push_back(span);
  };
  if (options.add_special) {
    for (const TokenId id : wrap_.before) sink(id, {0, 0});
  }
  const uint32_t size = static_cast<uint32_t>(text.size());
  if (raw_matcher_.empty()) {
    TP_RETURN_IF_ERROR(EncodeText(text, 0, size, options.allow_special, track, sink));
  } else {
    std::vector<Segment> segments;
    raw_matcher_.Split(text, 0, size, options.allow_special, &segments);
    for (const Segment& segment : segments) {
      if (segment.id != Segment::kText) {
        sink(segment.id, {segment.begin, segment.end});
      } else {
        TP_RETURN_IF_ERROR(
            EncodeText(text, segment.begin, segment.end, options.allow_special, track, sink));
      }
    }
  }
  if (options.add_special) {
    for (const TokenId id : wrap_.after) sink(id, {size, size});
  }
  return Status::Ok();
}

Result<size_t> HfTokenizer::Count(std::string_view text, const EncodeOptions& options) const {
  thread_local std::vector<TokenId> ids;
  ids.clear();
  TP_RETURN_IF_ERROR(Encode(text, options, &ids));
  return ids.size();
}

Result<std::string> HfTokenizer::Decode(std::span<const TokenId> ids) const {
  const RankTable& table = vocab();
  const bool byte_level = std::holds_alternative<std::unique_ptr<BpeModel>>(model_) &&
                          std::get<std::unique_ptr<BpeModel>>(model_)->byte_level();
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (const TokenId id : ids) {
    const auto added = std::find_if(added_.begin(), added_.end(),
                                    [id](const AddedToken& token) { return token.id == id; });
    if (added != added_.end()) {
      tokens.push_back(added->content);
      continue;
    }
    if (byte_level && (id >= table.size() || table.Token(id).empty())) {
      if (const std::string* unmapped = std::get<std::unique_ptr<BpeModel>>(model_)->UnmappedToken(id)) {
        tokens.push_back(*unmapped);
        continue;
      }
    }
    if (id >= table.size() || table.Token(id).empty()) {
      return InvalidArgumentError("token id " + std::to_string(id) + " is not in " + name_);
    }
    tokens.push_back(byte_level ? BytesToByteLevel(table.Token(id)) : std::string(table.Token(id)));
  }
  if (!decoder_) {
    // Without a decoder Hugging Face joins the tokens with spaces.
    std::string joined;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i != 0) joined += ' ';
      joined += tokens[i];
    }
    return joined;
  }
  size_t total = 0;
  for (const std::string& token : tokens) total += token.size();
  TP_RETURN_IF_ERROR(DecodeChain(*decoder_, NormalizedSizeLimit(total), &tokens));
  std::string joined;
  for (const std::string& token : tokens) joined += token;
  return joined;
}

std::vector<std::pair<std::string, TokenId>> HfTokenizer::special_tokens() const {
  std::vector<std::pair<std::string, TokenId>> out;
  for (const AddedToken& token : added_) {
    if (token.special) out.emplace_back(token.content, token.id);
  }
  return out;
}

}  // namespace tunepack::tokenize::hf
