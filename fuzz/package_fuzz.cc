// Fuzzes the package readers (DOCX, EPUB, ODT, PPTX) on whole files: ZIP parsing with its
// limits, member lookup, and the readers on whatever parts a mutated ZIP still yields. The
// first byte picks the reader, the rest is the file. Besides "no crash, no hang, no
// out-of-bounds read", it traps when a contract breaks: an error names a ledger reason or
// is a plain status; document text is valid UTF-8 and blocks lie inside it, in order.
#include <cstdint>
#include <string>
#include <string_view>

#include "tunepack/core/utf8.h"
#include "tunepack/ingest/document_reader.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::ingest;  // NOLINT

constexpr const char* kReaders[] = {"docx", "epub", "odt", "pptx"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const DocumentReader* reader = BuiltinDocumentReaders().Find(kReaders[data[0] % 4]);
  Check(reader != nullptr);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  DocumentOptions options;
  options.speaker_notes = true;  // every part the readers can be asked to read
  Result<Document> doc = ReadDocument(*reader, bytes, Origin{"fuzz", 0, 0}, options);
  if (!doc.has_value()) return 0;
  Check(IsValidUtf8(doc->text));
  size_t last_end = 0;
  for (const Block& block : doc->blocks) {
    Check(block.begin <= block.end && block.end <= doc->text.size() && block.begin >= last_end);
    last_end = block.end;
  }
  return 0;
}
