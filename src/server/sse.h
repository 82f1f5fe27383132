// Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tunepack::server {

// Returns one event: "id: <id>\nevent: <kind>\ndata: <data>\n\n". `data` is one line of JSON
// (it holds no newline, so one data field carries it).
std::string SseFrame(uint64_t id, std::string_view kind, std::string_view data);

// Returns a comment line that keeps an idle connection open through proxies.
inline std::string SseKeepAlive() { return ": keep-alive\n\n"; }

// Parses a Last-Event-ID header value (a decimal id); nullopt when it is not one.
std::optional<uint64_t> ParseEventId(std::string_view value);

}  // namespace tunepack::server
