#include "tunepack/ingest/document_reader.h"

#include "ingest/document_readers.h"
#include "tunepack/core/hash.h"
#include "tunepack/ingest/detect.h"

namespace tunepack::ingest {
Status RegisterBuiltinDocumentReaders(DocumentReaderRegistry& registry) {
  TP_RETURN_IF_ERROR(registry.Add(internal::TextReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::MarkdownReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::HtmlReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::DocxReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::EpubReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::OdtReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::PptxReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::PdfReader()));
  return Status::Ok();
}

const DocumentReaderRegistry& BuiltinDocumentReaders() {
  // Built once, on first use, and never destroyed: readers are looked up from worker
  // threads until exit.
  static const DocumentReaderRegistry* const registry = [] {
    auto* r = new DocumentReaderRegistry;
    (void)RegisterBuiltinDocumentReaders(*r);
    return r;
  }();
  return *registry;
}

const DocumentReader* FindDocumentReaderByExtension(const DocumentReaderRegistry& registry,
                                                    std::string_view extension) {
  for (const DocumentReader& reader : registry.entries()) {
    for (const std::string& ext : reader.extensions) {
      if (ext == extension) return &reader;
    }
  }
  return nullptr;
}

Result<Document> ReadDocument(const DocumentReader& reader, std::string_view bytes,
                              const Origin& origin, const DocumentOptions& options) {
  Document doc;
  doc.origin = origin;
  DecodedText decoded;
  if (reader.reads_bytes) {
    TP_RETURN_IF_ERROR(reader.read(bytes, options, doc));
  } else {
    const std::string declared = reader.declares_charset ? FindDeclaredCharset(bytes) : "";
    TP_ASSIGN_OR_RETURN(decoded, DecodeToUtf8(bytes, options.on_invalid_utf8, declared));
    TP_RETURN_IF_ERROR(reader.read(decoded.text, options, doc));
  }
  // What the reader put in metadata (a package's author and dates) follows the keys every
  // document has.
  Metadata from_reader = std::move(doc.metadata);
  doc.metadata = Metadata();
  doc.metadata.SetString("source", origin.source);
  if (!doc.title.empty()) doc.metadata.SetString("title", doc.title);
  if (!reader.reads_bytes) doc.metadata.SetString("encoding", decoded.encoding);
  for (const MetadataEntry& entry : from_reader.entries()) doc.metadata.SetJson(entry.key, entry.json);
  doc.metadata.SetString("content_hash", HashBytes(doc.text).Hex());
  return doc;
}

}  // namespace tunepack::ingest
