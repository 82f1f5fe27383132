// `tunepack tokenize --tokenizer SPEC`: JSONL {"text": ...} lines on stdin, one JSON array of
// token ids per line on stdout (DESIGN.md, "Interfaces that outside checks rely on").
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::cli {
namespace {

struct TokenizeFlags {
  std::string tokenizer;
  bool add_special = false;
  bool allow_special = false;
};

// Returns the "text" string of one JSONL line, or an error naming what is wrong.
Result<std::string> TextOfLine(const std::string& line) {
  const nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded()) return InvalidArgumentError("not valid JSON");
  if (!record.is_object()) return InvalidArgumentError("not a JSON object");
  const auto text = record.find("text");
  if (text == record.end() || !text->is_string()) {
    return InvalidArgumentError("no string field \"text\"");
  }
  return text->get<std::string>();
}

void AppendIds(const std::vector<tokenize::TokenId>& ids, std::string& out) {
  out.push_back('[');
  char digits[16];
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) out.push_back(',');
    const auto result = std::to_chars(digits, digits + sizeof(digits), ids[i]);
    out.append(digits, result.ptr);
  }
  out += "]\n";
}

int RunTokenize(const TokenizeFlags& flags) {
  auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
  if (!tokenizer.ok()) return Fail(tokenizer.error());
  tokenize::EncodeOptions options;
  options.add_special = flags.add_special;
  options.allow_special = flags.allow_special;

  std::string line;
  std::string out;
  std::vector<tokenize::TokenId> ids;
  uint64_t line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // not a record
    auto text = TextOfLine(line);
    if (!text.ok()) {
      std::fflush(stdout);
      return Fail(text.error().WithContext("<stdin>:" + std::to_string(line_number)));
    }
    ids.clear();
    if (Status status = (*tokenizer)->Encode(*text, options, &ids); !status.ok()) {
      return Fail(status.WithContext("<stdin>:" + std::to_string(line_number)));
    }
    AppendIds(ids, out);
    if (out.size() > (1 << 16)) {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return kExitOk;  // EPIPE
      out.clear();
    }
  }
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
