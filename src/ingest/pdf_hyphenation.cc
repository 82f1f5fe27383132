// Hyphenation at line ends. A naive join ("capabili-" + "ties" -> "capabilities") breaks
// real compounds ("state-of-the-" + "art"), so the hyphen goes only when the joined word
// appears elsewhere in the same document: the witness table. Unwitnessed breaks keep their
// hyphen and lose the line break.
#include <cctype>

#include "ingest/pdf_layout.h"

namespace tunepack::ingest::internal {
namespace {

// Letters for this purpose: ASCII letters and every byte of a non-ASCII UTF-8 character
// (accented letters must not split a word; punctuation outside ASCII is rare in words).
bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return std::isalpha(u) || u >= 0x80;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Returns the length of a hyphen at the end of `text` ("-", U+2010 or U+00AD), or 0.
size_t TrailingHyphen(std::string_view text) {
  if (text.ends_with("-")) return 1;
  if (text.ends_with("\xE2\x80\x90")) return 3;  // U+2010 HYPHEN
  if (text.ends_with("\xC2\xAD")) return 2;      // U+00AD SOFT HYPHEN
  return 0;
}

}  // namespace

std::unordered_set<std::string> CollectWitnesses(const std::vector<PdfPageLines>& pages) {
  std::unordered_set<std::string> words;
  for (const PdfPageLines& lines : pages) {
    for (const PdfLine& line : lines) {
      const std::string_view text = line.text;
      // A word cut by a hyphen at the end of the line is a fragment, not a witness.
      const size_t end = TrailingHyphen(text) > 0 ? text.find_last_of(' ') : text.size();
      if (end == std::string_view::npos) continue;
      size_t i = 0;
      while (i < end) {
        while (i < end && !IsWordByte(text[i])) ++i;
        const size_t start = i;
        while (i < end && IsWordByte(text[i])) ++i;
        if (i > start) words.insert(LowerAscii(text.substr(start, i - start)));
      }
    }
  }
  return words;
}

void JoinLine(std::string& text, std::string_view next,
              const std::unordered_set<std::string>& witnesses) {
  if (text.empty()) {
    text.assign(next);
    return;
  }
  const size_t hyphen = TrailingHyphen(text);
  const bool letter_before = hyphen > 0 && text.size() > hyphen &&
                             IsWordByte(text[text.size() - hyphen - 1]);
  const bool lower_after = !next.empty() && std::islower(static_cast<unsigned char>(next[0]));
  if (!letter_before || !lower_after) {
    text.push_back(' ');
    text.append(next);
    return;
  }
  size_t head = text.size() - hyphen;
  while (head > 0 && IsWordByte(text[head - 1])) --head;
  size_t tail = 0;
  while (tail < next.size() && IsWordByte(next[tail])) ++tail;
  const std::string joined =
      LowerAscii(text.substr(head, text.size() - hyphen - head)) + LowerAscii(next.substr(0, tail));
  if (witnesses.contains(joined)) {
    text.resize(text.size() - hyphen);
  } else if (hyphen != 1) {
    text.resize(text.size() - hyphen);
    text.push_back('-');  // a soft or Unicode hyphen that stays is written as "-"
  }
  text.append(next);
}

}  // namespace tunepack::ingest::internal
