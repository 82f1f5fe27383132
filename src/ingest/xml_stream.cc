#include "ingest/xml_stream.h"

#include <climits>

#include "ingest/xml_tree.h"
#include "tunepack/ingest/document_reader.h"

namespace tunepack::ingest::internal {
namespace {

// Keeps libxml2's message and line for the error the stream returns. Only fatal errors
// (not well-formed) count, as for ParseXml: a namespace error (an undeclared prefix) is an
// error to libxml2 but leaves the document well-formed and readable.
void RecordError(void* context, xmlErrorPtr error) {
  if (error == nullptr || error->level < XML_ERR_FATAL) return;
  auto* out = static_cast<std::string*>(context);
  if (!out->empty()) return;  // the first error is the cause; later ones follow from it
  std::string message = error->message ? error->message : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  *out = "line " + std::to_string(error->line) + ": " + message;
}

}  // namespace

Result<std::unique_ptr<XmlPartStream>> XmlPartStream::Open(ZipPackage& package, std::string_view name) {
  InitXmlOnce();
  std::unique_ptr<XmlPartStream> stream(new XmlPartStream());
  TP_ASSIGN_OR_RETURN(stream->member_, package.OpenMember(name));
  // The options ParseXml uses (see there), minus XML_PARSE_COMPACT, which only concerns
  // whole trees.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  stream->reader_ = xmlReaderForIO(&XmlPartStream::ReadCallback, nullptr, stream.get(),
                                   std::string(name).c_str(), nullptr, options);
  if (stream->reader_ == nullptr) return InternalError("libxml2: cannot create a reader");
  xmlTextReaderSetStructuredErrorHandler(stream->reader_, &RecordError, &stream->last_error_);
  return stream;
}

XmlPartStream::~XmlPartStream() {
  if (reader_ != nullptr) xmlFreeTextReader(reader_);
}

int XmlPartStream::ReadCallback(void* context, char* buffer, int size) {
  auto* self = static_cast<XmlPartStream*>(context);
  if (!self->member_status_.ok()) return -1;
  Result<size_t> n = self->member_->Read(buffer, static_cast<size_t>(size));
  if (!n.has_value()) {
    self->member_status_ = n.error();
    return -1;
  }
  return static_cast<int>(*n);
}

Status XmlPartStream::Error(std::string_view what) const {
  if (!member_status_.ok()) return member_status_;
  std::string detail = member_->name() + " is not well-formed XML";
  if (!last_error_.empty()) {
    detail += " (" + last_error_ + ")";
  } else if (!what.empty()) {
    detail += " (" + std::string(what) + ")";
  }
  return PackageError(RejectReason::kInvalidXml, detail);
}

Result<bool> XmlPartStream::NextElement() {
  while (true) {
    int result;
    if (expanded_) {
      expanded_ = false;
      result = xmlTextReaderNext(reader_);  // past the expanded subtree, which is freed
    } else {
      result = xmlTextReaderRead(reader_);
    }
    if (result < 0 || !last_error_.empty() || !member_status_.ok()) return Error("");
    if (result == 0) return false;
    if (xmlTextReaderNodeType(reader_) == XML_READER_TYPE_ELEMENT) return true;
  }
}

int XmlPartStream::depth() const { return xmlTextReaderDepth(reader_); }

bool XmlPartStream::Is(std::initializer_list<std::string_view> uris, std::string_view local) const {
  const xmlChar* name = xmlTextReaderConstLocalName(reader_);
  if (name == nullptr || std::string_view(reinterpret_cast<const char*>(name)) != local) return false;
  const xmlChar* uri = xmlTextReaderConstNamespaceUri(reader_);
  const std::string_view ns = uri ? std::string_view(reinterpret_cast<const char*>(uri)) : std::string_view();
  for (std::string_view candidate : uris) {
    if (candidate == ns) return true;
  }
  return false;
}

Result<const xmlNode*> XmlPartStream::Expand() {
  const xmlNode* node = xmlTextReaderExpand(reader_);
  if (node == nullptr || !last_error_.empty() || !member_status_.ok()) return Error("cannot read an element");
  expanded_ = true;
  return node;
}

Status XmlPartStream::Finish() {
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, NextElement());
    if (!more) return Status::Ok();
  }
}

}  // namespace tunepack::ingest::internal
