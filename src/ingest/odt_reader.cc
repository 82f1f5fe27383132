// ODT (OpenDocument text): content.xml's body, with headings (text:h and its outline
// level), lists (nested; numbered or bulleted as their list style says), tables as Markdown, sections, footnotes and endnotes (as
// Markdown footnotes), link text; annotations (comments) and the tracked-changes store
// (where deletions are kept) are not read. The master pages' running headers and footers
// (styles.xml) are kept once each as document metadata, never in the body text. meta.xml
// gives the title, author and dates.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"
#include "ingest/package_text.h"
#include "ingest/xml_stream.h"
#include "ingest/xml_tree.h"
#include "ingest/zip_package.h"

namespace tunepack::ingest::internal {
namespace {

constexpr std::string_view kOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kText = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kTable = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kMeta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kStyle = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
constexpr int kMaxDepth = 200;

// ListStyles: whether each level of each named list style is numbered
// (text:list-level-style-number) rather than bulleted or an image.
class ListStyles {
 public:
  // Reads the text:list-style elements under `styles` (office:automatic-styles of
  // content.xml, office:styles of styles.xml).
  void Add(const xmlNode* styles) {
    for (const xmlNode* style = styles ? styles->children : nullptr; style; style = style->next) {
      if (!IsElement(style, {kText}, "list-style")) continue;
      std::map<int, bool>& levels = numbered_[Attribute(style, std::string(kStyle), "name")];
      for (const xmlNode* level = style->children; level; level = level->next) {
        const int number = std::atoi(Attribute(level, std::string(kText), "level").c_str());
        if (number >= 1) levels[number] = IsElement(level, {kText}, "list-level-style-number");
      }
    }
  }

  bool Numbered(const std::string& style, int level) const {
    const auto it = numbered_.find(style);
    if (it == numbered_.end()) return false;
    const auto at = it->second.find(level);
    return at != it->second.end() && at->second;
  }

 private:
  std::map<std::string, std::map<int, bool>> numbered_;
};

class OdtRenderer {
 public:
  OdtRenderer(DocumentBuilder& builder, const ListStyles& list_styles)
      : builder_(builder), list_styles_(list_styles) {}

  void RenderBlocks(const xmlNode* container, int list_depth, int depth) {
    for (const xmlNode* node = container ? container->children : nullptr; node; node = node->next) {
      RenderBlock(node, list_depth, depth);
    }
    FlushNotes();
  }

  // Renders one child of office:text (or of a section in it).
  void RenderBlock(const xmlNode* node, int list_depth, int depth) {
    if (IsElement(node, {kText}, "h")) {
      const int level = std::clamp(std::atoi(Attribute(node, std::string(kText), "outline-level").c_str()), 1, 6);
      const std::string text = CollapseWhitespace(Inline(node, 0));
      if (!text.empty()) builder_.Add(BlockKind::kHeading, MarkdownHeading(level, text), level, {}, text);
    } else if (IsElement(node, {kText}, "p")) {
      builder_.Add(BlockKind::kParagraph, Inline(node, 0));
    } else if (IsElement(node, {kText}, "list") && depth < kMaxDepth) {
      RenderList(node, ListContext{list_depth, 1, "", ""}, depth + 1);
    } else if (IsElement(node, {kTable}, "table")) {
      RenderTable(node);
    } else if ((IsElement(node, {kText}, "section") || IsElement(node, {kText}, "index-body") ||
                IsElement(node, {kText}, "soft-page-break")) && depth < kMaxDepth) {
      RenderBlocks(node, list_depth, depth + 1);
    }
  }


  // Where a list sits: its nesting (depth, 1-based ODF level), the indent of its items (the
  // content column of the parent item, so a nested item stays in it in Markdown) and the
  // list style it inherits when it names none.
  struct ListContext {
    int depth = 0;
    int level = 1;
    std::string indent;
    std::string style;
  };

  void RenderList(const xmlNode* list, ListContext where, int depth) {
    const std::string named = Attribute(list, std::string(kText), "style-name");
    if (!named.empty()) where.style = named;
    const std::string marker = list_styles_.Numbered(where.style, where.level) ? "1. " : "- ";
    for (const xmlNode* item = list->children; item; item = item->next) {
      if (!IsElement(item, {kText}, "list-item") && !IsElement(item, {kText}, "list-header")) continue;
      for (const xmlNode* child = item->children; child; child = child->next) {
        if (IsElement(child, {kText}, "p") || IsElement(child, {kText}, "h")) {
          const std::string text = CollapseWhitespace(Inline(child, 0));
          if (text.empty()) continue;
          builder_.Add(BlockKind::kListItem, where.indent + marker + text, where.depth, {}, {}, /*tight=*/true);
        } else if (IsElement(child, {kText}, "list") && depth < kMaxDepth) {
          ListContext nested{where.depth + 1, where.level + 1, where.indent + std::string(marker.size(), ' '),
                             where.style};
          RenderList(child, nested, depth + 1);
        }
      }
    }
  }

  void RenderTable(const xmlNode* table) {
    std::vector<std::vector<std::string>> rows;
    CollectRows(table, rows, 0);
    builder_.Add(BlockKind::kTable, MarkdownTable(rows));
  }

  void CollectRows(const xmlNode* node, std::vector<std::vector<std::string>>& rows, int depth) {
    for (const xmlNode* child = node->children; child; child = child->next) {
      if (IsElement(child, {kTable}, "table-row")) {
        std::vector<std::string> row;
        for (const xmlNode* cell = child->children; cell; cell = cell->next) {
          if (!IsElement(cell, {kTable}, "table-cell") && !IsElement(cell, {kTable}, "covered-table-cell")) continue;
          std::string text;
          for (const xmlNode* p = cell->children; p; p = p->next) {
            if (IsElement(p, {kText}, "p") || IsElement(p, {kText}, "h")) {
              if (!text.empty()) text += " ";
              text += Inline(p, 0);
            }
          }
          // A repeated empty cell (spreadsheet-style padding) counts once.
          const int repeat = std::clamp(std::atoi(Attribute(cell, std::string(kTable), "number-columns-repeated").c_str()), 1, 64);
          for (int i = 0; i < (text.empty() ? 1 : repeat); ++i) row.push_back(CollapseWhitespace(text));
        }
        while (!row.empty() && row.back().empty()) row.pop_back();
        rows.push_back(std::move(row));
      } else if (depth < kMaxDepth && (IsElement(child, {kTable}, "table-header-rows") ||
                                       IsElement(child, {kTable}, "table-rows") ||
                                       IsElement(child, {kTable}, "table-row-group"))) {
        CollectRows(child, rows, depth + 1);
      }
    }
  }

  // The text of a paragraph: spans, links, spaces (text:s), tabs, line breaks, note
  // citations; not annotations or change markers.
  std::string Inline(const xmlNode* node, int depth) {
    std::string out;
    for (const xmlNode* child = node->children; child; child = child->next) {
      if (child->type == XML_TEXT_NODE) {
        out += reinterpret_cast<const char*>(child->content);
        continue;
      }
      if (child->type != XML_ELEMENT_NODE) continue;
      if (IsElement(child, {kText}, "s")) {
        const int count = std::clamp(std::atoi(Attribute(child, std::string(kText), "c").c_str()), 1, 1000);
        out.append(static_cast<size_t>(count), ' ');
      } else if (IsElement(child, {kText}, "tab")) {
        out += "\t";
      } else if (IsElement(child, {kText}, "line-break")) {
        out += "\n";
      } else if (IsElement(child, {kText}, "note")) {
        const std::string label = std::to_string(++note_count_);
        out += "[^" + label + "]";
        std::string body;
        for (const xmlNode* p = FirstChild(child, {kText}, "note-body") ? FirstChild(child, {kText}, "note-body")->children : nullptr; p; p = p->next) {
          if (depth < kMaxDepth && (IsElement(p, {kText}, "p") || IsElement(p, {kText}, "h"))) {
            if (!body.empty()) body += " ";
            body += Inline(p, depth + 1);
          }
        }
        notes_.push_back("[^" + label + "]: " + CollapseWhitespace(body));
      } else if (IsElement(child, {kOffice}, "annotation") || IsElement(child, {kOffice}, "annotation-end") ||
                 IsElement(child, {kText}, "change") || IsElement(child, {kText}, "change-start") ||
                 IsElement(child, {kText}, "change-end") || IsElement(child, {kText}, "bookmark-ref")) {
        continue;
      } else if (depth < kMaxDepth) {
        out += Inline(child, depth + 1);  // span, a, ruby, ...
      }
    }
    return out;
  }

  // Appends to `out` the text of a master page's header or footer area: its paragraphs
  // and headings (in regions, tables, lists and sections too), one line each, blank ones
  // left out.
  void RunningText(const xmlNode* area, std::string& out, int depth) {
    for (const xmlNode* node = area ? area->children : nullptr; node; node = node->next) {
      if (IsElement(node, {kText}, "p") || IsElement(node, {kText}, "h")) {
        const std::string line = CollapseWhitespace(Inline(node, 0));
        if (!line.empty()) out += (out.empty() ? "" : "\n") + line;
      } else if (node->type == XML_ELEMENT_NODE && depth < kMaxDepth) {
        RunningText(node, out, depth + 1);  // style:region-*, table rows and cells, lists
      }
    }
  }

  // Notes go after the top-level block that cites them, so they stay near their text.
  void FlushNotes() {
    for (const std::string& note : notes_) builder_.Add(BlockKind::kParagraph, note);
    notes_.clear();
  }

 private:
  DocumentBuilder& builder_;
  const ListStyles& list_styles_;
  int note_count_ = 0;
  std::vector<std::string> notes_;
};

// Keeps the headers and footers of the master pages (style:header, style:header-left,
// style:header-first; the same for footers) as the metadata lists `running_headers` and
// `running_footers`: each distinct text once, in master-page order. content.xml never holds
// them, so they cannot leak into the body text; this keeps them from being lost.
void ReadRunningText(const xmlNode* master_styles, const ListStyles& list_styles,
                     const normalize::NormalizeOptions& options, Document& doc) {
  DocumentBuilder unused(normalize::NormalizeOptions::None());
  OdtRenderer renderer(unused, list_styles);  // its own: a note in a header must not reach the body
  std::vector<std::string> texts[2];
  for (const xmlNode* page = master_styles ? master_styles->children : nullptr; page; page = page->next) {
    if (!IsElement(page, {kStyle}, "master-page")) continue;
    for (const xmlNode* area = page->children; area; area = area->next) {
      const std::string_view name = LocalName(area);
      const bool header = name.rfind("header", 0) == 0;
      if (NamespaceOf(area) != kStyle || (!header && name.rfind("footer", 0) != 0) || name.find("style") != std::string_view::npos) continue;
      if (Attribute(area, kStyle, "display") == "false") continue;  // switched off: not shown
      std::string text;
      renderer.RunningText(area, text, 0);
      texts[!header].push_back(normalize::Normalize(text, options));
    }
  }
  SetTextList(doc, "running_headers", texts[0]);
  SetTextList(doc, "running_footers", texts[1]);
}

Status ReadOdt(std::string_view bytes, const DocumentOptions& document_options, Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  TP_ASSIGN_OR_RETURN(auto package, ZipPackage::Open(bytes));
  if (!package->Has("content.xml")) return PackageError(RejectReason::kCorruptPackage, "not an ODT: no content.xml");
  // List styles live in content.xml (automatic) and styles.xml (named); a damaged or missing
  // styles.xml only costs the numbering and the running headers and footers. styles.xml is
  // read first: content.xml is streamed, and its automatic styles come before its body.
  ListStyles list_styles;
  XmlTree styles;
  if (package->Has("styles.xml")) {
    Result<std::string> styles_bytes = package->Read("styles.xml");
    Result<XmlTree> parsed = styles_bytes.has_value() ? ParseXml(*styles_bytes, "styles.xml")
                                                      : Result<XmlTree>(styles_bytes.error());
    if (parsed.has_value()) styles = std::move(*parsed);
  }
  list_styles.Add(FirstChild(Root(styles), {kOffice}, "styles"));
  DocumentBuilder builder(normalize::LineOptions(options));
  OdtRenderer renderer(builder, list_styles);
  // content.xml grows with the document: it is parsed as it is decompressed, one child of
  // office:text at a time (see xml_stream.h).
  TP_ASSIGN_OR_RETURN(auto content, XmlPartStream::Open(*package, "content.xml"));
  bool in_body = false;
  bool in_text = false;
  bool saw_text = false;
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, content->NextElement());
    if (!more) break;
    if (content->depth() == 1) {
      in_body = content->Is({kOffice}, "body");
      in_text = false;
      if (content->Is({kOffice}, "automatic-styles")) {
        TP_ASSIGN_OR_RETURN(const xmlNode* automatic, content->Expand());
        list_styles.Add(automatic);
      }
    } else if (content->depth() == 2) {
      in_text = in_body && !saw_text && content->Is({kOffice}, "text");
      saw_text = saw_text || in_text;
    } else if (in_text && content->depth() == 3) {
      TP_ASSIGN_OR_RETURN(const xmlNode* node, content->Expand());
      renderer.RenderBlock(node, 0, 0);
    }
  }
  if (!saw_text) {
    return PackageError(RejectReason::kCorruptPackage, "not a text document: content.xml has no office:text body");
  }
  renderer.FlushNotes();
  builder.Finish(doc);

  std::string title;
  if (package->Has("meta.xml")) {
    Result<std::string> meta_bytes = package->Read("meta.xml");
    Result<XmlTree> meta = meta_bytes.has_value() ? ParseXml(*meta_bytes, "meta.xml") : Result<XmlTree>(meta_bytes.error());
    if (meta.has_value()) {
      const xmlNode* fields = FirstChild(Root(*meta), {kOffice}, "meta");
      title = CollapseWhitespace(TextOf(FirstChild(fields, {kDc}, "title")));
      std::string author = TextOf(FirstChild(fields, {kMeta}, "initial-creator"));
      if (author.empty()) author = TextOf(FirstChild(fields, {kDc}, "creator"));
      SetIfPresent(doc, "author", author);
      SetIfPresent(doc, "language", TextOf(FirstChild(fields, {kDc}, "language")));
      SetIfPresent(doc, "created", TextOf(FirstChild(fields, {kMeta}, "creation-date")));
      SetIfPresent(doc, "modified", TextOf(FirstChild(fields, {kDc}, "date")));
    }
  }
  doc.title = !title.empty() ? normalize::Normalize(title, options) : builder.first_h1();
  ReadRunningText(FirstChild(Root(styles), {kOffice}, "master-styles"), list_styles, options, doc);
  return Status::Ok();
}

}  // namespace

DocumentReader OdtReader() {
  DocumentReader reader;
  reader.name = "odt";
  reader.extensions = {".odt"};
  reader.description = "OpenDocument text; headings, lists, tables, notes, as Markdown";
  reader.read = &ReadOdt;
  reader.reads_bytes = true;
  reader.package_mimetype = "application/vnd.oasis.opendocument.text";
  return reader;
}

}  // namespace tunepack::ingest::internal
