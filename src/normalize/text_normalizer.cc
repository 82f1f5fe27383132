#include "tunepack/normalize/normalizer.h"

#include <utf8proc.h>

#include <cstdlib>
#include <cstring>

#include "tunepack/core/utf8.h"

namespace tunepack::normalize {
namespace {

// What a quick scan of the input found; each flag lets a pass be skipped entirely. Most
// records are short ASCII strings that need nothing, so Normalize must cost one scan there.
struct Scan {
  bool non_ascii = false;       // Unicode form may apply
  bool maybe_not_nfc = false;   // a code point >= U+0300; below it all text is NFC
  bool c1_or_bom = false;       // a C1 control (C2 80..C2 9F) or U+FEFF (EF BB BF)
  bool carriage_return = false;
  bool c0_control = false;      // a C0 control other than tab, newline and carriage return
  bool line_end_space = false;  // a space or tab right before '\n' or at the end
  bool blank_run = false;       // "\n\n\n" or more
};

Scan ScanText(std::string_view text) {
  Scan scan;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  int newlines_in_row = 0;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = s[i];
    if (c >= 0x20 && c < 0x7F) {
      if ((c == ' ') && (i + 1 == n || s[i + 1] == '\n' || s[i + 1] == '\r')) {
        scan.line_end_space = true;
      }
      newlines_in_row = 0;
      continue;
    }
    if (c == '\n') {
      if (++newlines_in_row >= 3) scan.blank_run = true;
      continue;
    }
    newlines_in_row = 0;
    if (c >= 0x80) {
      scan.non_ascii = true;
      // Lead bytes C2..CB start U+0080..U+02FF: no character there composes or is
      // composed, so NFC can be skipped unless a higher code point appears.
      if (c >= 0xCC) scan.maybe_not_nfc = true;
      if (c == 0xC2 && i + 1 < n && s[i + 1] <= 0x9F) scan.c1_or_bom = true;
      if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBB && s[i + 2] == 0xBF) scan.c1_or_bom = true;
    } else if (c == '\r') {
      scan.carriage_return = true;
      // A CR counts towards a blank-line run once it becomes '\n'; the line pass rescans.
      scan.blank_run = true;
    } else if (c == '\t') {
      if (i + 1 == n || s[i + 1] == '\n' || s[i + 1] == '\r') scan.line_end_space = true;
    } else {
      scan.c0_control = true;  // includes DEL (0x7F)
    }
  }
  return scan;
}

// Returns the text with CRLF and lone CR turned into LF (when `newlines`), and C0/C1
// controls other than tab and newline, and every U+FEFF, removed (when `controls`). A CR is
// kept when newline conversion is off: dropping it would turn CRLF into LF anyway.
std::string CleanCharacters(std::string_view text, bool newlines, bool controls) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = s[i];
    if (c == '\r') {
      if (newlines) {
        out.push_back('\n');
        if (i + 1 < n && s[i + 1] == '\n') ++i;
      } else {
        out.push_back('\r');
      }
      continue;
    }
    if (controls) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) continue;
      // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
      if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
        ++i;
        continue;
      }
      // U+FEFF (EF BB BF): a byte-order mark in the middle of text is an artefact of
      // concatenated files, never content. ZWJ/ZWNJ (U+200D/U+200C) are kept on purpose.
      if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBB && s[i + 2] == 0xBF) {
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace

bool IsNfcInert(char32_t cp) {
  return cp < 0x300 || (cp >= 0x391 && cp <= 0x3C9) || (cp >= 0x400 && cp <= 0x482) ||
         (cp >= 0x48A && cp <= 0x4FF) ||
         (cp >= 0x5D0 && cp <= 0x5EA) || (cp >= 0x621 && cp <= 0x64A) ||
         (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) ||
         // Punctuation, currency, arrows and maths, CJK punctuation and full-width forms: no
         // canonical decomposition that NFC would apply, and none is composed onto.
         (cp >= 0x2010 && cp <= 0x205E) || (cp >= 0x20A0 && cp <= 0x20C0) ||
         (cp >= 0x2190 && cp <= 0x22FF) || (cp >= 0x3000 && cp <= 0x3029) ||
         (cp >= 0x3030 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF60) ||
         // Vietnamese and other precomposed Latin letters are their own NFC.
         (cp >= 0x1E00 && cp <= 0x1EFF);
}

namespace {

// Returns true when every code point of `line` is NFC-inert, so NFC leaves it unchanged.
bool LineIsNfcInert(std::string_view line) {
  size_t pos = 0;
  while (pos < line.size()) {
    if (static_cast<unsigned char>(line[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (!IsNfcInert(DecodeUtf8(line, pos))) return false;
  }
  return true;
}

// Applies NFC or NFKC with utf8proc. utf8proc rejects invalid UTF-8 outright, so invalid
// input (a caller bug; readers decode first) is repaired with U+FFFD first rather than lost.
std::string ApplyUtf8proc(std::string_view text, UnicodeForm form) {
  int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  if (form == UnicodeForm::kNfkc) flags |= UTF8PROC_COMPAT;
  std::string repaired;
  if (!IsValidUtf8(text)) {
    (void)RepairUtf8(text, InvalidUtf8Policy::kReplace, &repaired);
    text = repaired;
  }
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                   static_cast<utf8proc_option_t>(flags));
  if (length < 0 || mapped == nullptr) {
    std::free(mapped);
    return std::string(text);  // out of memory: better unnormalised than lost
  }
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<size_t>(length));
  std::free(mapped);
  return out;
}

// Applies `form`. NFC works line by line and skips lines that are already NFC by
// construction (IsNfcInert): '\n' has combining class 0 and composes with nothing, so NFC of
// the whole text equals NFC of each line, and most lines of most text need no work. This
// keeps utf8proc, which decomposes and recomposes every character, off the common path.
std::string ApplyForm(std::string_view text, UnicodeForm form) {
  if (form != UnicodeForm::kNfc) return ApplyUtf8proc(text, form);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(pos, end - pos);
    if (LineIsNfcInert(line)) {
      out.append(line);
    } else {
      out += ApplyUtf8proc(line, form);
    }
    pos = end;
  }
  return out;
}

// Trims spaces and tabs before each '\n' and at the end (when `trailing`), and keeps at most
// one empty line between non-empty ones (when `blank`). Works line by line in one pass.
std::string CleanLines(std::string_view text, bool trailing, bool blank) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  int empty_lines_in_row = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (trailing) {
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    }
    if (line.empty() && !last) {
      ++empty_lines_in_row;
      if (!blank || empty_lines_in_row <= 1) out.push_back('\n');
    } else {
      empty_lines_in_row = 0;
      out.append(line);
      if (!last) out.push_back('\n');
    }
    if (last) break;
    pos = end + 1;
  }
  return out;
}

}  // namespace

NormalizeOptions NormalizeOptions::None() {
  NormalizeOptions options;
  options.form = UnicodeForm::kNone;
  options.newlines = false;
  options.control_chars = false;
  options.trailing_spaces = false;
  options.blank_lines = false;
  return options;
}

std::string Normalize(std::string_view text, const NormalizeOptions& options) {
  const Scan scan = ScanText(text);
  const bool clean_chars = (options.newlines && scan.carriage_return) ||
                           (options.control_chars && (scan.c0_control || scan.c1_or_bom));
  // NFKC also folds characters below U+0300 (NBSP, superscripts, fractions), so only NFC
  // takes the shortcut.
  const bool apply_form =
      (options.form == UnicodeForm::kNfc && scan.maybe_not_nfc) ||
      (options.form == UnicodeForm::kNfkc && scan.non_ascii);
  // Trimming and collapsing can be needed after the other steps even when the input had no
  // such spots (CRLF becomes LF, NFKC turns NBSP into a space), hence the extra conditions.
  const bool clean_lines =
      (options.trailing_spaces &&
       (scan.line_end_space || (apply_form && options.form == UnicodeForm::kNfkc) ||
        (clean_chars && options.control_chars))) ||
      (options.blank_lines && (scan.blank_run || clean_chars));
  if (!clean_chars && !apply_form && !clean_lines) return std::string(text);

  std::string current;
  std::string_view view = text;
  if (clean_chars) {
    current = CleanCharacters(view, options.newlines, options.control_chars);
    view = current;
  }
  if (apply_form) {
    current = ApplyForm(view, options.form);
    view = current;
  }
  if (clean_lines && (options.trailing_spaces || options.blank_lines)) {
    return CleanLines(view, options.trailing_spaces, options.blank_lines);
  }
  return std::string(view);
}

}  // namespace tunepack::normalize
