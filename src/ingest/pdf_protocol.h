// The tunepack-pdf protocol: what the PDF helper writes (tools/pdf-helper/PROTOCOL.md) and
// its parser. The helper is a separate program, so its output is untrusted input: every
// line is checked, and anything unexpected fails the document rather than the process.
// Internal to the ingest module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

inline constexpr int kPdfProtocolVersion = 1;

// PdfRun: one word as the helper placed it. Coordinates are PDF points from the page's
// top-left corner, y growing downwards.
struct PdfRun {
  uint32_t page = 0;  ///< 1-based
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float size = 0;     ///< font size in points (0: unknown)
  bool bold = false, italic = false, mono = false;
  bool space_after = false;  ///< the PDF places a space after this word on its line
  std::string text;
};

// PdfPageInfo: one page's size and printed label ("iv", "12").
struct PdfPageInfo {
  uint32_t number = 0;  ///< 1-based
  float width = 0, height = 0;
  std::string label;
};

// PdfContent: everything the helper reported about one PDF.
struct PdfContent {
  uint32_t page_count = 0;
  bool encrypted = false;  ///< encrypted, but readable without a password
  std::string title;       ///< the document information's Title, possibly empty
  std::vector<PdfPageInfo> pages;
  std::vector<PdfRun> runs;  ///< in the helper's order, page by page
};

// Parses the helper's whole stdout. Errors name the ledger reason (ingest/rejection.h): the
// helper's own "error" line becomes "encrypted" or "damaged"; anything malformed, out of
// range or cut short is "pdf_helper_failed" naming the line.
Result<PdfContent> ParsePdfProtocol(std::string_view output);

}  // namespace tunepack::ingest::internal
