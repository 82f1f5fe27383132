// ParseHfJsonNumber: a JSON number token converted to a double exactly as the Hugging Face
// tokenizers library reads tokenizer.json, which is not always the nearest double.
//
// Its JSON reader keeps up to 19 significant digits in a 64-bit integer (later digits are
// dropped), rounds that integer to a double, then multiplies or divides once by 10^exponent:
// two roundings, so a score like -9.034096149460707 comes out 1-2 ulp away from the value a
// correctly rounding parser (simdjson, strtod) gives. Unigram totals sum such scores, and a
// one-ulp difference decides ties between segmentations ("-" + "--" against "--" + "-"), so
// the scores must be read the same way to give the same ids.
#pragma once

#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::tokenize::hf {

// Returns the value of `token`, a complete JSON number (e.g. "-9.034096149460707", "0",
// "1e-3"), or an error for text that is no JSON number or whose magnitude overflows.
Result<double> ParseHfJsonNumber(std::string_view token);

}  // namespace tunepack::tokenize::hf
