// ICU conversion pieces shared by DecodeToUtf8 (decode.cc) and the streaming decoding
// source (decoding_source.cc). Internal to the ingest module.
#pragma once

#include <unicode/ucnv.h>

#include <cstddef>
#include <memory>
#include <string>

#include "tunepack/core/utf8.h"

namespace tunepack::ingest::internal {

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// Returns an ICU converter for `charset`, or nullptr when ICU does not know it.
ConverterPtr OpenConverter(const std::string& charset);

// State shared with OnInvalidBytes while a buffer converts. The caller keeps
// `input_begin` pointing at the start of the bytes it passes to ICU, and `input_offset`
// at their offset in the whole input.
struct CallbackState {
  InvalidUtf8Policy policy = InvalidUtf8Policy::kReplace;
  bool windows_1252 = false;
  const char* input_begin = nullptr;
  size_t input_offset = 0;
  const UChar* chunk_begin = nullptr;
  size_t output_before_chunk = 0;  // UTF-16 units produced before the current chunk
  size_t invalid = 0;
  size_t first_invalid_byte = 0;   // offset in the whole input
  size_t first_invalid_unit = 0;   // UTF-16 units produced before the first invalid sequence
                                   // (meaningful for ucnv_toUnicode only)
};

// An ICU to-Unicode callback (context: CallbackState*): counts invalid sequences, records
// where the first one is, and writes U+FFFD unless the policy is kSkip.
void OnInvalidBytes(const void* context, UConverterToUnicodeArgs* args, const char* code_units,
                    int32_t length, UConverterCallbackReason reason, UErrorCode* error);

}  // namespace tunepack::ingest::internal
