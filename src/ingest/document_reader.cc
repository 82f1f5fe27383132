#include "tunepack/ingest/document_reader.h"

#include "ingest/document_readers.h"
#include "tunepack/core/hash.h"
#include "tunepack/ingest/detect.h"

namespace tunepack::ingest {
namespace {

// A binary format (PDF) is parsed from its raw bytes: it has no charset to detect.
Result<Document> ReadBinaryDocument(const DocumentReader& reader, std::string_view bytes,
                                    const Origin& origin, const DocumentOptions& options) {
  Document doc;
  doc.origin = origin;
  TP_RETURN_IF_ERROR(reader.read_bytes(bytes, options.normalize, doc));
  if (doc.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgumentError("empty document");
  }
  Metadata read_metadata = std::move(doc.metadata);
  doc.metadata = Metadata();
  doc.metadata.SetString("source", origin.source);
  if (!doc.title.empty()) doc.metadata.SetString("title", doc.title);
  for (const MetadataEntry& entry : read_metadata.entries()) {
    doc.metadata.SetJson(entry.key, entry.json);
  }
  doc.metadata.SetString("content_hash", HashBytes(doc.text).Hex());
  return doc;
}

}  // namespace

Status RegisterBuiltinDocumentReaders(DocumentReaderRegistry& registry) {
  TP_RETURN_IF_ERROR(registry.Add(internal::TextReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::MarkdownReader()));
  TP_RETURN_IF_ERROR(registry.Add(internal::HtmlReader()));
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
  if (reader.read_bytes) return ReadBinaryDocument(reader, bytes, origin, options);
  const std::string declared = reader.declares_charset ? FindDeclaredCharset(bytes) : "";
  TP_ASSIGN_OR_RETURN(DecodedText decoded,
                      DecodeToUtf8(bytes, options.on_invalid_utf8, declared));
  Document doc;
  doc.origin = origin;
  TP_RETURN_IF_ERROR(reader.read(decoded.text, options.normalize, doc));
  if (doc.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgumentError("empty document");
  }
  doc.metadata.SetString("source", origin.source);
  if (!doc.title.empty()) doc.metadata.SetString("title", doc.title);
  doc.metadata.SetString("encoding", decoded.encoding);
  doc.metadata.SetString("content_hash", HashBytes(doc.text).Hex());
  return doc;
}

}  // namespace tunepack::ingest
