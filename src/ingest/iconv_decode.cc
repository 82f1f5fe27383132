#include "ingest/iconv_decode.h"

#include <iconv.h>

#include <cerrno>

namespace tunepack::ingest::internal {

Status ConvertWithIconv(std::string_view bytes, const char* charset, InvalidUtf8Policy policy,
                        IconvDecoded& decoded) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return NotFoundError(std::string("no iconv converter for charset '") + charset + "'");
  }
  decoded = IconvDecoded{};
  decoded.text.reserve(bytes.size() * 3 / 2);
  size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char byte = static_cast<unsigned char>(bytes[i]);
    if (byte < 0x80) {
      decoded.text.push_back(static_cast<char>(byte));
      ++i;
      continue;
    }
    // One character at a time, growing the input until iconv stops asking for more: that
    // keeps the ASCII rule above on character boundaries.
    bool converted = false;
    for (size_t length = 1; length <= 4 && i + length <= bytes.size(); ++length) {
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
      char out[32];
      char* in = const_cast<char*>(bytes.data() + i);
      size_t in_left = length;
      char* out_ptr = out;
      size_t out_left = sizeof(out);
      const size_t result = iconv(cd, &in, &in_left, &out_ptr, &out_left);
      if (result == static_cast<size_t>(-1) && errno == EINVAL) continue;
      if (result == static_cast<size_t>(-1) || in_left != 0) break;
      iconv(cd, nullptr, nullptr, &out_ptr, &out_left);  // a held base character
      decoded.text.append(out, static_cast<size_t>(out_ptr - out));
      i += length;
      converted = true;
      break;
    }
    if (converted) continue;
    if (decoded.invalid++ == 0) {
      decoded.first_invalid_byte = i;
      decoded.first_invalid_text = decoded.text.size();
    }
    if (policy != InvalidUtf8Policy::kSkip) decoded.text.append("\xEF\xBF\xBD");
    ++i;
  }
  iconv_close(cd);
  return Status::Ok();
}

}  // namespace tunepack::ingest::internal
