// StreamingHasher feeds whole input and output files (hundreds of megabytes per export) to
// XXH3, so it calls the shared library's runtime-dispatched update, which picks the widest
// vector unit the CPU has (AVX2, AVX-512): about twice the speed of the SSE2 code that
// hash.cc's inlined copy compiles to under the project's baseline flags. XXH3's value does
// not depend on the code path, so digests equal HashBytes of the concatenation.
#include "tunepack/core/hash.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t's layout, to hold it in State
#include <xxhash.h>
#if defined(__x86_64__)
#include <xxh_x86dispatch.h>
#endif

namespace tunepack {

struct StreamingHasher::State {
  XXH3_state_t xxh;
};

StreamingHasher::StreamingHasher() : state_(std::make_unique<State>()) {
  XXH3_128bits_reset(&state_->xxh);
}
StreamingHasher::~StreamingHasher() = default;

void StreamingHasher::Update(std::string_view data) {
#if defined(__x86_64__)
  XXH3_128bits_update_dispatch(&state_->xxh, data.data(), data.size());
#else
  XXH3_128bits_update(&state_->xxh, data.data(), data.size());
#endif
}

Hash128 StreamingHasher::Digest() const {
  XXH128_hash_t h = XXH3_128bits_digest(&state_->xxh);
  return Hash128{h.high64, h.low64};
}

}  // namespace tunepack
