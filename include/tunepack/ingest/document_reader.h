// Document readers: one file's UTF-8 text in, one Document (text, title, structure) out.
// A registry keyed by name; `tunepack` registers the built-in ones at start-up.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/registry.h"
#include "tunepack/core/reject_reason.h"
#include "tunepack/core/result.h"
#include "tunepack/core/utf8.h"
#include "tunepack/normalize/normalizer.h"

namespace tunepack::ingest {

// DocumentOptions: how documents are read, whatever their format.
struct DocumentOptions {
  InvalidUtf8Policy on_invalid_utf8 = InvalidUtf8Policy::kReplace;
  normalize::NormalizeOptions normalize;
  bool speaker_notes = false;  ///< presentations: each slide's speaker notes after the slide
};

struct DocumentReader {
  std::string name;                     ///< "text", "markdown", "html"
  std::vector<std::string> extensions;  ///< lower-case, with the dot: ".md", ".markdown"
  std::string description;              ///< one line, for `tunepack readers`
  // Parses UTF-8 `text` into `doc` (whose origin is already set): fills text, title and
  // blocks. doc.text comes out normalised by `options.normalize`, and block offsets index it.
  // Markdown and HTML produce Markdown text; see Document.
  std::function<Status(std::string_view text, const DocumentOptions& options, Document& doc)> read;
  // True when the format can declare its own charset (HTML <meta>, XML declaration), so
  // ReadDocument looks for a declaration before guessing.
  bool declares_charset = false;
  // True for binary formats (PDF, and DOCX, EPUB, ODT, PPTX: ZIP files of XML parts): `read`
  // gets the file's raw bytes, not decoded text, and metadata has no "encoding".
  bool reads_bytes = false;
  // A ZIP file is this reader's when one of these members is in it ("word/document.xml"),
  // or when its `mimetype` member holds `package_mimetype`: the content decides, not the
  // extension (DetectInputType).
  std::vector<std::string> package_members;
  std::string package_mimetype;
  // Returns true when `head` (the file's first bytes, up to kSniffHeadBytes) is this format
  // by its content, e.g. "%PDF-" for PDF; such content wins over the file's extension.
  // Empty when the format is known by its extension (or its package members) only.
  std::function<bool(std::string_view head)> sniff;
};

using DocumentReaderRegistry = Registry<DocumentReader>;

// Adds the built-in readers (text, markdown, html) to `registry`.
Status RegisterBuiltinDocumentReaders(DocumentReaderRegistry& registry);

// Returns the registry holding the built-in readers.
const DocumentReaderRegistry& BuiltinDocumentReaders();

// Returns the registered reader that claims `extension` (lower-case, with the dot), or
// nullptr.
// (Package readers claim ZIP files by content: see DocumentReader::package_members.)
const DocumentReader* FindDocumentReaderByExtension(const DocumentReaderRegistry& registry,
                                                    std::string_view extension);



// Reads one whole file: decodes `bytes` to UTF-8 (DecodeToUtf8, with the charset an HTML
// or XML file declares), normalises and parses it with `reader`. Sets metadata "source",
// "title" (when found), "encoding" and "content_hash" (XXH3-128 hex of doc.text), in that
// order; doc.title too.
// Errors: InvalidArgument "empty document" for a file with no text after normalisation;
// DataLoss for invalid UTF-8 under kFail, naming line and column.
Result<Document> ReadDocument(const DocumentReader& reader, std::string_view bytes,
                              const Origin& origin, const DocumentOptions& options);

}  // namespace tunepack::ingest
