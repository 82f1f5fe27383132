// HTML: gumbo (an HTML5-conformant parser) builds the tree; the visible text of the main
// content is rendered as Markdown, so headings, lists, code and tables survive as they do
// for Markdown input.
//
// Boilerplate removal is by selector, not by text density: documentation pages (Sphinx,
// DocBook, MkDocs) mark their content with <main>, role="main" or <article>, and put the
// navigation in <nav>/<header>/<footer>/<aside>. Our survey of a Sphinx page found the
// sidebar's "Table of Contents" heading before the page's <h1>, and '¶' permalink anchors
// inside every heading; both are dropped here.
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"

namespace tunepack::ingest::internal {
namespace {

// gumbo's tree construction slows down more than quadratically with nesting depth (10,000
// nested <div><span> pairs take 15 s on our machines), and no real page nests anywhere near
// this deep, so deeper input is refused before gumbo sees it.
constexpr int kMaxNestingDepth = 1000;

// Deeper subtrees are flattened to their text with an explicit stack: input can nest
// elements arbitrarily deep, and the renderer must not recurse that far.
constexpr int kMaxRenderDepth = 200;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Appends `text` with HTML whitespace collapsed (runs become one space), normalised by
// `characters` first unless that is null (code: its characters are kept as they are).
void AppendCollapsed(std::string_view text, std::string& out,
                     const normalize::NormalizeOptions* characters) {
  std::string normalized;
  if (characters != nullptr) {
    normalized = normalize::Normalize(text, *characters);
    text = normalized;
  }
  for (char c : text) {
    if (IsSpace(c)) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

const char* Attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
  return attribute == nullptr ? nullptr : attribute->value;
}

// Returns true when the class attribute holds `word` as a whole class name.
bool HasClass(const GumboNode* node, std::string_view word) {
  const char* classes = Attribute(node, "class");
  if (classes == nullptr) return false;
  std::string_view rest(classes);
  while (!rest.empty()) {
    size_t start = 0;
    while (start < rest.size() && IsSpace(rest[start])) ++start;
    size_t end = start;
    while (end < rest.size() && !IsSpace(rest[end])) ++end;
    if (rest.substr(start, end - start) == word) return true;
    rest.remove_prefix(end);
  }
  return false;
}

// Returns the language named by a class such as "language-python", "lang-cpp" or Sphinx's
// "highlight-python", or empty.
std::string LanguageFromClass(const GumboNode* node) {
  if (node == nullptr || node->type != GUMBO_NODE_ELEMENT) return {};
  const char* classes = Attribute(node, "class");
  if (classes == nullptr) return {};
  std::string_view rest(classes);
  for (std::string_view prefix : {"language-", "lang-", "highlight-"}) {
    const size_t at = rest.find(prefix);
    if (at == std::string_view::npos || (at > 0 && !IsSpace(rest[at - 1]))) continue;
    size_t end = at + prefix.size();
    while (end < rest.size() && !IsSpace(rest[end])) ++end;
    std::string language(rest.substr(at + prefix.size(), end - at - prefix.size()));
    if (language != "default" && language != "none" && language != "text") return language;
  }
  return {};
}

bool IsDropped(const GumboNode* node) {
  switch (node->v.element.tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_INPUT:
      return true;
    case GUMBO_TAG_A:
      return HasClass(node, "headerlink");  // Sphinx's '¶' permalinks
    default:
      break;
  }
  // DocBook XSL's chapter/prev/next tables above and below every page, and its generated
  // tables of contents (links to the headings that follow).
  for (std::string_view navigation : {"navheader", "navfooter", "toc", "list-of-tables",
                                      "list-of-figures", "list-of-examples"}) {
    if (HasClass(node, navigation)) return true;
  }
  if (Attribute(node, "hidden") != nullptr) return true;
  const char* role = Attribute(node, "role");
  return role != nullptr && (std::strcmp(role, "navigation") == 0 ||
                             std::strcmp(role, "banner") == 0 ||
                             std::strcmp(role, "contentinfo") == 0);
}

int HeadingLevel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
  }
}

bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_LI: case GUMBO_TAG_PRE: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR: case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
      return true;
    default:
      return false;
  }
}

// Appends every text node under `root` (skipping dropped elements), iteratively. Keeps
// whitespace as is when `raw` (for <pre>), else collapses it; normalises characters as
// AppendCollapsed does.
void AppendAllText(const GumboNode* root, bool raw, std::string& out,
                   const normalize::NormalizeOptions* characters) {
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      if (node != root && IsDropped(node)) continue;
      if (node->v.element.tag == GUMBO_TAG_BR) {
        out.push_back(raw ? '\n' : ' ');
        continue;
      }
      const GumboVector& children = node->v.element.children;
      for (unsigned i = children.length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
      }
    } else if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
               node->type == GUMBO_NODE_CDATA) {
      if (raw) {
        out.append(characters != nullptr ? normalize::Normalize(node->v.text.text, *characters)
                                         : std::string(node->v.text.text));
      } else {
        AppendCollapsed(node->v.text.text, out, characters);
      }
    }
  }
}

// Finds the first element matching `match` in document order, iteratively.
template <typename Match>
const GumboNode* FindFirst(const GumboNode* root, Match match) {
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT) continue;
    if (match(node)) return node;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
  return nullptr;
}

// Returns an upper estimate of how deep `html` nests elements: start tags push, end tags
// pop. Void elements and those HTML closes implicitly (p, li, td...) do not push, so long
// pages of unclosed <p> or <li> are not mistaken for deep ones.
int EstimateNestingDepth(std::string_view html) {
  static constexpr std::string_view kNonNesting[] = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
      "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "param", "!",
  };
  int depth = 0, deepest = 0;
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    ++pos;
    const bool end_tag = pos < html.size() && html[pos] == '/';
    if (end_tag) ++pos;
    size_t name_end = pos;
    while (name_end < html.size() && (std::isalnum(static_cast<unsigned char>(html[name_end])) ||
                                      html[name_end] == '!')) {
      ++name_end;
    }
    if (name_end == pos) continue;
    std::string name(html.substr(pos, name_end - pos));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name[0] == '!') name = "!";
    bool nests = true;
    for (std::string_view skip : kNonNesting) nests = nests && name != skip;
    if (!nests) continue;
    if (end_tag) {
      depth = std::max(depth - 1, 0);
    } else {
      deepest = std::max(deepest, ++depth);
    }
  }
  return deepest;
}

// Returns the elements that have a block element (paragraph, list, <pre>, table...)
// somewhere below them. An inline element among them cannot be rendered inline without
// flattening that structure into one paragraph, so it is rendered as a transparent
// container. It happens with HTML5's block links (<a href><div>...</div></a>) and, page-wide,
// with XHTML: a self-closed <a id="..."/> (DocBook puts one in every heading) is an open <a>
// to an HTML parser, which re-opens it around everything up to the next link. One pass:
// each block marks its ancestors up to the first one already marked.
std::unordered_set<const GumboNode*> ElementsHoldingBlocks(const GumboNode* root) {
  std::unordered_set<const GumboNode*> holding;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    if (IsBlockTag(node->v.element.tag)) {
      for (const GumboNode* up = node->parent; up != nullptr && holding.insert(up).second;
           up = up->parent) {
      }
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
  }
  return holding;
}

class MarkdownRenderer {
 public:
  // Text is normalised node by node with the character steps of `options` (the builder
  // applies the line steps), so that code, whose nodes are left alone, keeps its text.
  MarkdownRenderer(DocumentBuilder& builder, const GumboNode* root,
                   const normalize::NormalizeOptions& options)
      : builder_(builder),
        characters_(normalize::CharacterOptions(options)),
        holding_blocks_(ElementsHoldingBlocks(root)) {}

  // Renders the block content of `node`.
  void RenderBlock(const GumboNode* node, int depth) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      AppendCollapsed(node->v.text.text, paragraph_, &characters_);
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
    if (IsDropped(node)) return;
    if (depth > kMaxRenderDepth) {
      AppendAllText(node, false, paragraph_, &characters_);
      return;
    }
    const GumboTag tag = node->v.element.tag;
    if (const int level = HeadingLevel(tag); level > 0) {
      FlushParagraph();
      std::string text;
      RenderInline(node, depth, text);
      text = CollapseWhitespace(text);
      builder_.Add(BlockKind::kHeading, std::string(level, '#') + " " + text, level, {}, text);
      return;
    }
    switch (tag) {
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
        FlushParagraph();
        RenderList(node, depth, "");
        return;
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_TEXTAREA:  // raw text too: a sample input, kept as code
        FlushParagraph();
        RenderPre(node);
        return;
      case GUMBO_TAG_TABLE:
        FlushParagraph();
        if (IsAdmonitionLayout(node)) {
          RenderLayoutTable(node, depth);
        } else {
          RenderTable(node);
        }
        return;
      case GUMBO_TAG_BLOCKQUOTE: {
        FlushParagraph();
        std::string text;
        AppendAllText(node, false, text, &characters_);
        builder_.Add(BlockKind::kQuote, "> " + CollapseWhitespace(text));
        return;
      }
      case GUMBO_TAG_BR:
        paragraph_.push_back('\n');
        return;
      default:
        break;
    }
    if (IsBlockTag(tag)) {
      FlushParagraph();
      for (unsigned i = 0; i < node->v.element.children.length; ++i) {
        RenderBlock(static_cast<const GumboNode*>(node->v.element.children.data[i]), depth + 1);
      }
      FlushParagraph();
    } else if (HoldsBlocks(node)) {
      // Transparent: inline text before and after its blocks joins the paragraphs around.
      for (unsigned i = 0; i < node->v.element.children.length; ++i) {
        RenderBlock(static_cast<const GumboNode*>(node->v.element.children.data[i]), depth + 1);
      }
    } else {
      RenderInline(node, depth, paragraph_);
    }
  }

  void FlushParagraph() {
    if (!paragraph_.empty()) builder_.Add(BlockKind::kParagraph, TrimLines(paragraph_));
    paragraph_.clear();
  }

 private:
  // Renders inline content: text, `code`, and the text of anything else.
  void RenderInline(const GumboNode* node, int depth, std::string& out) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      AppendCollapsed(node->v.text.text, out, &characters_);
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
    if (IsDropped(node)) return;
    if (depth > kMaxRenderDepth) {
      AppendAllText(node, false, out, &characters_);
      return;
    }
    const GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_BR) {
      out.push_back('\n');
      return;
    }
    if (tag == GUMBO_TAG_CODE || tag == GUMBO_TAG_KBD || tag == GUMBO_TAG_SAMP) {
      std::string code;
      AppendAllText(node, false, code, nullptr);  // code: kept as is
      if (!code.empty()) {
        // A backtick inside needs a longer fence (CommonMark code spans).
        const std::string fence = code.find('`') == std::string::npos ? "`" : "``";
        out += fence + (code.front() == '`' ? " " : "") + code +
               (code.back() == '`' ? " " : "") + fence;
      }
      return;
    }
    // Block elements inside inline context (a <p> inside an <li>) separate words.
    const bool block = IsBlockTag(tag);
    if (block && !out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    for (unsigned i = 0; i < node->v.element.children.length; ++i) {
      RenderInline(static_cast<const GumboNode*>(node->v.element.children.data[i]), depth + 1, out);
    }
    if (block && !out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
  }

  // Renders the items of <ul>/<ol> `list`, each as one list item block; nested lists follow
  // their item with the indent that makes them nest in Markdown.
  void RenderList(const GumboNode* list, int depth, const std::string& indent) {
    const bool ordered = list->v.element.tag == GUMBO_TAG_OL;
    int number = 1;
    bool first = true;
    // A stray <a> re-opened inside the list can hold its items.
    for (const GumboNode* item : ChildrenThroughTransparent(list)) {
      if (item->type != GUMBO_NODE_ELEMENT || IsDropped(item)) continue;
      if (item->v.element.tag != GUMBO_TAG_LI) {
        RenderBlock(item, depth + 1);
        FlushParagraph();
        continue;
      }
      const std::string marker = ordered ? std::to_string(number++) + ". " : "- ";
      std::string text;
      std::vector<const GumboNode*> after;  // nested lists, code and tables come after
      for (const GumboNode* child : ChildrenThroughTransparent(item)) {
        if (child->type == GUMBO_NODE_ELEMENT && !IsDropped(child) &&
            (child->v.element.tag == GUMBO_TAG_UL || child->v.element.tag == GUMBO_TAG_OL ||
             child->v.element.tag == GUMBO_TAG_PRE || child->v.element.tag == GUMBO_TAG_TEXTAREA ||
             child->v.element.tag == GUMBO_TAG_TABLE)) {
          after.push_back(child);
        } else {
          RenderInline(child, depth + 2, text);
        }
      }
      // A top-level list starts a new paragraph; its later items and nested lists do not.
      builder_.Add(BlockKind::kListItem, indent + marker + CollapseWhitespace(text),
                   static_cast<int>(indent.size() / 2), {}, {}, !first || !indent.empty());
      first = false;
      for (const GumboNode* child : after) {
        if (depth + 2 > kMaxRenderDepth) {
          AppendAllText(child, false, paragraph_, &characters_);
          FlushParagraph();
        } else if (child->v.element.tag == GUMBO_TAG_UL || child->v.element.tag == GUMBO_TAG_OL) {
          RenderList(child, depth + 2, indent + std::string(marker.size(), ' '));
        } else {
          RenderBlock(child, depth + 2);
        }
      }
    }
  }

  bool HoldsBlocks(const GumboNode* node) const { return holding_blocks_.count(node) > 0; }

  // Returns the children of `node`, with those of the inline elements and <div>s holding
  // blocks in their place (recursively, in document order), so that a list item's code and
  // nested lists are found under a stray <a>, or DocBook's <div class="itemizedlist">, too.
  std::vector<const GumboNode*> ChildrenThroughTransparent(const GumboNode* node) const {
    std::vector<const GumboNode*> out;
    std::vector<const GumboNode*> stack;
    auto push_children = [&](const GumboNode* parent) {
      const GumboVector& children = parent->v.element.children;
      for (unsigned i = children.length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
      }
    };
    push_children(node);
    while (!stack.empty()) {
      const GumboNode* child = stack.back();
      stack.pop_back();
      if (child->type == GUMBO_NODE_ELEMENT && !IsDropped(child) &&
          (!IsBlockTag(child->v.element.tag) || child->v.element.tag == GUMBO_TAG_DIV) &&
          HoldsBlocks(child)) {
        push_children(child);
      } else {
        out.push_back(child);
      }
    }
    return out;
  }

  void RenderPre(const GumboNode* pre) {
    std::string code;
    AppendAllText(pre, true, code, nullptr);  // code: kept as is
    while (!code.empty() && (code.back() == '\n' || code.back() == ' ')) code.pop_back();
    // Leading blank lines (often a newline after <pre><code>) are layout, not code; the
    // first line's indentation is kept.
    const size_t first_line = code.find_first_not_of(" \t\r\n");
    if (first_line == std::string::npos) return;
    const size_t line_start = code.rfind('\n', first_line);
    if (line_start != std::string::npos) code.erase(0, line_start + 1);
    std::string language = LanguageFromClass(pre);
    if (language.empty()) {
      for (unsigned i = 0; i < pre->v.element.children.length && language.empty(); ++i) {
        language = LanguageFromClass(static_cast<const GumboNode*>(pre->v.element.children.data[i]));
      }
    }
    // Sphinx puts the language two levels up: <div class="highlight-python"><div
    // class="highlight"><pre>.
    const GumboNode* up = pre->parent;
    for (int hops = 0; hops < 2 && language.empty() && up != nullptr &&
                       up->type == GUMBO_NODE_ELEMENT;
         ++hops, up = up->parent) {
      language = LanguageFromClass(up);
    }
    std::string fence = "```";
    while (code.find(fence) != std::string::npos) fence.push_back('`');
    builder_.Add(BlockKind::kCode, fence + language + "\n" + code + "\n" + fence, 0, language);
  }

  // Returns true for a table that only lays out an admonition: DocBook XSL draws each
  // note, tip or warning as a borderless table (an icon, the title, then the text) inside
  // <div class="note">. Its text, <pre> blocks included, is prose, not table cells.
  static bool IsAdmonitionLayout(const GumboNode* table) {
    const GumboNode* parent = table->parent;
    if (parent == nullptr || parent->type != GUMBO_NODE_ELEMENT) return false;
    for (std::string_view kind : {"note", "tip", "warning", "caution", "important"}) {
      if (HasClass(parent, kind)) return true;
    }
    return false;
  }

  // Renders the cells of a layout table as blocks, row by row.
  void RenderLayoutTable(const GumboNode* table, int depth) {
    std::vector<const GumboNode*> stack{table};
    std::vector<const GumboNode*> cells;
    while (!stack.empty()) {  // cells in document order, through thead/tbody/tr
      const GumboNode* node = stack.back();
      stack.pop_back();
      if (node->type != GUMBO_NODE_ELEMENT) continue;
      const GumboTag tag = node->v.element.tag;
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
        cells.push_back(node);
        continue;
      }
      if (node != table && tag != GUMBO_TAG_TBODY && tag != GUMBO_TAG_THEAD &&
          tag != GUMBO_TAG_TFOOT && tag != GUMBO_TAG_TR) {
        continue;
      }
      const GumboVector& children = node->v.element.children;
      for (unsigned i = children.length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
      }
    }
    for (const GumboNode* cell : cells) {
      RenderBlock(cell, depth + 1);
      FlushParagraph();
    }
  }

  void RenderTable(const GumboNode* table) {
    std::vector<std::vector<std::string>> rows;
    size_t columns = 0;
    // Rows sit directly in <table> or in its <thead>/<tbody>/<tfoot>.
    std::vector<const GumboNode*> sections{table};
    for (unsigned i = 0; i < table->v.element.children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(table->v.element.children.data[i]);
      if (child->type == GUMBO_NODE_ELEMENT &&
          (child->v.element.tag == GUMBO_TAG_THEAD || child->v.element.tag == GUMBO_TAG_TBODY ||
           child->v.element.tag == GUMBO_TAG_TFOOT)) {
        sections.push_back(child);
      }
    }
    // <thead> first whatever the source order, as a reader would see it.
    std::stable_sort(sections.begin() + 1, sections.end(), [](const GumboNode* a, const GumboNode* b) {
      return a->v.element.tag == GUMBO_TAG_THEAD && b->v.element.tag != GUMBO_TAG_THEAD;
    });
    for (const GumboNode* section : sections) {
      for (unsigned i = 0; i < section->v.element.children.length; ++i) {
        const auto* row = static_cast<const GumboNode*>(section->v.element.children.data[i]);
        if (row->type != GUMBO_NODE_ELEMENT || row->v.element.tag != GUMBO_TAG_TR) continue;
        std::vector<std::string> cells;
        for (unsigned j = 0; j < row->v.element.children.length; ++j) {
          const auto* cell = static_cast<const GumboNode*>(row->v.element.children.data[j]);
          if (cell->type != GUMBO_NODE_ELEMENT ||
              (cell->v.element.tag != GUMBO_TAG_TD && cell->v.element.tag != GUMBO_TAG_TH)) {
            continue;
          }
          std::string text;
          AppendAllText(cell, false, text, &characters_);
          std::string escaped;
          for (char c : CollapseWhitespace(text)) {
            if (c == '|') escaped.push_back('\\');
            escaped.push_back(c);
          }
          cells.push_back(std::move(escaped));
        }
        columns = std::max(columns, cells.size());
        rows.push_back(std::move(cells));
      }
    }
    if (rows.empty() || columns == 0) return;
    std::string markdown;
    auto append_row = [&](const std::vector<std::string>& cells) {
      markdown += "|";
      for (size_t c = 0; c < columns; ++c) {
        markdown += " " + (c < cells.size() ? cells[c] : std::string()) + " |";
      }
      markdown += "\n";
    };
    append_row(rows[0]);
    markdown += "|";
    for (size_t c = 0; c < columns; ++c) markdown += " --- |";
    markdown += "\n";
    for (size_t r = 1; r < rows.size(); ++r) append_row(rows[r]);
    builder_.Add(BlockKind::kTable, markdown);
  }

  // Trims spaces around the line breaks a <br> left in a paragraph.
  static std::string TrimLines(const std::string& text) {
    std::string out;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view line = std::string_view(text).substr(pos, end - pos);
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
      if (!line.empty()) {
        if (!out.empty()) out.push_back('\n');
        out.append(line);
      }
      pos = end + 1;
    }
    return out;
  }

  DocumentBuilder& builder_;
  normalize::NormalizeOptions characters_;
  std::unordered_set<const GumboNode*> holding_blocks_;
  std::string paragraph_;
};

// Picks the element holding the page's main content: <main>, role="main", <article>, then
// <body>.
const GumboNode* MainContent(const GumboNode* root) {
  if (const GumboNode* main = FindFirst(root, [](const GumboNode* n) {
        return n->v.element.tag == GUMBO_TAG_MAIN;
      })) {
    return main;
  }
  if (const GumboNode* role = FindFirst(root, [](const GumboNode* n) {
        const char* value = Attribute(n, "role");
        return value != nullptr && std::strcmp(value, "main") == 0;
      })) {
    return role;
  }
  if (const GumboNode* article = FindFirst(root, [](const GumboNode* n) {
        return n->v.element.tag == GUMBO_TAG_ARTICLE;
      })) {
    return article;
  }
  if (const GumboNode* body = FindFirst(root, [](const GumboNode* n) {
        return n->v.element.tag == GUMBO_TAG_BODY;
      })) {
    return body;
  }
  return root;
}

Status ReadHtml(std::string_view text, const DocumentOptions& document_options, Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  DocumentBuilder builder(normalize::LineOptions(options));
  std::string title;
  TP_RETURN_IF_ERROR(RenderHtml(text, options, builder, &title));
  builder.Finish(doc);
  doc.title = !title.empty() ? title : builder.first_h1();
  return Status::Ok();
}

}  // namespace

Status RenderHtml(std::string_view text, const normalize::NormalizeOptions& options,
                  DocumentBuilder& builder, std::string* title) {
  if (EstimateNestingDepth(text) > kMaxNestingDepth) {
    return InvalidArgumentError("HTML nests elements more than " +
                                std::to_string(kMaxNestingDepth) + " levels deep");
  }
  GumboOptions gumbo_options = kGumboDefaultOptions;
  GumboOutput* output = gumbo_parse_with_options(&gumbo_options, text.data(), text.size());
  if (output == nullptr) return InternalError("gumbo could not parse the document");

  MarkdownRenderer renderer(builder, output->root, options);
  renderer.RenderBlock(MainContent(output->root), 0);
  renderer.FlushParagraph();

  if (title != nullptr) {
    title->clear();
    if (const GumboNode* title_node = FindFirst(output->root, [](const GumboNode* n) {
          return n->v.element.tag == GUMBO_TAG_TITLE;
        })) {
      AppendAllText(title_node, false, *title, nullptr);
      *title = CollapseWhitespace(normalize::Normalize(*title, options));
    }
  }
  gumbo_destroy_output(&gumbo_options, output);
  return Status::Ok();
}

DocumentReader HtmlReader() {
  DocumentReader reader;
  reader.name = "html";
  reader.extensions = {".html", ".htm", ".xhtml"};
  reader.description = "HTML; the main content's visible text, rendered as Markdown";
  reader.read = &ReadHtml;
  reader.declares_charset = true;
  return reader;
}

}  // namespace tunepack::ingest::internal
