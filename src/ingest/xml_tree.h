// XmlTree: a parsed XML part of a package (libxml2, namespace-aware), parsed safely: no
// DTD is loaded, no external entity or network resource is fetched, entities are not
// substituted (a reference to one yields no text), and libxml2's own limits on depth and
// entity amplification stay on. Helpers match elements by namespace URI and local name,
// so a producer's choice of prefixes does not matter. Internal to the ingest module.
#pragma once

#include <libxml/tree.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlTree = std::unique_ptr<xmlDoc, XmlDocFree>;

// Initialises libxml2 once per process (it is not safe to do from two threads at once) and
// silences its messages: errors come back through the parser instead.
void InitXmlOnce();

// Parses `bytes` (member `part`, named in errors). Errors: invalid_xml with line.
Result<XmlTree> ParseXml(std::string_view bytes, std::string_view part);

// Returns the root element, or nullptr.
const xmlNode* Root(const XmlTree& tree);

// True when `node` is an element named `local` in one of the namespaces `uris`.
bool IsElement(const xmlNode* node, std::initializer_list<std::string_view> uris, std::string_view local);
// The element's local name ("" for non-elements) and namespace URI ("" when none).
std::string_view LocalName(const xmlNode* node);
std::string_view NamespaceOf(const xmlNode* node);

// Returns the first child element matching, or nullptr.
const xmlNode* FirstChild(const xmlNode* node, std::initializer_list<std::string_view> uris,
                          std::string_view local);
// Returns the first descendant element matching (depth first), or nullptr.
const xmlNode* FindDescendant(const xmlNode* node, std::initializer_list<std::string_view> uris,
                              std::string_view local);

// Returns the attribute `local` in namespace `uri` ("" for an unprefixed attribute), or
// empty.
std::string Attribute(const xmlNode* node, std::string_view uri, std::string_view local);

// Returns all the text below `node`, concatenated.
std::string TextOf(const xmlNode* node);

}  // namespace tunepack::ingest::internal
