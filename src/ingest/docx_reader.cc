// DOCX (Office Open XML word processing): the main document part, with headings from
// styles (outline level, else a "heading N" / "Title" style name, through basedOn),
// numbered and bulleted lists, tables as Markdown, footnotes and endnotes, hyperlink text,
// text boxes and tracked changes (insertions kept, deletions dropped). mc:AlternateContent
// is read once (its first Choice; the Fallback repeats the same text). Comments are not
// read. Running headers and footers (header*.xml, footer*.xml) are kept once each, as
// document metadata, never in the body text. Core properties give the title, author and
// dates.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"
#include "ingest/ooxml_core_properties.h"
#include "ingest/package_text.h"
#include "ingest/xml_stream.h"
#include "ingest/xml_tree.h"
#include "ingest/zip_package.h"

namespace tunepack::ingest::internal {
namespace {

// Transitional and Strict OOXML use different namespace URIs for the same elements.
constexpr std::string_view kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";
constexpr std::string_view kRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
// The r: namespace of relationship ids (r:id) in parts, Transitional and Strict.
constexpr std::string_view kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kRStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships";
#define W_NS {kW, kWStrict}

// A limit on element nesting the walk follows: text deeper than this is still collected
// (TextOf is iterative) but its structure is flattened.
constexpr int kMaxDepth = 200;

std::string WAttr(const xmlNode* node, std::string_view local) {
  std::string value = Attribute(node, kW, local);
  return value.empty() ? Attribute(node, kWStrict, local) : value;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Style {
  std::string based_on;
  int outline_level = -1;  ///< 0-8 from w:outlineLvl, -1 none
  int heading_by_name = 0;  ///< from "heading N" / "Title"
};

class StyleTable {
 public:
  void Load(const XmlTree& tree) {
    for (const xmlNode* s = Root(tree) ? Root(tree)->children : nullptr; s; s = s->next) {
      if (!IsElement(s, W_NS, "style")) continue;
      Style style;
      style.based_on = WAttr(FirstChild(s, W_NS, "basedOn"), "val");
      const xmlNode* ppr = FirstChild(s, W_NS, "pPr");
      if (const xmlNode* outline = FirstChild(ppr, W_NS, "outlineLvl")) {
        style.outline_level = std::atoi(WAttr(outline, "val").c_str());
      }
      const std::string name = Lower(WAttr(FirstChild(s, W_NS, "name"), "val"));
      if (name == "title") {
        style.heading_by_name = 1;
      } else if (name.rfind("heading ", 0) == 0 && name.size() == 9 && std::isdigit(static_cast<unsigned char>(name[8]))) {
        style.heading_by_name = name[8] - '0';
      }
      styles_[WAttr(s, "styleId")] = style;
    }
  }

  // Heading level 1-6 of paragraph style `id`, or 0.
  int HeadingLevel(const std::string& id) const {
    std::string current = id;
    for (int hops = 0; hops < 16 && !current.empty(); ++hops) {
      auto it = styles_.find(current);
      if (it == styles_.end()) break;
      if (it->second.outline_level >= 0 && it->second.outline_level < 9) {
        return std::min(it->second.outline_level + 1, 6);
      }
      if (it->second.heading_by_name > 0) return std::min(it->second.heading_by_name, 6);
      current = it->second.based_on;
    }
    // Without styles.xml, the built-in IDs.
    const std::string lower = Lower(id);
    if (lower == "title") return 1;
    if (lower.rfind("heading", 0) == 0 && lower.size() == 8 && std::isdigit(static_cast<unsigned char>(lower[7]))) {
      return std::clamp(lower[7] - '0', 1, 6);
    }
    return 0;
  }

 private:
  std::map<std::string, Style> styles_;
};

// numId -> (level -> ordered?)
class Numbering {
 public:
  void Load(const XmlTree& tree) {
    std::map<std::string, std::map<int, bool>> abstract;
    const xmlNode* root = Root(tree);
    for (const xmlNode* n = root ? root->children : nullptr; n; n = n->next) {
      if (IsElement(n, W_NS, "abstractNum")) {
        auto& levels = abstract[WAttr(n, "abstractNumId")];
        for (const xmlNode* lvl = n->children; lvl; lvl = lvl->next) {
          if (!IsElement(lvl, W_NS, "lvl")) continue;
          const std::string format = WAttr(FirstChild(lvl, W_NS, "numFmt"), "val");
          levels[std::atoi(WAttr(lvl, "ilvl").c_str())] = !format.empty() && format != "bullet" && format != "none";
        }
      }
    }
    for (const xmlNode* n = root ? root->children : nullptr; n; n = n->next) {
      if (IsElement(n, W_NS, "num")) {
        const std::string id = WAttr(FirstChild(n, W_NS, "abstractNumId"), "val");
        if (auto it = abstract.find(id); it != abstract.end()) ordered_[WAttr(n, "numId")] = it->second;
      }
    }
  }
  bool Ordered(const std::string& num_id, int level) const {
    auto it = ordered_.find(num_id);
    if (it == ordered_.end()) return false;
    auto lvl = it->second.find(level);
    return lvl != it->second.end() && lvl->second;
  }

 private:
  std::map<std::string, std::map<int, bool>> ordered_;
};

struct Paragraph {
  std::string text;
  std::vector<const xmlNode*> text_boxes;  ///< w:txbxContent found inside, read after it
};

class DocxRenderer {
 public:
  DocxRenderer(DocumentBuilder& builder, const StyleTable& styles, const Numbering& numbering)
      : builder_(builder), styles_(styles), numbering_(numbering) {}

  void RenderBody(const xmlNode* container, int depth = 0) {
    for (const xmlNode* node = container ? container->children : nullptr; node; node = node->next) {
      RenderBodyNode(node, depth);
    }
  }

  // Renders one child of the body (or of a container in it: sdt, ins, AlternateContent...).
  void RenderBodyNode(const xmlNode* node, int depth) {
    if (IsElement(node, W_NS, "p")) {
      RenderParagraph(node);
    } else if (IsElement(node, W_NS, "sectPr")) {
      NoteSection(node);
    } else if (IsElement(node, W_NS, "tbl")) {
      RenderTable(node);
    } else if (depth < kMaxDepth && (IsElement(node, W_NS, "sdt") || IsElement(node, W_NS, "sdtContent") ||
                                     IsElement(node, W_NS, "ins") || IsElement(node, W_NS, "customXml") ||
                                     IsElement(node, W_NS, "moveTo"))) {
      RenderBody(node, depth + 1);
    } else if (depth < kMaxDepth && IsElement(node, {kMc}, "AlternateContent")) {
      RenderBody(FirstChild(node, {kMc}, "Choice"), depth + 1);
    }
  }


  // Footnote/endnote markers met in the text, in order: (kind, id, label).
  struct NoteRef {
    bool endnote;
    std::string id;
    std::string label;
  };
  const std::vector<NoteRef>& notes() const { return notes_; }

  // A running header or footer a section names: its relationship id, in section order.
  struct RunningPartRef {
    bool footer;
    std::string relationship_id;
  };
  const std::vector<RunningPartRef>& running_parts() const { return running_parts_; }

  // Records the header and footer references of section properties `sect_pr` (a section
  // ends at a paragraph's w:pPr/w:sectPr, the last one at the body's w:sectPr).
  void NoteSection(const xmlNode* sect_pr) {
    for (const xmlNode* ref = sect_pr ? sect_pr->children : nullptr; ref; ref = ref->next) {
      const bool header = IsElement(ref, W_NS, "headerReference");
      if (!header && !IsElement(ref, W_NS, "footerReference")) continue;
      std::string id = Attribute(ref, kR, "id");
      if (id.empty()) id = Attribute(ref, kRStrict, "id");
      if (!id.empty()) running_parts_.push_back({!header, std::move(id)});
    }
  }

  void RenderParagraph(const xmlNode* p) {
    Paragraph paragraph;
    CollectText(p, paragraph, 0);
    const xmlNode* ppr = FirstChild(p, W_NS, "pPr");
    NoteSection(FirstChild(ppr, W_NS, "sectPr"));
    const std::string style = WAttr(FirstChild(ppr, W_NS, "pStyle"), "val");
    int level = styles_.HeadingLevel(style);
    if (const xmlNode* outline = FirstChild(ppr, W_NS, "outlineLvl")) {
      const int direct = std::atoi(WAttr(outline, "val").c_str());
      if (direct >= 0 && direct < 9) level = std::min(direct + 1, 6);
    }
    const std::string text = CollapseSpacesKeepingLines(paragraph.text);
    if (CollapseWhitespace(text).empty()) {
      // An empty paragraph (spacing, an anchor for a text box): no heading or list item.
    } else if (level > 0) {
      const std::string plain = CollapseWhitespace(text);
      builder_.Add(BlockKind::kHeading, MarkdownHeading(level, plain), level, {}, plain);
    } else if (const xmlNode* num = FirstChild(ppr, W_NS, "numPr"); num != nullptr &&
                                                                  WAttr(FirstChild(num, W_NS, "numId"), "val") != "0") {
      const int ilvl = std::clamp(std::atoi(WAttr(FirstChild(num, W_NS, "ilvl"), "val").c_str()), 0, 8);
      const std::string num_id = WAttr(FirstChild(num, W_NS, "numId"), "val");
      const std::string marker = numbering_.Ordered(num_id, ilvl) ? "1. " : "- ";
      // Three spaces per level: a nested item must reach the content column of its parent's
      // marker, and "1. " is three wide.
      std::string item = std::string(static_cast<size_t>(ilvl) * 3, ' ') + marker;
      item += CollapseWhitespace(text);
      // A new list (another numbering definition) is its own Markdown list.
      const bool same_list = num_id == last_list_;
      if (builder_.Add(BlockKind::kListItem, item, ilvl, {}, {}, /*tight=*/same_list)) last_list_ = num_id;
      for (const xmlNode* box : paragraph.text_boxes) RenderBody(box, 1);
      return;
    } else {
      builder_.Add(BlockKind::kParagraph, text);
    }
    last_list_.clear();
    for (const xmlNode* box : paragraph.text_boxes) RenderBody(box, 1);
  }

  void RenderTable(const xmlNode* table) {
    std::vector<std::vector<std::string>> rows;
    for (const xmlNode* tr = table->children; tr; tr = tr->next) {
      if (!IsElement(tr, W_NS, "tr")) continue;
      std::vector<std::string> row;
      for (const xmlNode* tc = tr->children; tc; tc = tc->next) {
        if (!IsElement(tc, W_NS, "tc")) continue;
        std::string cell;
        Paragraph paragraph;
        CollectText(tc, paragraph, 0);  // paragraphs and nested tables, flattened
        row.push_back(CollapseWhitespace(paragraph.text));
        const int span = std::atoi(WAttr(FirstChild(FirstChild(tc, W_NS, "tcPr"), W_NS, "gridSpan"), "val").c_str());
        for (int i = 1; i < std::min(span, 64); ++i) row.emplace_back();
      }
      rows.push_back(std::move(row));
    }
    builder_.Add(BlockKind::kTable, MarkdownTable(rows));
  }

  // Collects the text of `node` into `out`: runs, tabs, breaks, hyperlinks, insertions,
  // fields' results; not deletions, field codes, comments or property elements.
  void CollectText(const xmlNode* node, Paragraph& out, int depth) {
    for (const xmlNode* child = node->children; child; child = child->next) {
      if (child->type != XML_ELEMENT_NODE) continue;
      const std::string_view ns = NamespaceOf(child);
      const std::string_view name = LocalName(child);
      if (ns == kMc) {
        if (name == "AlternateContent" && depth < kMaxDepth) {
          if (const xmlNode* choice = FirstChild(child, {kMc}, "Choice")) CollectText(choice, out, depth + 1);
        }
        continue;
      }
      if (ns != kW && ns != kWStrict) {
        // DrawingML and VML wrappers: look inside for text boxes.
        if (depth < kMaxDepth) CollectText(child, out, depth + 1);
        continue;
      }
      if (name == "t") {
        out.text += TextOf(child);
      } else if (name == "tab" || name == "ptab") {
        out.text += "\t";
      } else if (name == "br" || name == "cr") {
        out.text += "\n";
      } else if (name == "p") {
        if (!out.text.empty()) out.text += "\n";
        if (depth < kMaxDepth) CollectText(child, out, depth + 1);
      } else if (name == "txbxContent") {
        out.text_boxes.push_back(child);
      } else if (name == "footnoteReference" || name == "endnoteReference") {
        const bool endnote = name == "endnoteReference";
        NoteRef ref{endnote, WAttr(child, "id"), (endnote ? "e" : "") + std::to_string(notes_.size() + 1)};
        out.text += "[^" + ref.label + "]";
        notes_.push_back(std::move(ref));
      } else if (name == "del" || name == "delText" || name == "moveFrom" || name == "instrText" ||
                 name == "delInstrText" || name == "pPr" || name == "rPr" || name == "tcPr" ||
                 name == "tblPr" || name == "trPr" || name == "commentReference" || name == "sectPr") {
        continue;
      } else if (depth < kMaxDepth) {
        CollectText(child, out, depth + 1);  // r, hyperlink, ins, smartTag, sdt, fldSimple, tbl...
      }
    }
  }

  // Trims each line's ends; keeps the line breaks a w:br made.
  static std::string CollapseSpacesKeepingLines(const std::string& text) {
    std::string out;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (!out.empty()) out += "\n";
      out += CollapseWhitespace(std::string_view(text).substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

 private:
  DocumentBuilder& builder_;
  const StyleTable& styles_;
  const Numbering& numbering_;
  std::vector<NoteRef> notes_;
  std::vector<RunningPartRef> running_parts_;
  std::string last_list_;  ///< numId of the list item just added, or empty
};

// Returns the target of the relationship of `type_suffix` ("/officeDocument") in `rels`.
std::string RelationshipTarget(const XmlTree& rels, std::string_view type_suffix) {
  for (const xmlNode* rel = Root(rels) ? Root(rels)->children : nullptr; rel; rel = rel->next) {
    if (!IsElement(rel, {kRelNs}, "Relationship")) continue;
    const std::string type = Attribute(rel, "", "Type");
    if (type.size() >= type_suffix.size() &&
        type.compare(type.size() - type_suffix.size(), std::string::npos, type_suffix) == 0) {
      return Attribute(rel, "", "Target");
    }
  }
  return {};
}

// Returns the target of the relationship with id `id` in `rels`, or empty.
std::string RelationshipTargetById(const XmlTree& rels, std::string_view id) {
  for (const xmlNode* rel = Root(rels) ? Root(rels)->children : nullptr; rel; rel = rel->next) {
    if (IsElement(rel, {kRelNs}, "Relationship") && Attribute(rel, "", "Id") == id) return Attribute(rel, "", "Target");
  }
  return {};
}

// Reads a member that may be absent: nullopt-like empty tree when missing.
Result<XmlTree> ReadOptionalXml(ZipPackage& package, const std::string& name) {
  if (!package.Has(name)) return XmlTree();
  TP_ASSIGN_OR_RETURN(std::string bytes, package.Read(name));
  return ParseXml(bytes, name);
}

// Renders the notes referenced in the text, in reference order, as Markdown footnotes.
Status RenderNotes(ZipPackage& package, const std::string& main_part,
                   const std::vector<DocxRenderer::NoteRef>& refs, DocxRenderer& renderer,
                   DocumentBuilder& builder) {
  if (refs.empty()) return Status::Ok();
  const std::string folder = main_part.substr(0, main_part.rfind('/') + 1);
  std::map<std::string, const xmlNode*> notes[2];
  XmlTree trees[2];
  const char* parts[2] = {"footnotes.xml", "endnotes.xml"};
  const char* elements[2] = {"footnote", "endnote"};
  for (int i = 0; i < 2; ++i) {
    TP_ASSIGN_OR_RETURN(trees[i], ReadOptionalXml(package, folder + parts[i]));
    for (const xmlNode* n = Root(trees[i]) ? Root(trees[i])->children : nullptr; n; n = n->next) {
      if (IsElement(n, W_NS, elements[i])) notes[i][WAttr(n, "id")] = n;
    }
  }
  for (const auto& ref : refs) {
    auto it = notes[ref.endnote].find(ref.id);
    if (it == notes[ref.endnote].end()) continue;
    Paragraph paragraph;
    renderer.CollectText(it->second, paragraph, 0);
    builder.Add(BlockKind::kParagraph, "[^" + ref.label + "]: " + CollapseWhitespace(paragraph.text));
  }
  return Status::Ok();
}

// Returns the text of a header or footer part: its paragraphs (in tables and text boxes
// too), one line each, blank ones left out.
std::string RunningPartText(const XmlTree& part, const StyleTable& styles, const Numbering& numbering) {
  DocumentBuilder unused(normalize::NormalizeOptions::None());
  DocxRenderer renderer(unused, styles, numbering);
  Paragraph paragraph;
  if (Root(part) != nullptr) renderer.CollectText(Root(part), paragraph, 0);
  for (size_t i = 0; i < paragraph.text_boxes.size() && i < 64; ++i) {
    paragraph.text += "\n";
    renderer.CollectText(paragraph.text_boxes[i], paragraph, 0);
  }
  std::string out;
  size_t start = 0;
  while (start <= paragraph.text.size()) {
    size_t end = paragraph.text.find('\n', start);
    if (end == std::string::npos) end = paragraph.text.size();
    const std::string line = CollapseWhitespace(std::string_view(paragraph.text).substr(start, end - start));
    if (!line.empty()) out += (out.empty() ? "" : "\n") + line;
    start = end + 1;
  }
  return out;
}

// Keeps the running headers and footers the sections name as the metadata lists
// `running_headers` and `running_footers`: each distinct text once, in section order, so
// that nothing is lost and nothing repeats in the body text. A part that is missing or
// malformed is skipped: it is decoration, not content the document cannot be read without.
void ReadRunningParts(ZipPackage& package, const std::string& main_part,
                      const std::vector<DocxRenderer::RunningPartRef>& refs, const StyleTable& styles,
                      const Numbering& numbering, const normalize::NormalizeOptions& options, Document& doc) {
  if (refs.empty()) return;
  const size_t slash = main_part.rfind('/');
  const std::string rels_name = main_part.substr(0, slash + 1) + "_rels/" + main_part.substr(slash + 1) + ".rels";
  if (!package.Has(rels_name)) return;
  Result<std::string> rels_bytes = package.Read(rels_name);
  if (!rels_bytes.has_value()) return;
  Result<XmlTree> rels = ParseXml(*rels_bytes, rels_name);
  if (!rels.has_value()) return;
  std::vector<std::string> texts[2];
  std::map<std::string, std::string> read;  // part name -> text, each part read once
  for (const auto& ref : refs) {
    // A target is relative to the main part, or (starting with '/') to the package root.
    const std::string target = RelationshipTargetById(*rels, ref.relationship_id);
    const std::string name = !target.empty() && target.front() == '/' ? ResolveMemberPath("", target.substr(1))
                                                                      : ResolveMemberPath(main_part, target);
    auto it = read.find(name);
    if (it == read.end()) {
      std::string text;
      if (package.Has(name)) {
        Result<std::string> bytes = package.Read(name);
        Result<XmlTree> part = bytes.has_value() ? ParseXml(*bytes, name) : Result<XmlTree>(bytes.error());
        if (part.has_value()) text = normalize::Normalize(RunningPartText(*part, styles, numbering), options);
      }
      it = read.emplace(name, std::move(text)).first;
    }
    texts[ref.footer].push_back(it->second);
  }
  SetTextList(doc, "running_headers", texts[0]);
  SetTextList(doc, "running_footers", texts[1]);
}

Status ReadDocx(std::string_view bytes, const DocumentOptions& document_options, Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  TP_ASSIGN_OR_RETURN(auto package, ZipPackage::Open(bytes));
  std::string main_part = "word/document.xml";
  if (package->Has("_rels/.rels")) {
    TP_ASSIGN_OR_RETURN(std::string rels_bytes, package->Read("_rels/.rels"));
    TP_ASSIGN_OR_RETURN(XmlTree rels, ParseXml(rels_bytes, "_rels/.rels"));
    const std::string target = RelationshipTarget(rels, "/officeDocument");
    const std::string resolved = ResolveMemberPath("", target.empty() || target.front() != '/' ? target : target.substr(1));
    if (!resolved.empty() && package->Has(resolved)) main_part = resolved;
  }
  if (!package->Has(main_part)) {
    return PackageError(RejectReason::kCorruptPackage, "not a DOCX package: no " + main_part);
  }
  const std::string folder = main_part.substr(0, main_part.rfind('/') + 1);
  StyleTable styles;
  Numbering numbering;
  TP_ASSIGN_OR_RETURN(XmlTree styles_tree, ReadOptionalXml(*package, folder + "styles.xml"));
  if (styles_tree) styles.Load(styles_tree);
  TP_ASSIGN_OR_RETURN(XmlTree numbering_tree, ReadOptionalXml(*package, folder + "numbering.xml"));
  if (numbering_tree) numbering.Load(numbering_tree);

  // The main part grows with the document: it is parsed as it is decompressed, one child
  // of w:body at a time, so memory holds one paragraph or table, not a tree of the part.
  DocumentBuilder builder(normalize::LineOptions(options));
  DocxRenderer renderer(builder, styles, numbering);
  TP_ASSIGN_OR_RETURN(auto main, XmlPartStream::Open(*package, main_part));
  bool in_body = false;
  bool saw_body = false;
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, main->NextElement());
    if (!more) break;
    if (main->depth() == 1) {
      in_body = main->Is(W_NS, "body");
      saw_body = saw_body || in_body;
    } else if (in_body && main->depth() == 2) {
      TP_ASSIGN_OR_RETURN(const xmlNode* node, main->Expand());
      renderer.RenderBodyNode(node, 0);
    }
  }
  if (!saw_body) return PackageError(RejectReason::kCorruptPackage, main_part + " has no w:body");
  // A copy: a note that references another note appends to the renderer's list.
  const std::vector<DocxRenderer::NoteRef> refs = renderer.notes();
  TP_RETURN_IF_ERROR(RenderNotes(*package, main_part, refs, renderer, builder));
  builder.Finish(doc);
  const std::string title = ReadOoxmlCoreProperties(*package, doc);
  ReadRunningParts(*package, main_part, renderer.running_parts(), styles, numbering, options, doc);
  doc.title = !title.empty() ? normalize::Normalize(title, options) : builder.first_h1();
  return Status::Ok();
}

}  // namespace

DocumentReader DocxReader() {
  DocumentReader reader;
  reader.name = "docx";
  reader.extensions = {".docx", ".docm"};
  reader.description = "Word DOCX; headings, lists, tables, notes, text boxes, tracked insertions, as Markdown";
  reader.read = &ReadDocx;
  reader.reads_bytes = true;
  reader.package_members = {"word/document.xml"};
  return reader;
}

}  // namespace tunepack::ingest::internal
