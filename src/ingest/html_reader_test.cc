#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/reader_test_util.h"

namespace tunepack::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// The shape of a Sphinx page: sidebar navigation before the content, permalink anchors in
// headings, highlighted code two divs below the language class.
constexpr char kSphinxPage[] = R"(<!DOCTYPE html>
<html><head><title>Install &mdash; Tool 1.0 docs</title>
<style>body { color: red }</style><script>var x = "script text";</script></head>
<body>
<div class="sphinxsidebar" role="navigation"><h3>Table of Contents</h3>
  <ul><li><a href="#">Install</a></li></ul></div>
<header>Site header</header>
<div class="document"><div class="body" role="main">
<section id="install">
<h1>Install<a class="headerlink" href="#install" title="Permalink">¶</a></h1>
<p>Get   the
 <code>tool</code> from <a href="x">the site</a>.</p>
<div class="highlight-bash notranslate"><div class="highlight"><pre><span>make</span> install
  --prefix=/usr
</pre></div></div>
<h2>Options<a class="headerlink" href="#options">¶</a></h2>
<ul><li>fast</li><li><p>safe</p><ul><li>really</li></ul></li></ul>
<ol><li>one</li><li>two</li></ol>
<table><thead><tr><th>flag</th><th>meaning</th></tr></thead>
<tbody><tr><td>-v</td><td>verbose | loud</td></tr><tr><td>-q</td></tr></tbody></table>
<noscript>enable js</noscript>
</section></div></div>
<footer>Copyright</footer>
</body></html>
)";

TEST(HtmlReaderTest, RendersMainContentAsMarkdown) {
  const Document doc = ReadWith("html", kSphinxPage);
  EXPECT_EQ(doc.text,
            "# Install\n"
            "\n"
            "Get the `tool` from the site.\n"
            "\n"
            "```bash\n"
            "make install\n"
            "  --prefix=/usr\n"
            "```\n"
            "\n"
            "## Options\n"
            "\n"
            "- fast\n"
            "- safe\n"
            "  - really\n"
            "\n"
            "1. one\n"
            "2. two\n"
            "\n"
            "| flag | meaning |\n"
            "| --- | --- |\n"
            "| -v | verbose \\| loud |\n"
            "| -q |  |");
  EXPECT_EQ(doc.title, "Install \xE2\x80\x94 Tool 1.0 docs");
}

TEST(HtmlReaderTest, DropsBoilerplate) {
  const Document doc = ReadWith("html", kSphinxPage);
  for (const char* gone : {"Table of Contents", "Site header", "Copyright", "script text",
                           "color: red", "enable js", "\xC2\xB6"}) {
    EXPECT_THAT(doc.text, Not(HasSubstr(gone))) << gone;
  }
}

TEST(HtmlReaderTest, BlocksHaveKindsAndHeadingPaths) {
  const Document doc = ReadWith("html", kSphinxPage);
  ExpectOrderedBlocks(doc);
  ASSERT_EQ(doc.blocks.size(), 10u);
  const auto& b = doc.blocks;
  EXPECT_EQ(b[0].kind, BlockKind::kHeading);
  EXPECT_EQ(b[1].kind, BlockKind::kParagraph);
  EXPECT_THAT(b[1].heading_path, ElementsAre("Install"));
  EXPECT_EQ(b[2].kind, BlockKind::kCode);
  EXPECT_EQ(b[2].info, "bash");
  EXPECT_EQ(b[3].level, 2);
  EXPECT_EQ(b[4].kind, BlockKind::kListItem);
  EXPECT_EQ(b[6].level, 1);  // "really" is nested
  EXPECT_THAT(b[6].heading_path, ElementsAre("Install", "Options"));
  EXPECT_EQ(b[9].kind, BlockKind::kTable);
}

TEST(HtmlReaderTest, PrefersMainThenArticleThenBody) {
  EXPECT_EQ(ReadWith("html", "<body><div>menu</div><main><p>content</p></main></body>").text,
            "content");
  EXPECT_EQ(ReadWith("html", "<body><div>menu</div><article><p>story</p></article></body>").text,
            "story");
  EXPECT_EQ(ReadWith("html", "<p>one</p>text <b>two</b><div>three</div>").text,
            "one\n\ntext two\n\nthree");
}

TEST(HtmlReaderTest, TitleFallsBackToFirstH1) {
  const Document doc = ReadWith("html", "<h2>Sub</h2><h1>Main  title</h1><h1>Other</h1>");
  EXPECT_EQ(doc.title, "Main title");
}

TEST(HtmlReaderTest, LineBreaksAndEntities) {
  const Document doc = ReadWith("html", "<p>a &amp; b<br>c &lt;d&gt;&nbsp;e</p>");
  EXPECT_EQ(doc.text, "a & b\nc <d>\xC2\xA0" "e");
}

TEST(HtmlReaderTest, PreKeepsBackticksSafe) {
  const Document doc = ReadWith("html", "<pre class=\"language-md\">```\ncode\n```</pre>");
  EXPECT_EQ(doc.text, "````md\n```\ncode\n```\n````");
}

TEST(HtmlReaderTest, PreDropsLeadingBlankLinesButKeepsIndentation) {
  EXPECT_EQ(ReadWith("html", "<pre><code>\n\n    indented();\n  next();\n</code></pre>").text,
            "```\n    indented();\n  next();\n```");
}

TEST(HtmlReaderTest, DeepNestingIsFlattenedNotRecursed) {
  std::string html;
  for (int i = 0; i < 400; ++i) html += "<div><span>";
  html += "deep <b>text</b>";
  const Document doc = ReadWith("html", html);
  EXPECT_EQ(doc.text, "deep text");
}

TEST(HtmlReaderTest, AbsurdNestingIsRefusedQuickly) {
  std::string html;
  for (int i = 0; i < 600; ++i) html += "<div><b>";
  const DocumentReader* reader = BuiltinDocumentReaders().Find("html");
  Document doc;
  Status status = reader->read(html, {}, doc);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("1000 levels"), std::string::npos) << status.ToString();
  // Thousands of unclosed paragraphs and list items are flat, not deep.
  std::string flat;
  for (int i = 0; i < 3000; ++i) flat += "<p>para<li>item<br><img src=x>";
  EXPECT_TRUE(reader->read(flat, {}, doc).ok());
}

// The shape of a DocBook XSL page (Debian Reference): XHTML whose headings each start with
// a self-closed anchor <a id="..."/>. An HTML parser treats "/>" on a non-void element as
// ">", so the anchor stays open and is re-opened around the lists, <pre> blocks and tables
// that follow, up to the next link. Navigation tables head and foot the page.
constexpr char kDocBookPage[] = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter 1. Tutorials</title></head>
<body>
<div class="navheader"><table width="100%" summary="Navigation header">
<tr><th colspan="3" align="center">Chapter 1. Tutorials</th></tr>
<tr><td align="left"><a accesskey="p" href="pr01.html"><img src="prev.png" alt="Prev"/></a> </td>
<th width="60%" align="center"> </th>
<td align="right"> <a accesskey="n" href="ch02.html"><img src="next.png" alt="Next"/></a></td></tr>
</table><hr/></div>
<div class="chapter"><div class="titlepage"><div><div>
<h1 class="title"><a id="_tutorials"/>Chapter 1. Tutorials</h1>
</div></div></div>
<div class="toc"><p><strong>Table of Contents</strong></p>
<dl class="toc"><dt><span class="section"><a href="#_shell">1.1. The shell</a></span></dt></dl></div>
<div class="section"><div class="titlepage"><div><div>
<h2 class="title"><a id="_shell"/>1.1. The shell</h2>
</div></div></div>
<p>The prompt looks as follows.</p>
<pre class="screen">foo login: penguin
Password:</pre>
<p>A list, from <code class="literal">ls</code>(1):</p>
<div class="itemizedlist"><ul class="itemizedlist" style="list-style-type: disc; ">
<li class="listitem"><p>first item</p></li>
<li class="listitem"><p>second item</p><pre class="screen">$ ls -l</pre></li>
<li class="listitem"><p>third item:</p><div class="itemizedlist"><ul class="itemizedlist">
<li class="listitem"><p>nested</p><pre class="screen">* soft core unlimited</pre></li>
<li class="listitem"><p>a <a class="ulink" href="https://example.org/">core dump</a> file</p></li></ul></div></li>
</ul></div>
<div class="table"><a id="listofpackages"/>
<p class="title"><strong>Table 1.1. Packages</strong></p>
<div class="table-contents"><table class="table" summary="Packages" border="1">
<thead><tr><th> package </th><th> size </th></tr></thead>
<tbody><tr><td> mc </td><td> 1.5 </td></tr></tbody></table></div></div>
<div class="tip" style="margin-left: 0.5in; margin-right: 0.5in;"><table border="0" summary="Tip">
<tr><td rowspan="2" align="center" valign="top"><img alt="[Tip]" src="tip.png"/></td><th align="left">Tip</th></tr>
<tr><td align="left" valign="top"><p>Run it under gdb:</p><pre class="screen">$ gdb hello</pre></td></tr>
</table></div>
<h3 class="title"><a id="_root"/>1.1.1. Root</h3>
<pre class="screen"># id
uid=0(root)</pre>
</div></div>
<div class="navfooter"><hr/><table width="100%" summary="Navigation footer">
<tr><td align="left"><a accesskey="p" href="pr01.html">Prev</a> </td>
<td align="center"> </td><td align="right"> <a accesskey="n" href="ch02.html">Next</a></td></tr>
<tr><td align="left" valign="top">Preface </td><td align="center"><a accesskey="h" href="index.html">Home</a></td>
<td align="right" valign="top"> Chapter 2. Package management</td></tr></table></div>
</body></html>
)";

TEST(HtmlReaderTest, SelfClosedAnchorsDoNotSwallowStructure) {
  const Document doc = ReadWith("html", kDocBookPage);
  EXPECT_EQ(doc.text,
            "# Chapter 1. Tutorials\n"
            "\n"
            "## 1.1. The shell\n"
            "\n"
            "The prompt looks as follows.\n"
            "\n"
            "```\n"
            "foo login: penguin\n"
            "Password:\n"
            "```\n"
            "\n"
            "A list, from `ls`(1):\n"
            "\n"
            "- first item\n"
            "- second item\n"
            "\n"
            "```\n"
            "$ ls -l\n"
            "```\n"
            "\n"
            "- third item:\n"
            "  - nested\n"
            "\n"
            "```\n"
            "* soft core unlimited\n"
            "```\n"
            "\n"
            "  - a core dump file\n"
            "\n"
            "Table 1.1. Packages\n"
            "\n"
            "| package | size |\n"
            "| --- | --- |\n"
            "| mc | 1.5 |\n"
            "\n"
            "Tip\n"
            "\n"
            "Run it under gdb:\n"
            "\n"
            "```\n"
            "$ gdb hello\n"
            "```\n"
            "\n"
            "### 1.1.1. Root\n"
            "\n"
            "```\n"
            "# id\n"
            "uid=0(root)\n"
            "```");
  ExpectOrderedBlocks(doc);
  size_t code = 0, tables = 0, items = 0;
  for (const Block& block : doc.blocks) {
    code += block.kind == BlockKind::kCode;
    tables += block.kind == BlockKind::kTable;
    items += block.kind == BlockKind::kListItem;
  }
  EXPECT_EQ(code, 5u);
  EXPECT_EQ(tables, 1u);  // the tip's layout table is not a table
  EXPECT_EQ(items, 5u);
}

TEST(HtmlReaderTest, DropsDocBookNavigation) {
  const Document doc = ReadWith("html", kDocBookPage);
  for (const char* gone : {"Prev", "Next", "Home", "Preface", "Chapter 2", "Table of Contents"}) {
    EXPECT_THAT(doc.text, Not(HasSubstr(gone))) << gone;
  }
  EXPECT_EQ(doc.title, "Chapter 1. Tutorials");
}

TEST(HtmlReaderTest, LinksWrappingBlocksKeepTheBlocks) {
  // HTML5 lets <a> wrap block content; the blocks inside stay blocks.
  const Document doc =
      ReadWith("html", "<body><a href=\"x\"><p>card</p><ul><li>one</li><li>two</li></ul>"
                       "<pre>code</pre></a><p>after <a href=\"y\">link</a></p></body>");
  EXPECT_EQ(doc.text, "card\n\n- one\n- two\n\n```\ncode\n```\n\nafter link");
}

TEST(HtmlReaderTest, CodeKeepsItsTextExceptLineEndings) {
  // Issue 8: <pre> and <code> text is never changed beyond CRLF/CR to LF.
  const std::string nfd = "e\xCC\x81";
  const std::string nfc = "\xC3\xA9";
  const Document doc = ReadWith(
      "html", "<p>Caf" + nfd + " and <code>x" + nfd + "</code></p>"
              "<pre>def f():  \r\n    return '" + nfd + "'\r\n\r\n\r\n\r\ndef g():\x0C\n    pass</pre>"
              "<p>end</p><textarea>a  \r\n\r\n\r\nb" + nfd + "</textarea>");
  EXPECT_EQ(doc.text, "Caf" + nfc + " and `x" + nfd + "`\n\n"
                      "```\ndef f():  \n    return '" + nfd + "'\n\n\n\ndef g():\x0C\n    pass\n```\n\n"
                      "end\n\n"
                      "```\na  \n\n\nb" + nfd + "\n```");
}

TEST(HtmlReaderTest, EmptyPageHasNoText) {
  const Document doc = ReadWith("html", "<html><head><title>T</title></head><body></body></html>");
  EXPECT_EQ(doc.text, "");
  EXPECT_EQ(doc.title, "T");
}

}  // namespace
}  // namespace tunepack::ingest
