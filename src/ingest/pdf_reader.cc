// PDF: the text of born-digital PDFs, with structure. Poppler is GPL, so it is not linked
// here: a separate helper program, tunepack-pdf (tools/pdf-helper, GPL-2.0-or-later),
// extracts positioned words and writes them as JSON lines (pdf_protocol.h); it runs once
// per PDF with limits on time, memory and output (helper_process.h). Everything that
// decides structure (reading order, headings, running headers, hyphenation) is here, on
// the Apache side (pdf_layout.h).
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"
#include "ingest/helper_process.h"
#include "ingest/pdf_layout.h"
#include "ingest/pdf_protocol.h"
#include "tunepack/ingest/rejection.h"
#include "tunepack/io/running_binary.h"

namespace tunepack::ingest::internal {
namespace {

constexpr std::string_view kHelperName = "tunepack-pdf";
constexpr std::string_view kInstallHint =
    "PDF input needs the tunepack-pdf helper (GPL, tools/pdf-helper), which was not found "
    "next to tunepack, on PATH or in TUNEPACK_PDF_HELPER: install libpoppler-cpp-dev "
    "(scripts/setup does) and rebuild";

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Returns the helper's path: $TUNEPACK_PDF_HELPER when set, else tunepack-pdf in the folder
// of the running executable, else on PATH; empty when there is none.
std::string FindHelper() {
  if (const char* set = std::getenv("TUNEPACK_PDF_HELPER"); set != nullptr && *set != '\0') {
    return set;
  }
  if (auto beside = io::BesideRunningBinary(kHelperName); beside.ok() && Executable(*beside)) return *beside;
  if (const char* path = std::getenv("PATH")) {
    std::string_view dirs = path;
    while (!dirs.empty()) {
      const size_t colon = dirs.find(':');
      const std::string_view dir = dirs.substr(0, colon);
      dirs.remove_prefix(colon == std::string_view::npos ? dirs.size() : colon + 1);
      if (dir.empty()) continue;
      const std::string candidate = std::string(dir) + "/" + std::string(kHelperName);
      if (Executable(candidate)) return candidate;
    }
  }
  return {};
}

// Limits for one PDF: a minute, plus a second per megabyte; 1 GiB of address space (the
// issue's bound is 500 MB resident for a 1,000-page PDF; address space runs higher).
HelperLimits LimitsFor(size_t bytes) {
  HelperLimits limits;
  limits.timeout = std::chrono::milliseconds(60'000 + 1'000 * (bytes >> 20));
  if (const char* ms = std::getenv("TUNEPACK_PDF_TIMEOUT_MS"); ms != nullptr && *ms != '\0') {
    limits.timeout = std::chrono::milliseconds(std::strtoull(ms, nullptr, 10));
  }
  return limits;
}

// True when the PDF holds image XObjects: a file with images and no text is a scan.
// Image XObjects are streams, and streams never sit inside compressed object streams, so
// their dictionaries are visible in the raw bytes.
bool HasImages(std::string_view bytes) {
  return bytes.find("/Image") != std::string_view::npos;
}

Result<PdfContent> ExtractRuns(std::string_view bytes) {
  const std::string helper = FindHelper();
  if (helper.empty()) return RejectionError(RejectReason::kPdfHelperMissing, kInstallHint);
  const HelperLimits limits = LimitsFor(bytes.size());
  Result<HelperRun> run = RunHelper(helper, {}, bytes, limits);
  if (!run.has_value()) {
    if (run.error().code() == StatusCode::kNotFound) {
      return RejectionError(RejectReason::kPdfHelperMissing, run.error().message() + "; " +
                                                      std::string(kInstallHint));
    }
    return RejectionError(RejectReason::kPdfHelperFailed, run.error().message());
  }
  // A helper that reported an error line exits with status 2; its reason wins.
  Result<PdfContent> content = ParsePdfProtocol(run->output);
  if (!run->ok()) {
    if (!content.has_value() && RejectionReasonOf(content.error()) != RejectReason::kPdfHelperFailed) {
      return content;
    }
    return RejectionError(RejectReason::kPdfHelperFailed, "tunepack-pdf " + run->Describe(limits));
  }
  return content;
}

Status ReadPdf(std::string_view bytes, const DocumentOptions& document_options,
               Document& doc) {
  const normalize::NormalizeOptions& normalize = document_options.normalize;
  TP_ASSIGN_OR_RETURN(PdfContent content, ExtractRuns(bytes));
  if (content.runs.empty()) {
    if (HasImages(bytes)) {
      return RejectionError(RejectReason::kNoTextLayer, "the pages are images with no text layer (a scan?); "
                                             "OCR is out of scope");
    }
    return RejectionError(RejectReason::kEmptyDocument, "the PDF has no text and no images");
  }
  std::vector<PdfPageLines> pages = BuildLines(content);
  const size_t running = RemoveRunningLines(pages, content.pages);
  size_t pages_without_text = 0;
  for (PdfPageLines& lines : pages) {
    pages_without_text += lines.empty();
    FindTables(lines);
    OrderForReading(lines);
  }
  JoinTablesAcrossPages(pages);
  const std::vector<PdfBlock> blocks = BuildBlocks(pages);

  DocumentBuilder builder(normalize);
  for (const PdfBlock& block : blocks) {
    bool added = false;
    switch (block.kind) {
      case BlockKind::kHeading:
        added = builder.Add(block.kind, std::string(block.level, '#') + " " + block.text,
                            block.level, {}, block.text);
        break;
      case BlockKind::kListItem:
        added = builder.Add(block.kind,
                            std::string(block.indent, ' ') + (block.ordered ? block.marker + " " : "- ") + block.text,
                            block.level, {}, {}, /*tight=*/true);
        break;
      case BlockKind::kCode:
        added = builder.Add(block.kind, "```\n" + block.text + "\n```");
        break;
      default:
        added = builder.Add(block.kind, block.text);
    }
    if (added) builder.SetLastBlockPages(block.first_page, block.last_page);
  }
  doc.title = builder.first_h1();
  if (doc.title.empty()) doc.title = normalize::Normalize(content.title, normalize);
  builder.Finish(doc);
  doc.metadata.SetJson("pages", std::to_string(content.page_count));
  if (pages_without_text > 0) {
    doc.metadata.SetJson("pages_without_text", std::to_string(pages_without_text));
  }
  doc.metadata.SetJson("running_lines_removed", std::to_string(running));
  return Status::Ok();
}

bool LooksLikePdf(std::string_view head) {
  // The header may follow up to 1 KiB of junk (PDF 32000-1, annex H.3 note 1).
  return head.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

}  // namespace

DocumentReader PdfReader() {
  DocumentReader reader;
  reader.name = "pdf";
  reader.extensions = {".pdf"};
  reader.description = "PDF with a text layer, through the tunepack-pdf helper; reading order, "
                       "headings, lists, tables; running headers and footers removed";
  reader.reads_bytes = true;
  reader.read = &ReadPdf;
  reader.sniff = &LooksLikePdf;
  return reader;
}

}  // namespace tunepack::ingest::internal
