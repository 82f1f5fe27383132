#include "tokenize/unicode_props.h"

#include <utf8proc.h>

#include <array>
#include <atomic>

namespace tunepack::tokenize {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr int kBlockBits = 8;
constexpr size_t kBlockSize = size_t{1} << kBlockBits;
constexpr size_t kBlockCount = (kMaxCodePoint + 1) / kBlockSize;

// The Unicode White_Space property (PropList.txt): what `\s` matches in the Rust regex crate.
// Note U+001C..U+001F are not White_Space although Python's str.isspace() says they are.
bool IsWhiteSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

uint8_t ComputeClass(char32_t cp) {
  uint8_t bits = 0;
  if (IsWhiteSpace(cp)) bits |= kClassSpace;
  if (cp == '\r' || cp == '\n') bits |= kClassNewline;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
      bits |= kClassLetter | kClassUpperish;
      break;
    case UTF8PROC_CATEGORY_LL:
      bits |= kClassLetter | kClassLowerish;
      break;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      bits |= kClassLetter | kClassUpperish | kClassLowerish;
      break;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      bits |= kClassMark | kClassUpperish | kClassLowerish;
      break;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      bits |= kClassNumber;
      break;
    default:
      break;
  }
  return bits;
}

// A two-stage table: the classes of each block of 256 code points, computed the first time a
// character of the block is looked up. Building the classes of all 1.1 million code points
// at start-up took about as long as tokenizing a megabyte of text, in every process, while
// a text meets a few dozen blocks. A block is computed once; threads that race to compute
// the same block agree on its contents, and the first one stored is kept.
class ClassTable {
 public:
  uint8_t Get(char32_t cp) {
    const size_t index = cp >> kBlockBits;
    const uint8_t* block = blocks_[index].load(std::memory_order_acquire);
    if (block == nullptr) block = Compute(index);
    return block[cp & (kBlockSize - 1)];
  }

 private:
  const uint8_t* Compute(size_t index) {
    auto* block = new uint8_t[kBlockSize];
    for (size_t i = 0; i < kBlockSize; ++i) {
      block[i] = ComputeClass(static_cast<char32_t>(index * kBlockSize + i));
    }
    const uint8_t* expected = nullptr;
    if (!blocks_[index].compare_exchange_strong(expected, block, std::memory_order_acq_rel)) {
      delete[] block;
      return expected;
    }
    return block;
  }
  // Blocks live as long as the process (they are never freed: lookups may run until exit).
  std::array<std::atomic<const uint8_t*>, kBlockCount> blocks_{};
};

ClassTable& Table() {
  static ClassTable* table = new ClassTable();
  return *table;
}

}  // namespace

uint8_t ClassOfNonAscii(char32_t cp) {
  if (cp > kMaxCodePoint) return 0;
  return Table().Get(cp);
}

}  // namespace tunepack::tokenize
