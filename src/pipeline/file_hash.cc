#include "pipeline/file_hash.h"

#include "tunepack/io/file.h"

namespace tunepack::pipeline {

Result<Hash128> HashFile(const std::string& path, const std::function<Status(std::string_view block)>& consume) {
  TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path));
  StreamingHasher hasher;
  std::string buffer(1 << 20, '\0');
  while (true) {
    TP_ASSIGN_OR_RETURN(size_t n, file->Read(buffer.data(), buffer.size()));
    if (n == 0) break;
    const std::string_view block(buffer.data(), n);
    hasher.Update(block);
    if (consume) TP_RETURN_IF_ERROR(consume(block));
  }
  return hasher.Digest();
}

}  // namespace tunepack::pipeline
