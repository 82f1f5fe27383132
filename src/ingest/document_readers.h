// The built-in document readers, one per file; document_reader.cc registers them.
// Internal to the ingest module.
#pragma once

#include <string>
#include <string_view>

#include "tunepack/ingest/document_reader.h"

namespace tunepack::ingest::internal {

DocumentReader TextReader();      // text_reader.cc
DocumentReader MarkdownReader();  // markdown_reader.cc
DocumentReader HtmlReader();      // html_reader.cc
DocumentReader DocxReader();      // docx_reader.cc
DocumentReader EpubReader();      // epub_reader.cc
DocumentReader OdtReader();       // odt_reader.cc
DocumentReader PptxReader();      // pptx_reader.cc
DocumentReader PdfReader();       // pdf_reader.cc

class DocumentBuilder;
// Renders HTML `text` (UTF-8) into `builder` as the html reader does; `title`, when given,
// receives the <title> text (or empty). EPUB chapters go through it.
Status RenderHtml(std::string_view text, const normalize::NormalizeOptions& options,
                  DocumentBuilder& builder, std::string* title);

}  // namespace tunepack::ingest::internal
