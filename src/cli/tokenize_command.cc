// `tunepack tokenize --tokenizer SPEC`: JSONL {"text": ...} lines on stdin, one JSON array of
// token ids per line on stdout (docs/architecture.md, "Interfaces others rely on").
#include <simdjson.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
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

// Returns the number of decimal digits of `value`: its bit length times log10(2) (as
// 1233 / 4096) is the digit count or one more, which one power of ten settles.
size_t DecimalLength(uint32_t value) {
  static constexpr uint32_t kPowers[] = {0, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                         1000000000};
  const int estimate = (std::bit_width(value | 1) * 1233) >> 12;
  return estimate + 1 - (value < kPowers[estimate]);
}

// Writes `value` in decimal at `out` and returns the end: two digits per step from a table,
// backwards from the end DecimalLength gives.
char* WriteDecimal(uint32_t value, char* out) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char* const end = out + DecimalLength(value);
  char* at = end;
  while (value >= 100) {
    at -= 2;
    std::memcpy(at, kPairs + 2 * (value % 100), 2);
    value /= 100;
  }
  if (value >= 10) {
    std::memcpy(at - 2, kPairs + 2 * value, 2);
  } else {
    at[-1] = static_cast<char>('0' + value);
  }
  return end;
}

// Appends "[id,id,...]\n" to `out`, the digits written straight into room made once for
// the whole line, rather than a std::to_chars, a string append and a push_back per id.
void AppendIds(const std::vector<tokenize::TokenId>& ids, std::string& out) {
  constexpr size_t kMaxIdBytes = 11;  // ten digits and a comma
  const size_t before = out.size();
  out.resize(before + ids.size() * kMaxIdBytes + 3);
  char* at = out.data() + before;
  *at++ = '[';
  for (const tokenize::TokenId id : ids) {
    at = WriteDecimal(id, at);
    *at++ = ',';
  }
  if (!ids.empty()) --at;  // the last comma
  *at++ = ']';
  *at++ = '\n';
  out.resize(at - out.data());
}

int RunTokenize(const TokenizeFlags& flags) {
  auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
  if (!tokenizer.ok()) return Fail(tokenizer.error());
  tokenize::EncodeOptions options;
  options.add_special = flags.add_special;
  options.allow_special = flags.allow_special;

  simdjson::dom::parser parser;
  std::string out;
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
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      exit_code = Fail(text.error().WithContext("<stdin>:" + std::to_string(line_number)));
      return CancelledError("stopped");
    }
    ids.clear();
    if (Status status = (*tokenizer)->Encode(*text, options, &ids); !status.ok()) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      exit_code = Fail(status.WithContext("<stdin>:" + std::to_string(line_number)));
      return CancelledError("stopped");
    }
    AppendIds(ids, out);
    if (out.size() > (1 << 16)) {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) {  // EPIPE
        stdout_closed = true;
        return CancelledError("stdout closed");
      }
      out.clear();
    }
    return Status::Ok();
  });
  if (exit_code != kExitOk) return exit_code;
  if (stdout_closed) return kExitOk;
  if (!read.ok()) return Fail(read);
  std::fwrite(out.data(), 1, out.size(), stdout);
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
