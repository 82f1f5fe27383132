// Per-thread caches of the tokenizers. Encoding keeps, on each thread, a cache of the words
// it has merged (up to 8 MB per tokenizer); a long-lived thread that encodes only now and
// then (a server's request thread) gives it back with ReleaseThreadCaches.
#pragma once

#include <cstddef>

namespace tunepack::tokenize {

// Frees the calling thread's tokenizer caches; they grow back when the thread encodes again.
void ReleaseThreadCaches();

// The number of tokenizer caches the calling thread holds.
size_t ThreadCacheCount();

}  // namespace tunepack::tokenize
