#include "ingest/ooxml_core_properties.h"

#include "ingest/document_builder.h"
#include "ingest/package_text.h"
#include "ingest/xml_tree.h"

namespace tunepack::ingest::internal {
namespace {

constexpr std::string_view kCoreProps = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kDcTerms = "http://purl.org/dc/terms/";
constexpr const char* kCorePart = "docProps/core.xml";

}  // namespace

std::string ReadOoxmlCoreProperties(ZipPackage& package, Document& doc) {
  if (!package.Has(kCorePart)) return {};
  Result<std::string> bytes = package.Read(kCorePart);
  if (!bytes.has_value()) return {};
  Result<XmlTree> core = ParseXml(*bytes, kCorePart);
  if (!core.has_value() || !*core) return {};
  const xmlNode* root = Root(*core);
  if (root == nullptr || !IsElement(root, {kCoreProps}, "coreProperties")) return {};
  SetIfPresent(doc, "author", TextOf(FirstChild(root, {kDc}, "creator")));
  SetIfPresent(doc, "language", TextOf(FirstChild(root, {kDc}, "language")));
  SetIfPresent(doc, "created", TextOf(FirstChild(root, {kDcTerms}, "created")));
  SetIfPresent(doc, "modified", TextOf(FirstChild(root, {kDcTerms}, "modified")));
  return CollapseWhitespace(TextOf(FirstChild(root, {kDc}, "title")));
}

}  // namespace tunepack::ingest::internal
