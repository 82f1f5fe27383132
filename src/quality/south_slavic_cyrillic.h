// Bulgarian, Macedonian and Serbian written in Cyrillic: CLD2 confuses them (it reads
// Bulgarian and Macedonian catalogue text as Serbian), but their alphabets tell them apart.
#pragma once

#include <string>
#include <string_view>

namespace tunepack::quality {

// Returns the language `text`'s letters prove when CLD2 guessed `code`, one of "bg", "mk" or
// "sr": a text with letters only Bulgarian uses (щ ъ ь ю я й) and none of the Serbian and
// Macedonian ones (ђ ћ ѓ ќ ѕ ј љ њ џ) is Bulgarian; one with ѓ ќ ѕ and no ђ ћ is
// Macedonian; one with ђ ћ and no ѓ ќ ѕ is Serbian. Otherwise, or for any other code,
// returns `code` unchanged: Latin-script Serbian, Croatian and Bosnian share their letters.
std::string RefineSouthSlavicCyrillic(std::string_view text, std::string code);

}  // namespace tunepack::quality
