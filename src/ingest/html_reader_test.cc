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

TEST(HtmlReaderTest, EmptyPageHasNoText) {
  const Document doc = ReadWith("html", "<html><head><title>T</title></head><body></body></html>");
  EXPECT_EQ(doc.text, "");
  EXPECT_EQ(doc.title, "T");
}

}  // namespace
}  // namespace tunepack::ingest
