// Messages in OpenAI's shape ({"role","content","name","tool_calls","tool_call_id","weight"}),
// read and written the one way: the openai format and the preference formats whose turns
// are OpenAI messages (openai-dpo, trl-preference, trl-kto) share them.
#pragma once

#include <string>
#include <vector>

#include <simdjson.h>

#include "format/json_fields.h"
#include "format/openai_content_parts.h"
#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// Reads one message at `field`; fields of it that tunepack does not model go to
// out.unread_fields under their path ("messages[2].refusal"). With `images`, content given
// as parts is read (format/openai_content_parts.h), its image urls appended there; without,
// content parts are refused.
Status ReadOpenAiMessage(simdjson::dom::element value, const FieldPath& field, Message& message,
                         Example& out, std::vector<std::string>* images = nullptr);
// Reads the array of messages at `field`, appending them to `messages`.
Status ReadOpenAiMessages(simdjson::dom::element value, const FieldPath& field,
                          std::vector<Message>& messages, Example& out);

// Appends one message as a JSON object (key order: role, content, name, tool_calls,
// tool_call_id, weight; absent fields left out). With `images`, content holding "<image>"
// placeholders is written as content parts taking the next urls.
void AppendOpenAiMessage(const Message& message, std::string& out, ImageCursor* images = nullptr);
// Appends a JSON array of messages.
void AppendOpenAiMessages(const std::vector<Message>& messages, std::string& out,
                          ImageCursor* images = nullptr);

// Returns the tool schemas `tools` (a JSON array) in OpenAI's shape,
// {"type":"function","function":{...}}; bare {name, description, parameters} schemas are
// wrapped, typed ones kept.
Result<std::string> OpenAiToolSchemas(const std::string& tools);

}  // namespace tunepack::format::internal
