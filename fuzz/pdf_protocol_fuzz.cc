// Fuzzes the tunepack-pdf protocol parser and the layout analysis behind it: the helper is
// a separate program, so whatever it writes is untrusted. Besides "no crash, no hang", it
// traps when a contract breaks: parsed runs lie on pages that exist, in page order; every
// block's pages are in range and its text is valid UTF-8.
#include <cstdint>
#include <string_view>

#include "ingest/pdf_layout.h"
#include "ingest/pdf_protocol.h"
#include "tunepack/core/utf8.h"
#include "fuzz_check.h"

using namespace tunepack;                    // NOLINT: a fuzz target, not library code
using namespace tunepack::ingest::internal;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view output(reinterpret_cast<const char*>(data), size);
  Result<PdfContent> content = ParsePdfProtocol(output);
  if (!content.has_value()) return 0;
  uint32_t previous_page = 0;
  for (const PdfRun& run : content->runs) {
    Check(run.page >= 1 && run.page <= content->page_count && run.page >= previous_page);
    Check(!run.text.empty() && IsValidUtf8(run.text));
    previous_page = run.page;
  }
  std::vector<PdfPageLines> pages = BuildLines(*content);
  RemoveRunningLines(pages, content->pages);
  for (PdfPageLines& lines : pages) OrderForReading(lines);
  for (const PdfBlock& block : BuildBlocks(pages)) {
    Check(block.first_page >= 1 && block.first_page <= block.last_page &&
          block.last_page <= content->page_count);
    Check(IsValidUtf8(block.text));
  }
  return 0;
}
