#include "ingest/escape_encodings.h"

#include <unicode/ucnv.h>
#include <unicode/uscript.h>

#include "ingest/icu_callback.h"
#include "ingest/mojibake.h"

namespace tunepack::ingest::internal {
namespace {

struct EscapeSequence {
  std::string_view bytes;
  const char* charset;
};

// Double-byte designations, most specific charset first: the first one found decides.
constexpr EscapeSequence kEscapes[] = {
    {"\x1B$)C", "ISO-2022-KR"},
    {"\x1B$)A", "ISO-2022-CN"}, {"\x1B$)G", "ISO-2022-CN"}, {"\x1B$*H", "ISO-2022-CN"},
    {"\x1B$(D", "ISO-2022-JP-2"}, {"\x1B$A", "ISO-2022-JP-2"}, {"\x1B$(C", "ISO-2022-JP-2"},
    {"\x1B$B", "ISO-2022-JP"}, {"\x1B$@", "ISO-2022-JP"},
    // Single-byte designations alone (ESC ( B, ESC ( J) are not enough: terminals emit
    // ESC ( B in coloured logs, which are ASCII.
};

bool SevenBit(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// True when `bytes` decodes as HZ without an invalid sequence and at least 70% of the
// Han characters it yields are common ones.
bool PlausibleHz(std::string_view bytes) {
  ConverterPtr converter = OpenConverter("HZ");
  if (converter == nullptr) return false;
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                      &status);
  std::u16string units(bytes.size() + 1, u'\0');
  const int32_t n = ucnv_toUChars(converter.get(), reinterpret_cast<UChar*>(units.data()),
                                  static_cast<int32_t>(units.size()), bytes.data(),
                                  static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) return false;
  size_t han = 0, common = 0;
  for (int32_t i = 0; i < n; ++i) {
    const char16_t unit = units[static_cast<size_t>(i)];
    if (unit < 0x2E80 || (unit >= 0xD800 && unit <= 0xDFFF)) continue;
    ++han;
    common += IsCommonCjk(unit);
  }
  return han > 0 && common * 10 >= han * 7;
}

}  // namespace

std::string DetectEscapeEncoding(std::string_view bytes) {
  const bool has_escape = bytes.find('\x1B') != std::string_view::npos;
  const bool has_hz = bytes.find("~{") != std::string_view::npos;
  if ((!has_escape && !has_hz) || !SevenBit(bytes)) return {};
  if (has_escape) {
    for (const EscapeSequence& escape : kEscapes) {
      if (bytes.find(escape.bytes) != std::string_view::npos) return escape.charset;
    }
  }
  if (has_hz && PlausibleHz(bytes)) return "HZ";
  return {};
}

}  // namespace tunepack::ingest::internal
