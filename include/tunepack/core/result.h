// Result<T>: a value or the Status that explains why there is none.
//
// Member names follow std::expected (has_value, value, error, value_or, operator*, ->) so
// that moving to std::expected<T, Status> later is an alias change. g++ 12 offers
// <expected> only under -std=c++2b, which is why this exists.
#pragma once

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "tunepack/core/status.h"

namespace tunepack {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "use Status, not Result<Status>");

 public:
  // Constructs a Result holding a value.
  Result(const T& value) : state_(std::in_place_index<0>, value) {}  // NOLINT: implicit
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, Status> &&
                                                    !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  // Constructs a Result holding an error; `status` must not be OK.
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    if (std::get<1>(state_).ok()) {
      std::get<1>(state_) = InternalError("Result constructed from an OK status");
    }
  }

  bool has_value() const { return state_.index() == 0; }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  // Returns the value. Calling it on an error is a bug and aborts.
  T& value() & { return CheckedValue(); }
  const T& value() const& { return const_cast<Result*>(this)->CheckedValue(); }
  T&& value() && { return std::move(CheckedValue()); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(CheckedValue()); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Returns the error; an OK status when there is a value.
  Status error() const { return has_value() ? Status::Ok() : std::get<1>(state_); }
  // Returns the same as error(), for symmetry with Status.
  Status status() const { return error(); }

  // Returns the value, or `fallback` when there is an error.
  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  // Calls `f(value)` (which returns a Result) or passes the error on.
  template <typename F>
  auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
    if (!has_value()) return std::get<1>(state_);
    return std::forward<F>(f)(std::get<0>(state_));
  }

 private:
  T& CheckedValue() {
    if (!has_value()) std::abort();  // a bug in the caller, never bad input
    return std::get<0>(state_);
  }

  std::variant<T, Status> state_;
};

namespace internal {
template <typename T>
bool IsOk(const Result<T>& r) { return r.has_value(); }
template <typename T>
Status ErrorOf(const Result<T>& r) { return r.error(); }
}  // namespace internal

}  // namespace tunepack

#define TP_CONCAT_INNER_(a, b) a##b
#define TP_CONCAT_(a, b) TP_CONCAT_INNER_(a, b)

// TP_ASSIGN_OR_RETURN(lhs, expr): evaluates the Result `expr`; on error returns its Status
// from the enclosing function, otherwise moves the value into `lhs` (which may declare it).
//
// Example:
//   TP_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
#define TP_ASSIGN_OR_RETURN(lhs, expr) \
  TP_ASSIGN_OR_RETURN_IMPL_(TP_CONCAT_(tp_result_, __LINE__), lhs, expr)
#define TP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.has_value()) return tmp.error();       \
  lhs = std::move(tmp).value()
