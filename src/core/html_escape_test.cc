#include "tunepack/core/html_escape.h"

#include <gtest/gtest.h>

namespace tunepack {
namespace {

// The spelling of Jinja2's escape filter (markupsafe), for report pages and templates alike.
TEST(EscapeHtmlTest, EscapesTheFiveCharactersAsJinja2Does) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&#34;x&#34;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("plain, ünïcode"), "plain, ünïcode");
  EXPECT_EQ(EscapeHtml(""), "");
}

}  // namespace
}  // namespace tunepack
