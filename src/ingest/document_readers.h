// The built-in document readers, one per file; document_reader.cc registers them.
// Internal to the ingest module.
#pragma once

#include "tunepack/ingest/document_reader.h"

namespace tunepack::ingest::internal {

DocumentReader TextReader();      // text_reader.cc
DocumentReader MarkdownReader();  // markdown_reader.cc
DocumentReader HtmlReader();      // html_reader.cc
DocumentReader PdfReader();       // pdf_reader.cc

}  // namespace tunepack::ingest::internal
