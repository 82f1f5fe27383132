#include "quality/south_slavic_cyrillic.h"

#include <cstdint>

namespace tunepack::quality {
namespace {

// Which alphabets a Cyrillic letter (lower or upper case) belongs to, among the three.
enum class Alphabet { kOther, kBulgarianOnly, kMacedonianOnly, kSerbianOnly, kSerbianAndMacedonian };

Alphabet AlphabetOf(uint32_t code_point) {
  // Upper case U+0400..U+042F maps to lower case: U+0410..U+042F by +0x20, U+0400..U+040F by +0x50.
  if (code_point >= 0x0410 && code_point <= 0x042F) code_point += 0x20;
  if (code_point >= 0x0400 && code_point <= 0x040F) code_point += 0x50;
  switch (code_point) {
    case 0x0449: case 0x044A: case 0x044C: case 0x044E: case 0x044F: case 0x0439:  // щ ъ ь ю я й
      return Alphabet::kBulgarianOnly;
    case 0x0453: case 0x045C: case 0x0455:  // ѓ ќ ѕ
      return Alphabet::kMacedonianOnly;
    case 0x0452: case 0x045B:  // ђ ћ
      return Alphabet::kSerbianOnly;
    case 0x0458: case 0x0459: case 0x045A: case 0x045F:  // ј љ њ џ
      return Alphabet::kSerbianAndMacedonian;
    default:
      return Alphabet::kOther;
  }
}

}  // namespace

std::string RefineSouthSlavicCyrillic(std::string_view text, std::string code) {
  if (code != "bg" && code != "mk" && code != "sr") return code;
  size_t bulgarian = 0, macedonian = 0, serbian = 0, shared = 0;
  // Every letter counted is two bytes in UTF-8, 0xD0 or 0xD1 then a continuation byte.
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead != 0xD0 && lead != 0xD1) continue;
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if ((next & 0xC0) != 0x80) continue;
    switch (AlphabetOf(((lead & 0x1Fu) << 6) | (next & 0x3Fu))) {
      case Alphabet::kBulgarianOnly: ++bulgarian; break;
      case Alphabet::kMacedonianOnly: ++macedonian; break;
      case Alphabet::kSerbianOnly: ++serbian; break;
      case Alphabet::kSerbianAndMacedonian: ++shared; break;
      case Alphabet::kOther: break;
    }
    ++i;
  }
  if (bulgarian > 0 && macedonian + serbian + shared == 0) return "bg";
  if (macedonian > 0 && serbian == 0) return "mk";
  if (serbian > 0 && macedonian == 0) return "sr";
  return code;
}

}  // namespace tunepack::quality
