// Bearer-token authentication of API requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tunepack::server {

// Returns whether `given` equals `expected`, in time that depends only on their lengths, so
// a client cannot learn the token a byte at a time from response times.
bool TokenMatches(std::string_view expected, std::string_view given);

// Returns the token of an "Authorization: Bearer <token>" header value, or nullopt when the
// value is not of that form (the scheme is case-insensitive, as RFC 7235 says).
std::optional<std::string_view> BearerToken(std::string_view authorization);

// Returns `n` random bytes from the system's random source, as 2n lower-case hex digits, or
// nullopt when the source cannot be read.
std::optional<std::string> RandomHex(size_t n);

}  // namespace tunepack::server
