// Datasets described by an axolotl config: each entry of its `datasets:` list names a file
// (`path`), how its records are read (`type`) and, for conversations (`chat_template`), which
// field holds the turns, which keys of a turn hold its role and content, how the file's role
// names map to axolotl's and which turns are trained. tunepack reads such a file as axolotl
// does by reshaping each record into the matching tunepack format (chat_template: openai;
// alpaca; input_output: axolotl-input-output; completion: text), which then reads it with all
// its checks. What axolotl reads in a way no tunepack format can carry (user turns trained,
// per-token spans, end-of-turn tokens trained differently) is refused with the reason, never
// read differently. Reference: axolotl src/axolotl/prompt_strategies/chat_template.py
// (ChatTemplateStrategy.get_conversation_thread, transform_message), its StrategyLoader
// defaults and src/axolotl/utils/schemas/datasets.py.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/result.h"
#include "tunepack/format/record_layout.h"

namespace tunepack::format {

// AxolotlDataset: one `datasets:` entry of an axolotl config, resolved against axolotl's
// defaults and checked against the config's top-level options.
struct AxolotlDataset {
  std::string path;    ///< the entry's `path` (for messages; the inputs are given apart)
  std::string type;    ///< the entry's `type`
  std::string format;  ///< the tunepack format the reshaped records are read with

  // chat_template
  std::string field_messages = "messages";
  // message_property_mappings in the order given, {template property, key of a turn}; role
  // and content are always there (axolotl's defaults fill them in).
  std::vector<std::pair<std::string, std::string>> property_mappings;
  // `roles`, flattened {the file's role name, axolotl's}; axolotl's default map when absent.
  std::vector<std::pair<std::string, std::string>> roles;
  std::string message_field_training;  ///< a turn's key saying whether it is trained; "" none
  bool drop_system_message = false;

  // completion: the field holding the text (`field`, default "text").
  std::string text_field = "text";
};

// Reads the entry `selector` of the `datasets:` list of the axolotl config YAML at `path`:
// the entry whose `path` is `selector`, or the entry at that index (from 0) when no entry
// has it as its path; an empty selector picks the only entry. Errors name the file, the
// line and column of the YAML at fault, and the option or value tunepack does not support.
Result<AxolotlDataset> LoadAxolotlDataset(const std::string& path, std::string_view selector);

// The same from the config's text `yaml`; `path` only names the file in errors.
Result<AxolotlDataset> ParseAxolotlDataset(std::string_view yaml, std::string_view selector, const std::string& path);

// Returns `record` (a JSON object) as the JSON text `dataset.format` reads: the fields and
// turns axolotl reads, renamed to that format's. Fields axolotl does not read are kept as
// they are (they are the example's unread fields), unless the format would read them.
Result<std::string> ReshapeAxolotlRecord(const AxolotlDataset& dataset, simdjson::dom::object record);

// Returns `dataset` as the RecordLayout an export reads its records with.
std::shared_ptr<const RecordLayout> MakeRecordLayout(AxolotlDataset dataset);

}  // namespace tunepack::format
