#include "ingest/icu_callback.h"

#include <unicode/ucnv_cb.h>

namespace tunepack::ingest::internal {

ConverterPtr OpenConverter(const std::string& charset) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(charset.c_str(), &status));
  if (U_FAILURE(status)) return nullptr;
  return converter;
}

void OnInvalidBytes(const void* context, UConverterToUnicodeArgs* args, const char* code_units,
                    int32_t length, UConverterCallbackReason reason, UErrorCode* error) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  auto* state = static_cast<CallbackState*>(const_cast<void*>(context));
  *error = U_ZERO_ERROR;
  if (state->windows_1252 && reason == UCNV_UNASSIGNED && length == 1) {
    // The five bytes Windows-1252 leaves undefined decode to the C1 control of the same
    // value, as browsers do (WHATWG index-windows-1252); the normaliser drops them later.
    const UChar c1 = static_cast<unsigned char>(code_units[0]);
    ucnv_cbToUWriteUChars(args, &c1, 1, 0, error);
    return;
  }
  if (state->invalid++ == 0) {
    state->first_invalid_byte = state->input_offset +
                                static_cast<size_t>(args->source - state->input_begin) -
                                static_cast<size_t>(length);
    if (state->chunk_begin != nullptr) {
      state->first_invalid_unit =
          state->output_before_chunk + static_cast<size_t>(args->target - state->chunk_begin);
    }
  }
  if (state->policy != InvalidUtf8Policy::kSkip) {
    static const UChar kReplacement = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, error);
  }
}

}  // namespace tunepack::ingest::internal
