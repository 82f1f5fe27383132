#include "ingest/xml_tree.h"

#include <libxml/parser.h>

#include <cstring>
#include <mutex>

#include "ingest/zip_package.h"
#include "tunepack/ingest/document_reader.h"

namespace tunepack::ingest::internal {
namespace {

std::string_view View(const xmlChar* text) {
  return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

// Discards libxml2's messages: errors come back through the parser context instead.
void Silence(void*, const char*, ...) {}

// Returns the first node under `node` (not itself), in document order, for which `stop`
// is true, or nullptr. Iterative: no recursion on hostile depth.
template <typename Stop>
const xmlNode* FirstInPreOrder(const xmlNode* node, Stop stop) {
  if (node == nullptr) return nullptr;
  const xmlNode* current = node->children;
  while (current != nullptr && current != node) {
    if (stop(current)) return current;
    if (current->children && current->type == XML_ELEMENT_NODE) {
      current = current->children;
      continue;
    }
    while (current != node && current->next == nullptr) current = current->parent;
    if (current == node) break;
    current = current->next;
  }
  return nullptr;
}

}  // namespace

void InitXmlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, &Silence);
  });
}

Result<XmlTree> ParseXml(std::string_view bytes, std::string_view part) {
  InitXmlOnce();
  xmlParserCtxtPtr context = xmlNewParserCtxt();
  if (context == nullptr) return InternalError("libxml2: cannot create a parser");
  // No XML_PARSE_NOENT (substitute entities), XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR or
  // XML_PARSE_HUGE: external entities are never fetched, and libxml2's amplification and
  // depth limits stay on. XML_PARSE_NONET refuses network access outright.
  // XML_PARSE_COMPACT keeps short text nodes inside their node: less memory per tree.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    xmlFreeParserCtxt(context);
    return PackageError(RejectReason::kInvalidXml, std::string(part) + " is too large to parse");
  }
  xmlDoc* doc = xmlCtxtReadMemory(context, bytes.data(), static_cast<int>(bytes.size()),
                                  std::string(part).c_str(), nullptr, options);
  if (doc == nullptr || !context->wellFormed) {
    const xmlError* error = xmlCtxtGetLastError(context);
    std::string detail = std::string(part) + " is not well-formed XML";
    if (error != nullptr) {
      std::string message = error->message ? error->message : "";
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      detail += " (line " + std::to_string(error->line) + ": " + message + ")";
    }
    if (doc != nullptr) xmlFreeDoc(doc);
    xmlFreeParserCtxt(context);
    return PackageError(RejectReason::kInvalidXml, detail);
  }
  xmlFreeParserCtxt(context);
  return XmlTree(doc);
}

const xmlNode* Root(const XmlTree& tree) { return tree ? xmlDocGetRootElement(tree.get()) : nullptr; }

std::string_view LocalName(const xmlNode* node) {
  return node && node->type == XML_ELEMENT_NODE ? View(node->name) : std::string_view();
}

std::string_view NamespaceOf(const xmlNode* node) {
  return node && node->ns ? View(node->ns->href) : std::string_view();
}

bool IsElement(const xmlNode* node, std::initializer_list<std::string_view> uris, std::string_view local) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || View(node->name) != local) return false;
  const std::string_view ns = NamespaceOf(node);
  for (std::string_view uri : uris) {
    if (uri == ns) return true;
  }
  return false;
}

const xmlNode* FirstChild(const xmlNode* node, std::initializer_list<std::string_view> uris,
                          std::string_view local) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* child = node->children; child; child = child->next) {
    if (IsElement(child, uris, local)) return child;
  }
  return nullptr;
}

const xmlNode* FindDescendant(const xmlNode* node, std::initializer_list<std::string_view> uris,
                              std::string_view local) {
  return FirstInPreOrder(node, [&](const xmlNode* current) { return IsElement(current, uris, local); });
}

std::string Attribute(const xmlNode* node, std::string_view uri, std::string_view local) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) return {};
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (View(attr->name) != local) continue;
    const std::string_view ns = attr->ns ? View(attr->ns->href) : std::string_view();
    if (ns != uri) continue;
    std::string out;
    for (const xmlNode* text = attr->children; text; text = text->next) out += View(text->content);
    return out;
  }
  return {};
}

std::string TextOf(const xmlNode* node) {
  std::string out;
  FirstInPreOrder(node, [&](const xmlNode* current) {
    if (current->type == XML_TEXT_NODE || current->type == XML_CDATA_SECTION_NODE) out += View(current->content);
    return false;
  });
  return out;
}

}  // namespace tunepack::ingest::internal
