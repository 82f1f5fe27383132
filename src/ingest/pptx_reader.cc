// PPTX (Office Open XML presentations): slides in presentation order (p:sldIdLst, through
// the presentation's relationships); each slide's title placeholder becomes a level-1
// heading, its other text frames paragraphs (bulleted paragraphs list items), and its
// tables Markdown tables. Speaker notes (the notes slide's body) follow their slide when asked
// (DocumentOptions::speaker_notes); slide layouts and masters are not read.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"
#include "ingest/ooxml_core_properties.h"
#include "ingest/package_text.h"
#include "ingest/xml_tree.h"
#include "ingest/zip_package.h"

namespace tunepack::ingest::internal {
namespace {

constexpr std::string_view kP = "http://schemas.openxmlformats.org/presentationml/2006/main";
constexpr std::string_view kPStrict = "http://purl.oclc.org/ooxml/presentationml/main";
constexpr std::string_view kA = "http://schemas.openxmlformats.org/drawingml/2006/main";
constexpr std::string_view kAStrict = "http://purl.oclc.org/ooxml/drawingml/main";
constexpr std::string_view kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kRStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships";
constexpr std::string_view kRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr std::string_view kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";
#define P_NS {kP, kPStrict}
#define A_NS {kA, kAStrict}
constexpr int kMaxDepth = 100;

// The text of one a:p: runs, fields, line breaks.
std::string ParagraphText(const xmlNode* p) {
  std::string out;
  for (const xmlNode* child = p->children; child; child = child->next) {
    if (IsElement(child, A_NS, "r") || IsElement(child, A_NS, "fld")) {
      out += TextOf(FirstChild(child, A_NS, "t"));
    } else if (IsElement(child, A_NS, "br")) {
      out += "\n";
    }
  }
  return out;
}

class SlideRenderer {
 public:
  explicit SlideRenderer(DocumentBuilder& builder) : builder_(builder) {}

  void RenderTree(const xmlNode* tree, int depth) {
    for (const xmlNode* node = tree ? tree->children : nullptr; node; node = node->next) {
      if (IsElement(node, P_NS, "sp")) {
        RenderShape(node);
      } else if (IsElement(node, P_NS, "grpSp") && depth < kMaxDepth) {
        RenderTree(node, depth + 1);
      } else if (IsElement(node, P_NS, "graphicFrame")) {
        if (const xmlNode* table = FindDescendant(node, A_NS, "tbl")) RenderTable(table);
      } else if (IsElement(node, {kMc}, "AlternateContent") && depth < kMaxDepth) {
        RenderTree(FirstChild(node, {kMc}, "Choice"), depth + 1);
      }
    }
  }

 private:
  void RenderShape(const xmlNode* shape) {
    const xmlNode* placeholder = FirstChild(FirstChild(FirstChild(shape, P_NS, "nvSpPr"), P_NS, "nvPr"), P_NS, "ph");
    const std::string type = Attribute(placeholder, "", "type");
    const bool title = placeholder != nullptr && (type == "title" || type == "ctrTitle");
    const xmlNode* body = FirstChild(shape, P_NS, "txBody");
    if (body == nullptr) return;
    if (title) {
      std::string text;
      for (const xmlNode* p = body->children; p; p = p->next) {
        if (IsElement(p, A_NS, "p")) text += (text.empty() ? "" : " ") + ParagraphText(p);
      }
      text = CollapseWhitespace(text);
      if (!text.empty()) builder_.Add(BlockKind::kHeading, MarkdownHeading(1, text), 1, {}, text);
      return;
    }
    // Body placeholders are bulleted unless a paragraph says a:buNone.
    const bool bulleted_by_default = placeholder != nullptr && (type.empty() || type == "body" || type == "obj");
    for (const xmlNode* p = body->children; p; p = p->next) {
      if (!IsElement(p, A_NS, "p")) continue;
      const std::string text = ParagraphText(p);
      const xmlNode* ppr = FirstChild(p, A_NS, "pPr");
      const bool no_bullet = FirstChild(ppr, A_NS, "buNone") != nullptr;
      const bool bullet = FirstChild(ppr, A_NS, "buChar") != nullptr || FirstChild(ppr, A_NS, "buAutoNum") != nullptr;
      if (!no_bullet && (bullet || bulleted_by_default) && !CollapseWhitespace(text).empty()) {
        const int level = std::clamp(std::atoi(Attribute(ppr, "", "lvl").c_str()), 0, 8);
        builder_.Add(BlockKind::kListItem, std::string(static_cast<size_t>(level) * 2, ' ') + "- " + CollapseWhitespace(text),
                     level, {}, {}, /*tight=*/true);
      } else {
        builder_.Add(BlockKind::kParagraph, text);
      }
    }
  }

  void RenderTable(const xmlNode* table) {
    std::vector<std::vector<std::string>> rows;
    for (const xmlNode* tr = table->children; tr; tr = tr->next) {
      if (!IsElement(tr, A_NS, "tr")) continue;
      std::vector<std::string> row;
      for (const xmlNode* tc = tr->children; tc; tc = tc->next) {
        if (!IsElement(tc, A_NS, "tc")) continue;
        std::string text;
        if (const xmlNode* body = FirstChild(tc, A_NS, "txBody")) {
          for (const xmlNode* p = body->children; p; p = p->next) {
            if (IsElement(p, A_NS, "p")) text += (text.empty() ? "" : " ") + ParagraphText(p);
          }
        }
        row.push_back(CollapseWhitespace(text));
      }
      rows.push_back(std::move(row));
    }
    builder_.Add(BlockKind::kTable, MarkdownTable(rows));
  }

  DocumentBuilder& builder_;
};

Result<XmlTree> ReadXml(ZipPackage& package, const std::string& name) {
  TP_ASSIGN_OR_RETURN(std::string bytes, package.Read(name));
  return ParseXml(bytes, name);
}

// The relationships part of `part`: "ppt/presentation.xml" -> "ppt/_rels/presentation.xml.rels".
std::string RelsPath(const std::string& part) {
  const size_t slash = part.rfind('/');
  const std::string folder = slash == std::string::npos ? "" : part.substr(0, slash + 1);
  return folder + "_rels/" + part.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
}

// A part's relationships: id -> (type, member path), from its .rels part; none when it has
// no .rels part.
struct Relationship {
  std::string type;
  std::string member;
};

Result<std::map<std::string, Relationship>> ReadRelationships(ZipPackage& package, const std::string& part) {
  std::map<std::string, Relationship> out;
  const std::string rels_path = RelsPath(part);
  if (!package.Has(rels_path)) return out;
  TP_ASSIGN_OR_RETURN(XmlTree rels, ReadXml(package, rels_path));
  for (const xmlNode* rel = Root(rels) ? Root(rels)->children : nullptr; rel; rel = rel->next) {
    if (IsElement(rel, {kRelNs}, "Relationship")) {
      out[Attribute(rel, "", "Id")] = {Attribute(rel, "", "Type"),
                                       ResolveMemberPath(part, Attribute(rel, "", "Target"))};
    }
  }
  return out;
}

// Adds the speaker notes of `slide_part` (its notesSlide's body placeholder) as paragraphs,
// the first marked "Speaker notes:"; nothing when the slide has none.
Status AddSpeakerNotes(ZipPackage& package, const std::string& slide_part, DocumentBuilder& builder) {
  TP_ASSIGN_OR_RETURN(auto relationships, ReadRelationships(package, slide_part));
  for (const auto& [id, rel] : relationships) {
    if (!rel.type.ends_with("/notesSlide") || rel.member.empty() || !package.Has(rel.member)) continue;
    TP_ASSIGN_OR_RETURN(XmlTree notes, ReadXml(package, rel.member));
    const xmlNode* tree = FirstChild(FirstChild(Root(notes), P_NS, "cSld"), P_NS, "spTree");
    bool first = true;
    for (const xmlNode* shape = tree ? tree->children : nullptr; shape; shape = shape->next) {
      const xmlNode* placeholder =
          FirstChild(FirstChild(FirstChild(shape, P_NS, "nvSpPr"), P_NS, "nvPr"), P_NS, "ph");
      if (!IsElement(shape, P_NS, "sp") || Attribute(placeholder, "", "type") != "body") continue;
      const xmlNode* body = FirstChild(shape, P_NS, "txBody");
      for (const xmlNode* p = body ? body->children : nullptr; p; p = p->next) {
        if (!IsElement(p, A_NS, "p")) continue;
        const std::string text = ParagraphText(p);
        if (CollapseWhitespace(text).empty()) continue;
        builder.Add(BlockKind::kParagraph, (first ? "Speaker notes: " : "") + text);
        first = false;
      }
    }
  }
  return Status::Ok();
}

Status ReadPptx(std::string_view bytes, const DocumentOptions& document_options, Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  TP_ASSIGN_OR_RETURN(auto package, ZipPackage::Open(bytes));
  const std::string presentation_part = "ppt/presentation.xml";
  if (!package->Has(presentation_part)) {
    return PackageError(RejectReason::kCorruptPackage, "not a PPTX package: no " + presentation_part);
  }
  TP_ASSIGN_OR_RETURN(XmlTree presentation, ReadXml(*package, presentation_part));
  TP_ASSIGN_OR_RETURN(auto targets, ReadRelationships(*package, presentation_part));
  DocumentBuilder builder(normalize::LineOptions(options));
  const xmlNode* list = FirstChild(Root(presentation), P_NS, "sldIdLst");
  for (const xmlNode* id = list ? list->children : nullptr; id; id = id->next) {
    if (!IsElement(id, P_NS, "sldId")) continue;
    std::string rid = Attribute(id, kR, "id");
    if (rid.empty()) rid = Attribute(id, kRStrict, "id");
    auto it = targets.find(rid);
    if (it == targets.end() || it->second.member.empty() || !package->Has(it->second.member)) continue;
    TP_ASSIGN_OR_RETURN(XmlTree slide, ReadXml(*package, it->second.member));
    SlideRenderer renderer(builder);
    renderer.RenderTree(FirstChild(FirstChild(Root(slide), P_NS, "cSld"), P_NS, "spTree"), 0);
    if (document_options.speaker_notes) TP_RETURN_IF_ERROR(AddSpeakerNotes(*package, it->second.member, builder));
  }
  builder.Finish(doc);

  const std::string title = ReadOoxmlCoreProperties(*package, doc);
  doc.title = !title.empty() ? normalize::Normalize(title, options) : builder.first_h1();
  return Status::Ok();
}

}  // namespace

DocumentReader PptxReader() {
  DocumentReader reader;
  reader.name = "pptx";
  reader.extensions = {".pptx"};
  reader.description = "PowerPoint PPTX; slides in order, titles as headings, as Markdown";
  reader.read = &ReadPptx;
  reader.reads_bytes = true;
  reader.package_members = {"ppt/presentation.xml"};
  return reader;
}

}  // namespace tunepack::ingest::internal
