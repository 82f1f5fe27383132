// `tunepack tokenize --tokenizer SPEC`: JSONL {"text": ...} lines on stdin, one JSON array of
// token ids per line on stdout (docs/architecture.md, "Interfaces others rely on").
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/core/decimal_text.h"
#include "tunepack/io/file.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::cli {
namespace {

struct TokenizeFlags {
  std::string tokenizer;
  bool add_special = false;
  bool allow_special = false;
};

// Returns the "text" string of one JSONL line (the last one, when a key repeats, as a JSON
// object reader that keeps the last value does), or an error naming what is wrong. The
// line is parsed in full (simdjson's DOM validates the whole document and its UTF-8); the
// returned view lives until the next call. `line` must have simdjson::SIMDJSON_PADDING
// readable bytes after it.
Result<std::string_view> TextOfLine(simdjson::dom::parser& parser, std::string_view line) {
  simdjson::dom::element record;
  if (parser.parse(line.data(), line.size(), false).get(record) != simdjson::SUCCESS) {
    return InvalidArgumentError("not valid JSON");
  }
  simdjson::dom::object object;
  if (record.get(object) != simdjson::SUCCESS) return InvalidArgumentError("not a JSON object");
  std::optional<simdjson::dom::element> text;
  for (const simdjson::dom::key_value_pair field : object) {
    if (field.key == "text") text = field.value;
  }
  std::string_view value;
  if (!text || text->get(value) != simdjson::SUCCESS) {
    return InvalidArgumentError("no string field \"text\"");
  }
  return value;
}

// Calls on_line(line) for each line of standard input (without its '\n'), read in large
// blocks; each line has simdjson::SIMDJSON_PADDING readable bytes after it. Stops at the
// first error on_line or the read returns.
template <typename OnLine>
Status ForEachStdinLine(OnLine&& on_line) {
  TP_ASSIGN_OR_RETURN(auto input, io::InputFile::Open("-"));
  constexpr size_t kBlock = size_t{1} << 20;
  std::vector<char> buffer(kBlock + simdjson::SIMDJSON_PADDING);
  size_t begin = 0;  // start of the line not yet handed out
  size_t end = 0;    // end of the bytes read
  bool at_end = false;
  while (!at_end) {
    if (begin > 0) {  // keep the partial line at the front
      std::memmove(buffer.data(), buffer.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (buffer.size() - end < kBlock / 2 + simdjson::SIMDJSON_PADDING) {
      buffer.resize(buffer.size() * 2);  // a line longer than the buffer
    }
    TP_ASSIGN_OR_RETURN(const size_t got,
                        input->Read(buffer.data() + end, buffer.size() - end - simdjson::SIMDJSON_PADDING));
    at_end = got == 0;
    const size_t scanned = end;
    end += got;
    const char* data = buffer.data();
    for (size_t from = scanned;;) {
      const void* newline = std::memchr(data + from, '\n', end - from);
      if (newline == nullptr) break;
      const size_t line_end = static_cast<const char*>(newline) - data;
      TP_RETURN_IF_ERROR(on_line(std::string_view(data + begin, line_end - begin)));
      begin = line_end + 1;
      from = begin;
    }
  }
  if (end > begin) TP_RETURN_IF_ERROR(on_line(std::string_view(buffer.data() + begin, end - begin)));
  return Status::Ok();
}

// Standard output through one fixed block: the ids are written as text straight into it, and
// it goes out whenever a token might not fit, so no byte is zeroed, resized or copied before
// it is written. A line may go out in parts, but nothing can stop it between them but a
// closed output, so what a failure leaves on standard output is whole lines.
class IdLineWriter {
 public:
  // Standard output unbuffered: each block goes out in one write, rather than stdio's
  // buffer's worth (4 KB to a pipe) and then the rest. Nothing is written before this.
  IdLineWriter() { std::setvbuf(stdout, nullptr, _IONBF, 0); }

  // Appends "[id,id,...]\n". Returns false when standard output is closed (EPIPE).
  bool WriteLine(std::span<const tokenize::TokenId> ids) {
    if (!Reserve(kIdRoom)) return false;
    *at_++ = '[';
    // As many ids at a time as the block has room for, then out with the block.
    while (!ids.empty()) {
      if (!Reserve(kIdRoom)) return false;
      const size_t fit = std::min(ids.size(), static_cast<size_t>(end_ - at_) / kIdRoom);
      at_ = decimal_.WriteWithCommas(ids.first(fit), at_);
      ids = ids.subspan(fit);
      if (ids.empty()) --at_;  // the last comma; the room reserved for it holds "]\n"
    }
    *at_++ = ']';
    *at_++ = '\n';
    return true;
  }

  // Writes out what the block holds. Returns false when standard output is closed.
  bool Flush() {
    const size_t size = at_ - block_.get();
    at_ = block_.get();
    return std::fwrite(block_.get(), 1, size, stdout) == size;
  }

 private:
  static constexpr size_t kBlock = size_t{1} << 16;
  // One id's digits and comma (with WriteDecimal's scratch), or "[" or "]\n".
  static constexpr size_t kIdRoom = kWriteDecimalRoom;

  bool Reserve(size_t bytes) { return static_cast<size_t>(end_ - at_) >= bytes || Flush(); }

  DecimalCommaTable decimal_;
  std::unique_ptr<char[]> block_ = std::make_unique_for_overwrite<char[]>(kBlock);
  char* at_ = block_.get();
  const char* const end_ = block_.get() + kBlock;
};

int RunTokenize(const TokenizeFlags& flags) {
  auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
  if (!tokenizer.ok()) return Fail(tokenizer.error());
  tokenize::EncodeOptions options;
  options.add_special = flags.add_special;
  options.allow_special = flags.allow_special;

  simdjson::dom::parser parser;
  IdLineWriter writer;
  std::vector<tokenize::TokenId> ids;
  uint64_t line_number = 0;
  bool stdout_closed = false;
  // A failure inside the loop is reported here, with its line; the loop only stops.
  int exit_code = kExitOk;
  const Status read = ForEachStdinLine([&](std::string_view line) -> Status {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return Status::Ok();  // not a record
    auto text = TextOfLine(parser, line);
    if (!text.ok()) {
      writer.Flush();
      std::fflush(stdout);
      exit_code = Fail(text.error().WithContext("<stdin>:" + std::to_string(line_number)));
      return CancelledError("stopped");
    }
    ids.clear();
    if (Status status = (*tokenizer)->Encode(*text, options, &ids); !status.ok()) {
      writer.Flush();
      exit_code = Fail(status.WithContext("<stdin>:" + std::to_string(line_number)));
      return CancelledError("stopped");
    }
    if (!writer.WriteLine(ids)) {
      stdout_closed = true;
      return CancelledError("stdout closed");
    }
    return Status::Ok();
  });
  if (exit_code != kExitOk) return exit_code;
  if (stdout_closed) return kExitOk;
  if (!read.ok()) return Fail(read);
  writer.Flush();
  return kExitOk;
}

}  // namespace

void RegisterTokenizeCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<TokenizeFlags>();
  CLI::App* sub = app.add_subcommand(
      "tokenize",
      "Tokenize JSONL lines {\"text\": ...} from stdin; writes one JSON array of token ids per "
      "line to stdout. Blank lines are skipped.");
  sub->add_option("--tokenizer", flags->tokenizer,
                  "A built-in name (see `tunepack tokenizers`) or a path to a tokenizer file")
      ->required();
  sub->add_flag("--add-special", flags->add_special,
                "Add BOS/EOS the way the tokenizer's post-processor does (tiktoken encodings "
                "have none, so nothing is added for them)");
  sub->add_flag("--allow-special", flags->allow_special,
                "Encode special-token strings found in the text (such as <|endoftext|>) as "
                "their special tokens");
  sub->footer(
      "Special-token strings that occur in the text are encoded as ordinary text unless "
      "--allow-special is given, so document text can never forge a control token.");
  sub->callback([flags, &context] { context.exit_code = RunTokenize(*flags); });
}

}  // namespace tunepack::cli
