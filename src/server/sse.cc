#include "server/sse.h"

#include <charconv>

namespace tunepack::server {

std::string SseFrame(uint64_t id, std::string_view kind, std::string_view data) {
  std::string frame = "id: " + std::to_string(id) + "\nevent: ";
  frame.append(kind);
  frame += "\ndata: ";
  frame.append(data);
  frame += "\n\n";
  return frame;
}

std::optional<uint64_t> ParseEventId(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  uint64_t id = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), id);
  if (error != std::errc() || end != value.data() + value.size() || value.empty()) return std::nullopt;
  return id;
}

}  // namespace tunepack::server
