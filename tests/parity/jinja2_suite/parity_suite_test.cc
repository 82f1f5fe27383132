// Jinja2's own test suite as a parity test: cases.json holds every render the suite of
// pallets/jinja 3.1.2 makes with a default Environment and JSON variables, with the output
// or error Debian's python3-jinja2 gives (recorded by record_suite.py). tunepack's `render`
// environment (TemplateOptions defaults, loop controls off as in a default Environment) must
// give the same bytes, or fail where Jinja2 fails.
//
// known_gaps.txt lists the cases that still differ (one id per line, `#` comments); the test
// fails when any other case differs, and when a listed case matches (take it off the list).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tunepack/template/template.h"
#include "tp_test_paths.h"

namespace tunepack::jinja {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path kDir = fs::path(TP_SOURCE_DIR) / "tests/parity/jinja2_suite";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::set<std::string> KnownGaps() {
  std::set<std::string> gaps;
  std::istringstream in(ReadAll(kDir / "known_gaps.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (const size_t hash = line.find(" #"); hash != std::string::npos) line.resize(hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty() && line[0] != '#') gaps.insert(line);
  }
  return gaps;
}

// Returns true when tunepack renders `c` as Jinja2 did: the same text, or an error for an error.
bool Matches(const Json& c, std::string* ours) {
  TemplateOptions options;
  options.loop_controls = false;
  auto tpl = Template::Parse(c["template"].get<std::string>(), "suite.jinja", options);
  Result<std::string> out = tpl.ok() ? [&]() -> Result<std::string> {
    auto context = ParseJson(c["context"].dump());
    if (!context.ok()) return context.error();
    return tpl->Render(*context);
  }()
                                     : Result<std::string>(tpl.error());
  *ours = out.ok() ? *out : "ERROR: " + out.error().message();
  if (!c["ok"].get<bool>()) return !out.ok();
  return out.ok() && *out == c["text"].get<std::string>();
}

TEST(Jinja2SuiteParityTest, DefaultEnvironmentRendersOfJinja2sOwnTests) {
  const Json cases = Json::parse(ReadAll(kDir / "cases.json"));
  const std::set<std::string> gaps = KnownGaps();
  size_t matched = 0, outputs = 0, outputs_matched = 0, errors = 0, errors_matched = 0;
  for (const Json& c : cases) {
    const std::string id = c["id"].get<std::string>();
    std::string ours;
    const bool ok = Matches(c, &ours);
    matched += ok;
    (c["ok"].get<bool>() ? outputs : errors)++;
    (c["ok"].get<bool>() ? outputs_matched : errors_matched) += ok;
    if (gaps.count(id)) {
      EXPECT_FALSE(ok) << id << " now matches Jinja2: remove it from known_gaps.txt";
      continue;
    }
    EXPECT_TRUE(ok) << id << "\ntemplate: " << c["template"].get<std::string>() << "\ncontext: " << c["context"].dump()
                    << "\njinja2: " << (c["ok"].get<bool>() ? c["text"].get<std::string>() : "ERROR: " + c["error"].get<std::string>())
                    << "\ntunepack: " << ours;
  }
  std::printf("[ parity   ] Jinja2's test suite: %zu of %zu cases (%zu of %zu outputs, %zu of %zu errors)\n", matched,
              cases.size(), outputs_matched, outputs, errors_matched, errors);
}

}  // namespace
}  // namespace tunepack::jinja
