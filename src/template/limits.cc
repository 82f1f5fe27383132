#include "template/limits.h"

#include <pthread.h>

#include <cmath>

#include "tunepack/template/value.h"

namespace tunepack::jinja {
namespace {

thread_local RenderBudget default_budget;
thread_local RenderBudget* current_budget = nullptr;

// The lowest address of this thread's stack, looked up once per thread (for the main
// thread glibc reads /proc/self/maps, too slow to do per render).
uintptr_t ThreadStackLow() {
  thread_local uintptr_t low = [] {
    uintptr_t result = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) result = reinterpret_cast<uintptr_t>(addr);
      pthread_attr_destroy(&attr);
    }
    return result;
  }();
  return low;
}

}  // namespace

thread_local int ValueDepthGuard::depth_ = 0;

void RenderBudget::ThrowOperations() const {
  Throw("the render did more than " + std::to_string(max_operations) +
            " operations (statements, calls and items walked); a loop or recursion does too much work",
        StatusCode::kResourceExhausted);
}

RenderBudget& CurrentBudget() { return current_budget != nullptr ? *current_budget : default_budget; }

BudgetScope::BudgetScope(RenderBudget* budget) : previous_(current_budget) { current_budget = budget; }
BudgetScope::~BudgetScope() { current_budget = previous_; }

uintptr_t RenderStackLimit() {
  const uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t limit = here > kMaxRenderStackBytes ? here - kMaxRenderStackBytes : 0;
  // Keep a margin for the frames below the last check (a filter, a JSON dump).
  constexpr uintptr_t kMargin = 512u << 10;
  const uintptr_t low = ThreadStackLow();
  if (low != 0 && limit < low + kMargin) limit = low + kMargin;
  return limit;
}

void CheckValueBytes(uint64_t bytes) {
  const uint64_t cap = CurrentBudget().max_value_bytes;
  if (bytes > cap) {
    Throw("value larger than " + std::to_string(cap) + " bytes", StatusCode::kResourceExhausted);
  }
}

void CheckListItems(uint64_t items) {
  if (items > kMaxListItems) {
    Throw("list longer than " + std::to_string(kMaxListItems) + " items", StatusCode::kResourceExhausted);
  }
}

void ThrowIntegerOverflow(std::string_view what) {
  Throw("integer overflow: " + std::string(what) + " does not fit in 64 bits (tunepack's integers are 64-bit)",
        StatusCode::kOutOfRange);
}

int64_t TruncateToInt(double d) {
  if (std::isnan(d)) Throw("cannot convert float NaN to integer");
  if (std::isinf(d)) Throw("cannot convert float infinity to integer", StatusCode::kOutOfRange);
  const double t = std::trunc(d);
  // [-2**63, 2**63) holds exactly the doubles that convert without overflow.
  if (t < -9223372036854775808.0 || t >= 9223372036854775808.0) {
    std::string text = "int(";
    AppendPyFloat(d, text);
    ThrowIntegerOverflow(text + ")");
  }
  return static_cast<int64_t>(t);
}

void ValueDepthGuard::ThrowTooDeep() {
  Throw("maximum recursion depth exceeded: a list or dict nested more than " + std::to_string(kMaxValueDepth) +
            " levels deep",
        StatusCode::kResourceExhausted);
}

}  // namespace tunepack::jinja
