// Limits that keep a hostile template (or hostile JSON handed to one) from crashing the
// process or exhausting its memory or time. Each is a clear error instead:
// - nesting: the parser refuses templates nested deeper than kMaxTemplateNesting, and a
//   render refuses to use more than kMaxRenderStackBytes of stack (macro recursion times
//   nesting); printing, comparing and serialising values refuse lists and dicts nested
//   deeper than kMaxValueDepth, as do the JSON readers (ParseJson);
// - size: no string a template builds may pass TemplateOptions::max_output_bytes (checked
//   before or while it is built, not after), no list kMaxListItems;
// - work: a render may run TemplateOptions::max_operations operations (statements, calls,
//   items walked by filters), so exponential recursion stops in a fraction of a second.
// docs/templates.md ("Limits") lists them for users.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "template/object.h"

namespace tunepack::jinja {

inline constexpr int kMaxTemplateNesting = 256;
inline constexpr int kMaxValueDepth = 512;
inline constexpr uint64_t kMaxListItems = 10'000'000;
inline constexpr size_t kMaxRenderStackBytes = size_t{4} << 20;
// raise_exception(message) keeps this many bytes of its message.
inline constexpr size_t kMaxExceptionMessageBytes = 4096;

// RenderBudget: what one render (with its includes, imports and macro calls) may still use.
struct RenderBudget {
  uint64_t max_value_bytes = uint64_t{256} << 20;
  uint64_t max_operations = 0;  ///< 0: not counted (outside a render)
  uint64_t operations = 0;
  uintptr_t stack_limit = 0;  ///< lowest stack address the render may reach; 0: unchecked

  // Counts `n` operations; throws ResourceExhausted past max_operations.
  void Charge(uint64_t n) {
    operations += n;
    if (max_operations != 0 && operations > max_operations) ThrowOperations();
  }
  [[noreturn]] void ThrowOperations() const;
};

// Returns the budget of the render running on this thread (a default one outside a render).
RenderBudget& CurrentBudget();

// BudgetScope: makes `budget` the current one for its lifetime (renders nest: a macro of
// an imported template runs inside the importing template's render).
class BudgetScope {
 public:
  explicit BudgetScope(RenderBudget* budget);
  ~BudgetScope();
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

 private:
  RenderBudget* previous_;
};

// Returns the lowest stack address a render starting at the caller's frame may use:
// kMaxRenderStackBytes below it, or less when this thread's stack is smaller.
uintptr_t RenderStackLimit();

// Throws ResourceExhausted when the current frame is below the render's stack limit.
inline void CheckStack() {
  const uintptr_t limit = CurrentBudget().stack_limit;
  if (limit != 0 && reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < limit) {
    Throw("template nested too deeply: a render may use " + std::to_string(kMaxRenderStackBytes >> 20) +
              " MiB of stack (recursive macros, includes or nesting)",
          StatusCode::kResourceExhausted);
  }
}

// Throws ResourceExhausted when a string of `bytes` bytes is larger than a value may be.
void CheckValueBytes(uint64_t bytes);
// Throws ResourceExhausted when a list of `items` items is longer than a list may be.
void CheckListItems(uint64_t items);

// Returns int(d) as Python computes it; throws when that integer does not fit in 64 bits
// (Python's ints are unbounded, tunepack's are not: a clear error, never a wrapped value).
int64_t TruncateToInt(double d);
[[noreturn]] void ThrowIntegerOverflow(std::string_view what);

// ValueDepthGuard: one level of a recursive walk over a value (printing, comparing,
// serialising); the constructor throws past kMaxValueDepth levels, as Python raises
// RecursionError.
class ValueDepthGuard {
 public:
  ValueDepthGuard() {
    if (++depth_ > kMaxValueDepth) {
      --depth_;
      ThrowTooDeep();
    }
  }
  ~ValueDepthGuard() { --depth_; }
  ValueDepthGuard(const ValueDepthGuard&) = delete;
  ValueDepthGuard& operator=(const ValueDepthGuard&) = delete;

 private:
  [[noreturn]] static void ThrowTooDeep();
  static thread_local int depth_;
};

}  // namespace tunepack::jinja
