// Fuzzes DecompressingSource: the first byte picks the format (its signature is put in
// front of the rest, so every format is reached), output is capped at 4 MiB. Traps when a
// decompressor returns more than asked, or keeps returning data after an error.
#include <cstdint>
#include <string>

#include "tunepack/ingest/compression.h"
#include "fuzz_check.h"

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::ingest;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto& formats = BuiltinCompressions();
  const Compression& format = formats[data[0] % formats.size()];
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (bytes.compare(0, format.magic.size(), format.magic) != 0) bytes = format.magic + bytes;
  Check(DetectCompression(bytes) == &format);
  auto source = DecompressingSource::Open(format, StringByteSource(bytes), 4u << 20);
  Check(source.has_value());
  char buffer[4096];
  while (true) {
    Result<size_t> n = (*source)->Read(buffer, sizeof(buffer));
    if (!n.has_value()) {
      Check(!(*source)->Read(buffer, sizeof(buffer)).has_value());  // errors stick
      break;
    }
    Check(*n <= sizeof(buffer));
    if (*n == 0) break;
  }
  Check((*source)->output_bytes() <= (4u << 20) + sizeof(buffer));
  return 0;
}
