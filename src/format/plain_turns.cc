// Plain chat records straight from their text; why that is safe, in plain_turns.h.
#include "format/plain_turns.h"

#include <array>

#include <simdjson.h>

#include "tunepack/format/plain_record.h"

namespace tunepack::format::internal {
namespace {

// Returns messages[index] made a default Message, a new one past the end. Turns are read in
// order, so `index` is at most messages.size(). Moving an empty string into a string keeps
// the room it has (libstdc++ copies a short string into it), so the text is written there.
Message& NextTurn(std::vector<Message>& messages, size_t index) {
  if (index == messages.size()) return messages.emplace_back();
  messages[index] = Message();
  return messages[index];
}

}  // namespace

bool ReadPlainTurns(std::string_view json, const PlainTurnShape& shape, Example& out) {
  // The DOM parse and the DOM readers cost as much as rendering half a Qwen3 conversation;
  // a plain record needs neither a DOM nor the field paths errors would name.
  thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  if (parser.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING).get(document) !=
      simdjson::SUCCESS) {
    return false;
  }
  // The record's turns are written over the messages `out` holds, whose strings keep their
  // room: a worker reading record after record into one example allocates for few of them.
  size_t turn_count = 0;
  auto refuse = [&] {
    out.messages.clear();
    return false;
  };
  simdjson::ondemand::object record;
  if (document.get_object().get(record) != simdjson::SUCCESS) return false;
  bool has_list = false;
  // Keys are compared as written, not unescaped: a key spelt with escapes matches none, and
  // its record goes to the DOM reader.
  for (auto field : record) {
    simdjson::ondemand::raw_json_string key;
    simdjson::ondemand::array turns;
    if (field.key().get(key) != simdjson::SUCCESS || !key.unsafe_is_equal(shape.list) || has_list ||
        field.value().get_array().get(turns) != simdjson::SUCCESS) {
      return refuse();
    }
    has_list = true;
    // The count is not known before the turns are read; most conversations fit in eight,
    // which spares the moves of growing the vector from one.
    out.messages.reserve(8);
    for (auto item : turns) {
      simdjson::ondemand::object turn;
      if (item.get_object().get(turn) != simdjson::SUCCESS) return refuse();
      Message& message = NextTurn(out.messages, turn_count++);
      bool has_role = false, has_text = false, has_name = false;
      for (auto part : turn) {
        simdjson::ondemand::raw_json_string name;
        std::string_view value;
        if (part.key().get(name) != simdjson::SUCCESS || part.value().get_string().get(value) != simdjson::SUCCESS) {
          return refuse();
        }
        if (name.unsafe_is_equal(shape.role) && !has_role) {
          std::optional<Role> role = shape.plain_role(value);
          if (!role) return refuse();
          message.role = *role;
          has_role = true;
        } else if (name.unsafe_is_equal(shape.text) && !has_text) {
          message.content = value;
          has_text = true;
        } else if (!shape.name.empty() && name.unsafe_is_equal(shape.name) && !has_name) {
          message.name = value;
          has_name = true;
        } else {
          return refuse();
        }
      }
      if (!has_role || !has_text) return refuse();
    }
  }
  // Nothing may follow the object: the location is out of bounds once it is all read.
  if (!has_list || turn_count == 0 || document.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return refuse();
  }
  out.messages.resize(turn_count);
  out.kind = ExampleKind::kConversation;
  return true;
}

}  // namespace tunepack::format::internal

namespace tunepack::format {

bool ReadPlainRecord(const Format& format, std::string_view json, Example& out) {
  static const std::array<internal::PlainTurnShape, 2> kShapes = {internal::OpenAiPlainShape(),
                                                                   internal::ShareGptPlainShape()};
  for (const internal::PlainTurnShape& shape : kShapes) {
    if (shape.format == format.name) return internal::ReadPlainTurns(json, shape, out);
  }
  return false;
}

}  // namespace tunepack::format
