// include, import, from-import and extends with a search path: rendered by tunepack and by
// Python Jinja2 with a FileSystemLoader over the same folder, byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tunepack/template/template.h"

namespace tunepack::jinja {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::WriteFile;

// Files of one case: name -> source; "main.jinja" is rendered.
using Files = std::map<std::string, std::string>;

constexpr char kContext[] = R"({"user": "Ada", "items": ["a", "b", "c"], "n": 2})";

Result<std::string> RenderWithTunepack(const TempDir& dir) {
  const std::string source = testing::ReadFile(dir / "main.jinja");
  TemplateOptions options;
  options.search_path = {dir.path().string()};
  TP_ASSIGN_OR_RETURN(Template tmpl, Template::Parse(source, "main.jinja", options));
  TP_ASSIGN_OR_RETURN(Value context, ParseJson(kContext));
  return tmpl.Render(context);
}

// Returns {"ok": bool, "text" or "error"} from Python Jinja2's default Environment (as
// tunepack's plain templates) and a FileSystemLoader over `dir`.
nlohmann::json RenderWithJinja2(const TempDir& dir) {
  WriteFile(dir / "render.py",
            "import json, sys, jinja2\n"
            "env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1]))\n"
            "try:\n"
            "    out = {'ok': True, 'text': env.get_template('main.jinja').render(**json.loads(sys.argv[2]))}\n"
            "except Exception as e:\n"
            "    out = {'ok': False, 'error': str(e)}\n"
            "print(json.dumps(out))\n");
  auto result = testing::RunShell("/usr/bin/python3 '" + (dir / "render.py").string() + "' '" + dir.path().string() +
                                  "' '" + kContext + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return nlohmann::json::parse(result.out);
}

struct LoaderCase {
  std::string name;
  Files files;
};

class LoaderParityTest : public ::testing::TestWithParam<LoaderCase> {};

TEST_P(LoaderParityTest, RendersAsJinja2WithAFileSystemLoader) {
  TempDir dir;
  for (const auto& [name, source] : GetParam().files) {
    fs::create_directories((dir / name).parent_path());
    WriteFile(dir / name, source);
  }
  const nlohmann::json expected = RenderWithJinja2(dir);
  Result<std::string> actual = RenderWithTunepack(dir);
  if (!expected["ok"].get<bool>()) {  // the same error, with tunepack's position in front
    ASSERT_FALSE(actual.has_value()) << *actual;
    EXPECT_THAT(actual.error().message(), HasSubstr(expected["error"].get<std::string>()));
    return;
  }
  ASSERT_TRUE(actual.has_value()) << actual.error().message();
  EXPECT_EQ(*actual, expected["text"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LoaderParityTest,
    ::testing::Values(
        LoaderCase{"include_sees_context_and_locals",
                   {{"main.jinja", "{% for item in items %}[{% include 'row.jinja' %}]{% endfor %}\n"},
                    {"row.jinja", "{{ user }}:{{ item }}:{{ loop is defined }}"}}},
        LoaderCase{"include_without_context_and_ignore_missing",
                   {{"main.jinja", "{% set user = 'local' %}<{% include 'who.jinja' without context %}>"
                                   "{% include 'nope.jinja' ignore missing %}{% include ['nope.jinja', 'who.jinja'] %}"},
                    {"who.jinja", "{{ user|default('nobody') }}"}}},
        LoaderCase{"include_in_a_subfolder",
                   {{"main.jinja", "{% include 'parts/a.jinja' %}"},
                    {"parts/a.jinja", "A{% include 'parts/b.jinja' %}"},
                    {"parts/b.jinja", "B{{ n * 2 }}"}}},
        LoaderCase{"import_macros_and_from_import",
                   {{"main.jinja", "{% import 'macros.jinja' as m %}{% from 'macros.jinja' import shout as s %}"
                                   "{{ m.greet(user) }}|{{ s('hi') }}|{{ m.sep }}|{{ m._hidden is defined }}"},
                    {"macros.jinja", "{% set sep = '--' %}{% macro greet(name) %}Hello {{ name }}{{ sep }}{% endmacro %}"
                                     "{% macro shout(x) %}{{ x|upper }}!{% endmacro %}{% macro _hidden() %}{% endmacro %}"
                                     "ignored output"}}},
        LoaderCase{"macro_with_caller_across_templates",
                   {{"main.jinja", "{% import 'box.jinja' as box %}{% call box.wrap('t') %}inner {{ user }}{% endcall %}"},
                    {"box.jinja", "{% macro wrap(title) %}[{{ title }}: {{ caller() }}]{% endmacro %}"}}},
        LoaderCase{"extends_blocks_and_super",
                   {{"main.jinja", "{% extends 'base.jinja' %}{% set who = user ~ '!' %}ignored"
                                   "{% block title %}Child {{ super() }}{% endblock %}"
                                   "{% block body %}{% for i in items %}{{ i }}{% endfor %} {{ who }}{% endblock %}"},
                    {"base.jinja", "<{% block title %}Base{% endblock %}>\n{% block body %}empty{% endblock %}\n"
                                   "{% block footer %}foot {{ n }}{% endblock %}"}}},
        LoaderCase{"extends_two_levels",
                   {{"main.jinja", "{% extends 'mid.jinja' %}{% block a %}main+{{ super() }}{% endblock %}"},
                    {"mid.jinja", "{% extends 'base.jinja' %}{% block a %}mid+{{ super() }}{% endblock %}"
                                  "{% block b %}mid-b{% endblock %}"},
                    {"base.jinja", "[{% block a %}base{% endblock %}|{% block b %}base-b{% endblock %}]"}}},
        LoaderCase{"extends_self_blocks",
                   {{"main.jinja", "{% extends 'mid.jinja' %}{% block a %}main+{{ super() }}{% endblock %}"},
                    {"mid.jinja", "{% extends 'base.jinja' %}{% block b %}mid-b {{ self.a() }}{% endblock %}"},
                    {"base.jinja", "[{% block a %}base{% endblock %}|{% block b %}base-b{% endblock %}]"
                                   "({{ self.a() }}/{{ self.b() }}/{{ self.c is defined }})"}}},
        LoaderCase{"extends_required_and_scoped_blocks",
                   {{"main.jinja", "{% extends 'base.jinja' %}{% block content %}filled {{ user }}{% endblock %}"
                                   "{% block item %}<{{ i }}{{ loop.index }}>{% endblock %}"
                                   "{% block plain %}({{ i }}){% endblock %}"},
                    {"base.jinja", "{% block content required %}\n{% endblock %}|"
                                   "{% for i in items %}{% block item scoped %}{{ i }}{% endblock %}"
                                   "{% block plain %}{{ i }}{% endblock %}{% endfor %}"}}},
        LoaderCase{"extends_required_block_unfilled",
                   {{"main.jinja", "{% extends 'base.jinja' %}{% block other %}x{% endblock %}"},
                    {"base.jinja", "{% block content required %}{% endblock %}"}}}),
    [](const auto& info) { return info.param.name; });

TEST(LoaderTest, MissingTemplateFailsWhenTheStatementRuns) {
  TempDir dir;
  WriteFile(dir / "main.jinja", "before {% if n > 5 %}{% include 'missing.jinja' %}{% endif %}\n{% include 'missing.jinja' %}");
  Result<std::string> out = RenderWithTunepack(dir);
  ASSERT_FALSE(out.has_value());
  EXPECT_THAT(out.error().message(), HasSubstr("main.jinja:2:"));
  EXPECT_THAT(out.error().message(), HasSubstr("template 'missing.jinja' not found"));
}

TEST(LoaderTest, ErrorsInsideAnIncludedTemplateNameItsFileLineAndColumn) {
  TempDir dir;
  WriteFile(dir / "main.jinja", "x\n{% include 'inner.jinja' %}");
  WriteFile(dir / "inner.jinja", "ok\n  {{ 1 // 0 }}");
  Result<std::string> out = RenderWithTunepack(dir);
  ASSERT_FALSE(out.has_value());
  EXPECT_THAT(out.error().message(), HasSubstr("main.jinja:2:"));
  EXPECT_THAT(out.error().message(), HasSubstr((dir / "inner.jinja").string() + ":2:"));
  EXPECT_THAT(out.error().message(), HasSubstr("division"));
  // A syntax error in a loaded template is reported when the root template is parsed.
  WriteFile(dir / "inner.jinja", "{% if %}");
  out = RenderWithTunepack(dir);
  ASSERT_FALSE(out.has_value());
  EXPECT_THAT(out.error().message(), HasSubstr((dir / "inner.jinja").string() + ":1:"));
}

TEST(LoaderTest, NamesCannotLeaveTheSearchPath) {
  TempDir dir;
  fs::create_directories(dir / "inner");
  WriteFile(dir / "secret.txt", "secret");
  WriteFile(dir / "inner" / "main.jinja", "{% include '../secret.txt' %}");
  TemplateOptions options;
  options.search_path = {(dir / "inner").string()};
  auto tmpl = Template::Parse(testing::ReadFile(dir / "inner" / "main.jinja"), "main.jinja", options);
  ASSERT_TRUE(tmpl.has_value());
  Result<std::string> out = tmpl->Render(Value::MakeDict());
  ASSERT_FALSE(out.has_value());
  EXPECT_THAT(out.error().message(), HasSubstr("not found"));
}

TEST(LoaderTest, RecursiveIncludeIsBoundedByTheCallDepth) {
  TempDir dir;
  WriteFile(dir / "main.jinja", "x{% include 'main.jinja' %}");
  Result<std::string> out = RenderWithTunepack(dir);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(out.error().message(), HasSubstr("maximum call depth"));
}

TEST(LoaderTest, UnderscoreNamesCannotBeImported) {
  // Jinja2 refuses them when it parses: "names starting with an underline can not be imported".
  auto tmpl = Template::Parse("{% from 'm.jinja' import _private %}", "t.jinja", TemplateOptions{});
  ASSERT_FALSE(tmpl.has_value());
  EXPECT_THAT(tmpl.error().message(), HasSubstr("t.jinja:1:26: names starting with an underline can not be imported"));
}

TEST(LoaderTest, WithoutASearchPathLoadingIsRefused) {
  auto tmpl = Template::Parse("{% include 'a.jinja' %}", "t.jinja", TemplateOptions{});
  ASSERT_TRUE(tmpl.has_value());
  Result<std::string> out = tmpl->Render(Value::MakeDict());
  ASSERT_FALSE(out.has_value());
  EXPECT_THAT(out.error().message(), HasSubstr("need a template folder"));
}

}  // namespace
}  // namespace tunepack::jinja
