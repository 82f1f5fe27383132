// LoadTokenizer: built-in names first, then paths, each file kind recognised by its name
// and content.
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <sys/stat.h>

#include "tokenize/builtin_tokenizers.h"
#include "tokenize/hf/hf_tokenizer.h"
#include "tokenize/spm/sentencepiece_tokenizer.h"
#include "tokenize/tiktoken/tiktoken_format.h"
#include "tunepack/io/file.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {
namespace {

namespace fs = std::filesystem;

// Tokenizer files come from strangers (model folders): io:: refuses a FIFO or a device by
// type and caps the size.
Result<std::string> ReadWholeFile(const fs::path& path) {
  return io::ReadWholeFile(path.string(), io::kMaxTokenizerFileBytes);
}

// Returns up to the first `limit` bytes of `path`: enough to tell file kinds apart without
// reading a 33 MB tokenizer.json twice.
Result<std::string> ReadHead(const fs::path& path, size_t limit) {
  return io::ReadFileHead(path.string(), limit);
}

// Returns the file at `path` in the padded buffer simdjson parses, read once into its final
// place: a 33 MB tokenizer.json grown in a string and then copied was 15% of loading it
// (the copies, and the kernel faulting in fresh memory for each). The size is a hint
// taken before opening; anything it does not cover (a file that is not regular, too large,
// or that grew or shrank meanwhile) is read by ReadWholeFile, which refuses what it must.
Result<simdjson::padded_string> ReadPaddedFile(const fs::path& path) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (!error && size <= io::kMaxTokenizerFileBytes) {
    TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path.string()));
    simdjson::padded_string padded(size);
    size_t filled = 0;
    while (filled < size) {
      TP_ASSIGN_OR_RETURN(const size_t got, file->Read(padded.data() + filled, size - filled));
      if (got == 0) break;
      filled += got;
    }
    char beyond = 0;
    TP_ASSIGN_OR_RETURN(const size_t more, file->Read(&beyond, 1));
    if (filled == size && more == 0) return padded;
  }
  TP_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  return simdjson::padded_string(text);
}

// Loads a Hugging Face tokenizer.json read through io:: (see ReadPaddedFile).
Result<std::shared_ptr<const Tokenizer>> LoadHfTokenizerJson(std::string_view spec, const fs::path& path) {
  TP_ASSIGN_OR_RETURN(const simdjson::padded_string json, ReadPaddedFile(path));
  auto tokenizer = hf::HfTokenizer::FromJson(spec, json);
  if (!tokenizer.ok()) return tokenizer.error().WithContext(path.string());
  return tokenizer;
}

Result<std::shared_ptr<const Tokenizer>> LoadBuiltin(std::string_view name) {
  // Loaded once per process: the pipeline may ask for the same tokenizer many times.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Tokenizer>, std::less<>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = loaded.find(name); it != loaded.end()) return it->second;
  const BuiltinEntry* entry = BuiltinTokenizers().Find(name);
  if (entry == nullptr) return NotFoundError("no built-in tokenizer " + std::string(name));
  TP_ASSIGN_OR_RETURN(auto tokenizer, entry->load());
  loaded.emplace(std::string(name), tokenizer);
  return tokenizer;
}

// A .tiktoken rank file takes its pattern and special tokens from a built-in encoding.
Result<std::shared_ptr<const Tokenizer>> LoadTiktokenRanks(std::string_view spec,
                                                           std::string_view base_name,
                                                           const fs::path& path) {
  TP_ASSIGN_OR_RETURN(auto base, LoadBuiltin(base_name));
  const auto* tiktoken = dynamic_cast<const TiktokenTokenizer*>(base.get());
  if (tiktoken == nullptr) {
    return InvalidArgumentError(std::string(base_name) + " is not a tiktoken encoding");
  }
  TP_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  auto tokens = ParseTiktokenRanks(text);
  if (!tokens.ok()) return tokens.error().WithContext(path.string());
  TiktokenDefinition definition = tiktoken->definition();
  definition.name = std::string(spec);
  definition.explicit_n_vocab.reset();
  TP_ASSIGN_OR_RETURN(RankTable ranks, RankTable::Build(std::move(*tokens)));
  auto tokenizer = TiktokenTokenizer::Create(std::move(definition), std::move(ranks));
  if (!tokenizer.ok()) return tokenizer.error().WithContext(path.string());
  return tokenizer;
}

Result<std::shared_ptr<const Tokenizer>> LoadTiktokenJson(std::string_view spec,
                                                          const fs::path& path) {
  TP_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  auto file = ParseTiktokenJson(spec, text);
  if (!file.ok()) return file.error().WithContext(path.string());
  // @anthropic-ai/tokenizer's claude.json is claude-legacy, which normalises to NFKC first
  // (the package's countTokens does): by path it must give the built-in's ids. It is
  // recognised by content (pattern, special tokens and every rank), whatever its name; its
  // explicit_n_vocab is wrong and unused by the package, as the build's packing notes.
  TiktokenDefinition packed = file->definition;
  packed.explicit_n_vocab.reset();
  const bool claude_legacy = ClaudeLegacyBlob().starts_with(SerializeTiktokenBlob(packed, file->tokens));
  if (claude_legacy) file->definition.explicit_n_vocab.reset();
  TP_ASSIGN_OR_RETURN(RankTable ranks, RankTable::Build(std::move(file->tokens)));
  auto tokenizer = TiktokenTokenizer::Create(std::move(file->definition), std::move(ranks));
  if (!tokenizer.ok()) return tokenizer.error().WithContext(path.string());
  if (claude_legacy) return WrapClaudeLegacy(std::string(spec), std::move(*tokenizer));
  return tokenizer;
}

Result<std::shared_ptr<const Tokenizer>> LoadSentencePieceModel(std::string_view spec,
                                                                const fs::path& path) {
  TP_ASSIGN_OR_RETURN(const std::string model_proto, ReadWholeFile(path));
  return SentencePieceTokenizer::Create(std::string(spec), model_proto);
}

// Returns the built-in encoding a rank file's name starts with ("cl100k_base.tiktoken").
std::string BaseFromFileName(const fs::path& path) {
  const std::string stem = path.stem().string();
  std::string best;
  for (const BuiltinEntry& entry : BuiltinTokenizers().entries()) {
    if (stem.rfind(entry.name, 0) == 0 && entry.name.size() > best.size()) best = entry.name;
  }
  return best;
}

Result<std::shared_ptr<const Tokenizer>> LoadPath(std::string_view spec) {
  std::string base_name;
  fs::path path{std::string(spec)};
  if (const size_t colon = spec.find(':'); colon != std::string_view::npos &&
                                           BuiltinTokenizers().Find(spec.substr(0, colon))) {
    base_name = std::string(spec.substr(0, colon));
    path = std::string(spec.substr(colon + 1));
  }
  std::error_code error;
  if (!fs::exists(path, error)) {
    return NotFoundError("no tokenizer '" + std::string(spec) + "': not a built-in (" +
                         BuiltinTokenizers().Names() + ") and no such file");
  }
  // A model folder: its tokenizer.json, or else its SentencePiece tokenizer.model (when both
  // are there, tokenizer.json describes the same tokenizer with its post-processor and wins).
  if (fs::is_directory(path, error)) {
    if (fs::exists(path / "tokenizer.json", error)) {
      return LoadHfTokenizerJson(spec, path / "tokenizer.json");
    }
    if (fs::exists(path / "tokenizer.model", error)) {
      return LoadSentencePieceModel(spec, path / "tokenizer.model");
    }
  }
  // A device or FIFO named like a tokenizer, or a folder without one, is refused before
  // anything is read from it.
  if (!fs::is_regular_file(path, error)) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return NotFoundError(path.string() + ": no such tokenizer file or folder");
    const std::string kind = S_ISDIR(st.st_mode) ? "a folder without tokenizer.json or tokenizer.model"
                                                 : std::string(io::FileKindName(st.st_mode));
    return InvalidArgumentError(path.string() + ": is " + kind +
                                ", not a regular file (a tokenizer is a file or a model folder)");
  }
  if (path.extension() == ".model") return LoadSentencePieceModel(spec, path);
  if (path.extension() == ".tiktoken" || !base_name.empty()) {
    if (base_name.empty()) base_name = BaseFromFileName(path);
    if (base_name.empty()) {
      return InvalidArgumentError(path.string() +
                                  ": a .tiktoken file has no pattern; name the encoding it "
                                  "belongs to, as in cl100k_base:" + path.string());
    }
    return LoadTiktokenRanks(spec, base_name, path);
  }
  if (path.extension() == ".json") {
    // tiktoken JSON files name "bpe_ranks" after their short pattern and special tokens.
    TP_ASSIGN_OR_RETURN(const std::string head, ReadHead(path, 1 << 16));
    if (head.find("\"bpe_ranks\"") != std::string::npos) return LoadTiktokenJson(spec, path);
    return LoadHfTokenizerJson(spec, path);
  }
  return UnimplementedError(path.string() + ": unknown tokenizer file kind");
}

}  // namespace

const Registry<BuiltinEntry>& BuiltinTokenizers() {
  static const Registry<BuiltinEntry>* registry = [] {
    auto* built = new Registry<BuiltinEntry>();
    // Registration of fixed names cannot fail except by a duplicate, which is a bug.
    if (!RegisterBuiltinTiktoken(*built).ok()) std::abort();
    if (!RegisterBuiltinClaude(*built).ok()) std::abort();
    return built;
  }();
  return *registry;
}

Result<std::shared_ptr<const Tokenizer>> LoadTokenizer(std::string_view spec) {
  if (BuiltinTokenizers().Find(spec) != nullptr) return LoadBuiltin(spec);
  return LoadPath(spec);
}

std::vector<BuiltinTokenizerInfo> ListBuiltinTokenizers() {
  std::vector<BuiltinTokenizerInfo> out;
  for (const BuiltinEntry& entry : BuiltinTokenizers().entries()) {
    out.push_back({entry.name, entry.description});
  }
  return out;
}

}  // namespace tunepack::tokenize
