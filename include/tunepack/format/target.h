// Targets: the services and trainers a dataset is made for (OpenAI fine-tuning, Bedrock,
// Vertex, TRL, LLaMA-Factory...), each a named bundle of the formats it takes, how its
// files are named, the turn rules its documentation states and its published limits.
//
// `export --target NAME` writes the target's format and refuses examples that break its
// rules; `convert --to NAME` does the same; `validate --target NAME` checks any file against
// the same rules and limits; `tunepack targets` lists them. A limit the documentation does
// not state is kept as unknown (with what was looked at), never guessed.
// Sources: docs/targets.md cites each with the date it was read.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/registry.h"
#include "tunepack/core/result.h"

namespace tunepack::format {

// Limit: a number a service or trainer publishes, with where it was read. `value` is empty
// when the documentation does not state it; `source` then says what was looked at.
struct Limit {
  std::optional<uint64_t> value;
  std::string source;  ///< "docs.aws.amazon.com/... (read 2026-12-06)"
};

// TurnRules: the order of turns a target accepts, as its documentation states it. Leading
// system messages are set apart first; the rules apply to the messages after them.
struct TurnRules {
  size_t max_leading_system = std::numeric_limits<size_t>::max();  ///< system messages at the start
  bool system_only_first = false;  ///< no system message after the first non-system one
  std::vector<Role> roles;         ///< roles allowed after the system messages; empty: any
  bool user_first = false;         ///< the first message after the system ones is the user's
  bool alternate = false;          ///< user and assistant alternate (tool turns not allowed)
  bool assistant_last = false;     ///< the last message is the assistant's
  size_t min_messages = 0;         ///< messages after the system ones
  size_t tool_call_id_length = 0;  ///< every tool call id and tool_call_id has this length (0: any)
  // Preference data: each answer (chosen, rejected) is exactly one assistant message.
  bool single_message_answers = false;
};

// Returns InvalidArgument naming the first rule `example` breaks ("bedrock-claude: the
// first message must be the user's (messages[0] is assistant)"), or OK. Preference examples
// are checked on their prompt with each answer appended.
Status CheckTurnRules(const TurnRules& rules, const Example& example, std::string_view who);

// TargetFile: a data file an export wrote for a target, for its companion file.
struct TargetFile {
  std::string path;    ///< where to read it now
  std::string name;    ///< file name inside the output folder ("train.jsonl")
  std::string split;   ///< the split it holds ("train")
  std::string format;  ///< the format it is written in
};

// Target: one service or trainer.
struct Target {
  std::string name;         ///< "bedrock-claude"
  std::string description;  ///< one line for `tunepack targets`
  // The formats the target takes; the first is what `export --target` writes unless
  // --format names another of them.
  std::vector<std::string> formats;
  std::string file_naming;  ///< how its data files are named, as the target expects them
  TurnRules rules;
  bool no_extra_keys = false;        ///< a record key outside the format's own is an error
  bool one_format_per_file = false;  ///< a file mixing two of `formats` (or a record matching two) is refused
  Limit min_examples;
  Limit max_examples;
  Limit max_file_bytes;
  Limit max_tokens_per_example;  ///< in the service's own tokens
  std::string notes;             ///< what else a user should know (deprecations, truncation)
  // Targets that need a file beside the data (LLaMA-Factory's dataset_info.json): its name
  // and a function returning its text for the written data files. Null for none.
  std::string companion_file;
  std::function<Result<std::string>(std::string_view dataset_name, const std::vector<TargetFile>& files)>
      companion;
};

using TargetRegistry = Registry<Target>;

// Returns the registry of built-in targets.
const TargetRegistry& BuiltinTargets();

// Returns the target called `name`, or NotFound listing the valid names.
Result<const Target*> FindTarget(std::string_view name);

// Returns the format a run for `target` writes: `format` when it is one of the target's
// formats, its first format when `format` is empty; InvalidArgument saying which formats
// the target takes otherwise.
Result<std::string> TargetFormat(const Target& target, std::string_view format);

// Returns a limit as "512 MB", "10,000" or "unknown" for docs and messages.
std::string DescribeLimit(const Limit& limit, bool bytes = false);

// Returns what a data file of `records` examples and `bytes` bytes breaks of `target`'s
// known limits (too few or too many examples, too large), one message each, citing the
// limit's source. Unknown limits are not checked.
std::vector<std::string> CheckTargetFile(const Target& target, uint64_t records, uint64_t bytes);

// Returns the names of `target`'s formats whose shape `record` has. A record matching two
// is refused by targets that take one format per file (Together).
std::vector<std::string> MatchingTargetFormats(const Target& target, simdjson::dom::element record);

}  // namespace tunepack::format
