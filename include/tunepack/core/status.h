// Status: the error vocabulary of the tunepack library.
//
// Library code never throws across a module boundary and never exits: a function that can
// fail returns a Status (or a Result<T>, see result.h). The codes follow the canonical set
// used by abseil and gRPC so their meaning is familiar. The CLI turns a Status into one
// stderr line and an exit code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tunepack/core/reject_reason.h"

namespace tunepack {

// StatusCode: why an operation failed. Numeric values match the canonical codes.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,           ///< the operation was stopped on request
  kUnknown = 2,             ///< an error with no better code
  kInvalidArgument = 3,     ///< bad input or option, whatever the state of the system
  kNotFound = 5,            ///< a named file, field or entry does not exist
  kAlreadyExists = 6,       ///< a name registered twice, an output that must not be overwritten
  kPermissionDenied = 7,    ///< the caller may not do this (a path outside the allowed roots)
  kResourceExhausted = 8,   ///< a size or count limit was reached
  kFailedPrecondition = 9,  ///< the system is not in the state the operation needs
  kOutOfRange = 11,         ///< a position or value past the valid range
  kUnimplemented = 12,      ///< a feature or conversion that is not supported
  kInternal = 13,           ///< a broken invariant: a bug in tunepack
  kDataLoss = 15,           ///< unrecoverable loss or corruption of data
};

// Returns the lower-case name of `code`, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

// Status holds a code and a message; an OK status has an empty message.
//
// Example:
//   Status s = NotFoundError("no such file: in.jsonl");
//   if (!s.ok()) std::cerr << s.ToString();   // "not_found: no such file: in.jsonl"
class [[nodiscard]] Status {
 public:
  // Constructs an OK status.
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  // Returns an OK status.
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context` and ": ", e.g. a file name.
  Status WithContext(std::string_view context) const;

  // The ledger reason a reader named for this failure (a PDF with no text layer, an
  // encrypted package), carried beside the message so context added on the way up cannot
  // hide it; nothing when the failure names none.
  std::optional<RejectReason> reject_reason() const { return reject_reason_; }
  Status WithRejectReason(RejectReason reason) const;

  // Returns "code_name: message", or "ok".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.reject_reason_ == b.reject_reason_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<RejectReason> reject_reason_;
};

// Returns a Status with the code the function is named after.
Status CancelledError(std::string message);
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status PermissionDeniedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status FailedPreconditionError(std::string message);
Status OutOfRangeError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);
Status DataLossError(std::string message);

}  // namespace tunepack

// TP_RETURN_IF_ERROR(expr): returns the Status of `expr` from the enclosing function
// when it is not OK. `expr` may be a Status or a Result<T>.
#define TP_RETURN_IF_ERROR(expr)                                        \
  do {                                                                  \
    auto&& tp_status_or_result_ = (expr);                               \
    if (!::tunepack::internal::IsOk(tp_status_or_result_))              \
      return ::tunepack::internal::ErrorOf(tp_status_or_result_);       \
  } while (0)

namespace tunepack::internal {
inline bool IsOk(const Status& s) { return s.ok(); }
inline Status ErrorOf(const Status& s) { return s; }
}  // namespace tunepack::internal
