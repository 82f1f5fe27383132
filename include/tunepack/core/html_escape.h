// EscapeHtml: text made safe inside HTML elements and quoted attributes. One spelling for
// the whole project, the one Jinja2's `escape` filter (markupsafe) uses, so a report page
// and a template's output escape the same text the same way.
#pragma once

#include <string>
#include <string_view>

namespace tunepack {

// Replaces & < > " ' with &amp; &lt; &gt; &#34; &#39;.
std::string EscapeHtml(std::string_view text);

}  // namespace tunepack
