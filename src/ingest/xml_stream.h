// XmlPartStream: a package part parsed as it is decompressed (libxml2's xmlTextReader over
// a ZipMemberStream), for the parts that grow with the document (DOCX's document.xml).
// Memory is the reader's buffers plus the one element the caller expands, not a tree of
// the whole part (which takes about 16 times the XML it holds). Parsed as safely as
// ParseXml: no DTD loaded, no entity substituted, no network, libxml2's depth and
// amplification limits on. Internal to the ingest module.
#pragma once

#include <libxml/xmlreader.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/zip_package.h"
#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

class XmlPartStream {
 public:
  // Opens member `name` of `package` (which must outlive the stream). Errors as
  // ZipPackage::OpenMember's.
  static Result<std::unique_ptr<XmlPartStream>> Open(ZipPackage& package, std::string_view name);
  ~XmlPartStream();
  XmlPartStream(const XmlPartStream&) = delete;
  XmlPartStream& operator=(const XmlPartStream&) = delete;

  // Moves to the next element start tag; false at the end of the part. Errors: invalid_xml
  // (with the part and line), or the member's own (package_too_large, corrupt_package).
  Result<bool> NextElement();
  // Depth of the current element: 0 for the root.
  int depth() const;
  // True when the current element is `local` in one of the namespaces `uris`.
  bool Is(std::initializer_list<std::string_view> uris, std::string_view local) const;
  // Returns the current element with its whole subtree, valid until the next call; the
  // next NextElement() goes past it (and frees it). Errors as NextElement's.
  Result<const xmlNode*> Expand();
  // Reads the rest of the part, so that a part damaged after the text read is still
  // refused as invalid_xml.
  Status Finish();

 private:
  XmlPartStream() = default;
  Status Error(std::string_view what) const;
  static int ReadCallback(void* context, char* buffer, int size);

  std::unique_ptr<ZipMemberStream> member_;
  xmlTextReaderPtr reader_ = nullptr;
  Status member_status_;       ///< why the member stopped, when it did
  std::string last_error_;     ///< libxml2's message, with its line
  bool expanded_ = false;      ///< the current element was expanded: skip its subtree next
};

}  // namespace tunepack::ingest::internal
