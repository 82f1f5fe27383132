#include "tokenize/unicode_props.h"

#include <utf8proc.h>

#include <array>
#include <cstring>
#include <map>
#include <string>
#include <vector>

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

// A two-stage table: block index per 256 code points, identical blocks stored once (most
// of the code space is unassigned or uniform). Built once, on first use, in a few ms.
struct ClassTable {
  std::vector<uint16_t> block_of;  // kBlockCount entries
  std::vector<uint8_t> blocks;     // distinct blocks, kBlockSize bytes each

  ClassTable() : block_of(kBlockCount) {
    std::map<std::string, uint16_t> seen;
    std::string block(kBlockSize, '\0');
    for (size_t block_idx = 0; block_idx < kBlockCount; ++block_idx) {
      for (size_t i = 0; i < kBlockSize; ++i) {
        block[i] = static_cast<char>(ComputeClass(static_cast<char32_t>(block_idx * kBlockSize + i)));
      }
      auto [it, inserted] = seen.emplace(block, static_cast<uint16_t>(seen.size()));
      if (inserted) blocks.insert(blocks.end(), block.begin(), block.end());
      block_of[block_idx] = it->second;
    }
  }
};

const ClassTable& Table() {
  static const ClassTable* table = new ClassTable();
  return *table;
}

}  // namespace

uint8_t ClassOfNonAscii(char32_t cp) {
  if (cp > kMaxCodePoint) return 0;
  const ClassTable& table = Table();
  return table.blocks[(size_t{table.block_of[cp >> kBlockBits]} << kBlockBits) |
                      (cp & (kBlockSize - 1))];
}

}  // namespace tunepack::tokenize
