// EPUB: the package document (OPF) named by META-INF/container.xml gives the metadata and
// the spine; each spine item (XHTML) goes through the HTML reader's renderer, in spine
// order, into one Document. The navigation document (EPUB 3 `nav`) and the NCX table of
// contents are not rendered, so the table of contents does not repeat the headings.
#include <map>
#include <string>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"
#include "ingest/package_text.h"
#include "ingest/xml_tree.h"
#include "ingest/zip_package.h"
#include "tunepack/ingest/detect.h"

namespace tunepack::ingest::internal {
namespace {

constexpr std::string_view kContainer = "urn:oasis:names:tc:opendocument:xmlns:container";
constexpr std::string_view kOpf = "http://www.idpf.org/2007/opf";
constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";

struct Item {
  std::string href;
  std::string media_type;
  std::string properties;
};

bool HasWord(std::string_view list, std::string_view word) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(pos, end - pos) == word) return true;
    pos = end + 1;
  }
  return false;
}

Result<std::string> PackageDocumentPath(ZipPackage& package) {
  TP_ASSIGN_OR_RETURN(std::string bytes, package.Read("META-INF/container.xml"));
  TP_ASSIGN_OR_RETURN(XmlTree container, ParseXml(bytes, "META-INF/container.xml"));
  const xmlNode* rootfile = FindDescendant(Root(container), {kContainer}, "rootfile");
  const std::string path = ResolveMemberPath("", Attribute(rootfile, "", "full-path"));
  if (path.empty() || !package.Has(path)) {
    return PackageError(RejectReason::kCorruptPackage, "META-INF/container.xml names no package document in the file");
  }
  return path;
}

Status ReadEpub(std::string_view bytes, const DocumentOptions& document_options, Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  TP_ASSIGN_OR_RETURN(auto package, ZipPackage::Open(bytes));
  if (!package->Has("META-INF/container.xml")) {
    return PackageError(RejectReason::kCorruptPackage, "not an EPUB: no META-INF/container.xml");
  }
  TP_ASSIGN_OR_RETURN(const std::string opf_path, PackageDocumentPath(*package));
  TP_ASSIGN_OR_RETURN(std::string opf_bytes, package->Read(opf_path));
  TP_ASSIGN_OR_RETURN(XmlTree opf, ParseXml(opf_bytes, opf_path));
  const xmlNode* root = Root(opf);
  const xmlNode* metadata = FirstChild(root, {kOpf}, "metadata");
  const xmlNode* manifest = FirstChild(root, {kOpf}, "manifest");
  const xmlNode* spine = FirstChild(root, {kOpf}, "spine");
  if (manifest == nullptr || spine == nullptr) {
    return PackageError(RejectReason::kCorruptPackage, opf_path + " has no manifest or spine");
  }
  std::map<std::string, Item> items;
  for (const xmlNode* n = manifest->children; n; n = n->next) {
    if (!IsElement(n, {kOpf}, "item")) continue;
    items[Attribute(n, "", "id")] = Item{Attribute(n, "", "href"), Attribute(n, "", "media-type"),
                                         Attribute(n, "", "properties")};
  }

  DocumentBuilder builder(normalize::LineOptions(options));
  for (const xmlNode* ref = spine->children; ref; ref = ref->next) {
    if (!IsElement(ref, {kOpf}, "itemref")) continue;
    auto it = items.find(Attribute(ref, "", "idref"));
    if (it == items.end()) continue;
    const Item& item = it->second;
    if (HasWord(item.properties, "nav")) continue;  // the table of contents
    if (item.media_type != "application/xhtml+xml" && item.media_type != "text/html") continue;
    const std::string path = ResolveMemberPath(opf_path, item.href);
    if (path.empty() || !package->Has(path)) continue;  // outside the package, or missing
    TP_ASSIGN_OR_RETURN(std::string chapter, package->Read(path));
    TP_ASSIGN_OR_RETURN(DecodedText text,
                        DecodeToUtf8(chapter, InvalidUtf8Policy::kReplace, FindDeclaredCharset(chapter)));
    TP_RETURN_IF_ERROR(RenderHtml(text.text, options, builder, nullptr));
  }
  builder.Finish(doc);

  const std::string title = CollapseWhitespace(TextOf(FirstChild(metadata, {kDc}, "title")));
  doc.title = !title.empty() ? normalize::Normalize(title, options) : builder.first_h1();
  SetIfPresent(doc, "author", TextOf(FirstChild(metadata, {kDc}, "creator")));
  SetIfPresent(doc, "language", TextOf(FirstChild(metadata, {kDc}, "language")));
  SetIfPresent(doc, "created", TextOf(FirstChild(metadata, {kDc}, "date")));
  return Status::Ok();
}

}  // namespace

DocumentReader EpubReader() {
  DocumentReader reader;
  reader.name = "epub";
  reader.extensions = {".epub"};
  reader.description = "EPUB; the spine's chapters in order, through the HTML reader";
  reader.read = &ReadEpub;
  reader.reads_bytes = true;
  reader.package_members = {"META-INF/container.xml"};
  reader.package_mimetype = "application/epub+zip";
  return reader;
}

}  // namespace tunepack::ingest::internal
