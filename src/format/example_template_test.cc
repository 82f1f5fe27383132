#include "tunepack/format/example_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "support/status_matchers.h"
#include "tunepack/template/value.h"

namespace tunepack::format {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = TemplateOutcome::Kind;

std::shared_ptr<const ExampleTemplate> MustParse(std::string_view source) {
  auto tmpl = ExampleTemplate::FromSource(source, "t.jinja");
  EXPECT_TRUE(tmpl.has_value()) << tmpl.error().message();
  return tmpl.has_value() ? *tmpl : nullptr;
}

// Applies `source` to the record `record_json` (read as export reads records).
TemplateOutcome ApplyToRecord(std::string_view source, std::string_view record_json, Example& out) {
  auto tmpl = MustParse(source);
  if (!tmpl) return {Kind::kRenderError, "parse failed"};
  simdjson::dom::parser parser;
  simdjson::padded_string padded(record_json);
  simdjson::dom::object record = parser.parse(padded).get_object().value();
  out.origin = Origin{"in.jsonl", 4, 5};
  const jinja::Value context = RecordContext(record, out.origin);
  return tmpl->Apply(context, parser, out);
}

TEST(ExampleTemplateTest, RecordFieldsBecomeAConversation) {
  Example out;
  TemplateOutcome r = ApplyToRecord(
      R"({"messages": [{"role": "user", "content": {{ question|tojson }}}, )"
      R"({"role": "assistant", "content": {{ answer|tojson }}}]})",
      R"({"question": "Why \"q\"?", "answer": "Because.", "id": 3})", out);
  ASSERT_EQ(r.kind, Kind::kExample) << r.detail;
  EXPECT_EQ(out.kind, ExampleKind::kConversation);
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_EQ(out.messages[0].role, Role::kUser);
  EXPECT_EQ(out.messages[0].content, "Why \"q\"?");
  EXPECT_EQ(out.messages[1].content, "Because.");
  EXPECT_EQ(out.origin.record, 4u);
}

TEST(ExampleTemplateTest, RecordContextAddsOriginButTheRecordsFieldsWin) {
  Example out;
  TemplateOutcome r = ApplyToRecord(
      R"({"text": "{{ source }}|{{ record_index }}|{{ line }}|{{ record['odd key'] }}|{{ n + 1 }}"})",
      R"({"odd key": "k", "n": 41})", out);
  ASSERT_EQ(r.kind, Kind::kExample) << r.detail;
  EXPECT_EQ(out.text, "in.jsonl|4|5|k|42");
  r = ApplyToRecord(R"({"text": "{{ source }}"})", R"({"source": "the record's own"})", out);
  ASSERT_EQ(r.kind, Kind::kExample) << r.detail;
  EXPECT_EQ(out.text, "the record's own");
}

TEST(ExampleTemplateTest, EveryDocumentedShapeIsRead) {
  Example out;
  ASSERT_EQ(ApplyToRecord(R"({"prompt": "P", "completion": "C"})", "{}", out).kind, Kind::kExample);
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_EQ(out.messages[0].role, Role::kUser);
  EXPECT_EQ(out.messages[1].role, Role::kAssistant);
  EXPECT_EQ(out.messages[1].content, "C");

  ASSERT_EQ(ApplyToRecord(R"({"instruction": "I", "input": "X", "output": "O"})", "{}", out).kind, Kind::kExample);
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_EQ(out.messages[0].content, "I\nX");

  ASSERT_EQ(ApplyToRecord(R"({"conversations": [{"from": "human", "value": "H"}, {"from": "gpt", "value": "G"}]})",
                          "{}", out).kind,
            Kind::kExample);
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_EQ(out.messages[1].content, "G");

  Example text;
  text.metadata.SetString("source", "kept");
  ASSERT_EQ(ApplyToRecord(R"({"text": "T", "metadata": {"topic": "x", "n": 2}})", "{}", text).kind, Kind::kExample);
  EXPECT_EQ(text.kind, ExampleKind::kText);
  EXPECT_EQ(text.text, "T");
  ASSERT_NE(text.metadata.FindJson("source"), nullptr);
  EXPECT_EQ(*text.metadata.FindJson("topic"), "\"x\"");
  EXPECT_EQ(*text.metadata.FindJson("n"), "2");
}

TEST(ExampleTemplateTest, EmptyOutputSkipsTheUnit) {
  Example out;
  TemplateOutcome r = ApplyToRecord("{% if answer %}{\"text\": \"x\"}{% endif %}\n  \n", R"({"answer": ""})", out);
  EXPECT_EQ(r.kind, Kind::kSkipped);
  EXPECT_EQ(r.Reason(), RejectReason::kTemplateSkipped);
  EXPECT_THAT(r.detail, HasSubstr("t.jinja"));
}

TEST(ExampleTemplateTest, RenderErrorNamesTemplateLineAndColumn) {
  Example out;
  TemplateOutcome r = ApplyToRecord("{\"text\": \"a\"}\n{{ 1 // zero }}", R"({"zero": 0})", out);
  EXPECT_EQ(r.kind, Kind::kRenderError);
  EXPECT_EQ(r.Reason(), RejectReason::kTemplateError);
  EXPECT_THAT(r.detail, HasSubstr("t.jinja:2:"));
  EXPECT_THAT(r.detail, HasSubstr("division"));
}

TEST(ExampleTemplateTest, InvalidOutputNamesWhereInTheOutput) {
  Example out;
  // An unquoted string: the classic mistake of forgetting |tojson.
  TemplateOutcome r = ApplyToRecord("{\"text\": {{ q }}}", R"({"q": "hello"})", out);
  EXPECT_EQ(r.kind, Kind::kInvalidOutput);
  EXPECT_EQ(r.Reason(), RejectReason::kInvalidTemplateOutput);
  EXPECT_THAT(r.detail, HasSubstr("t.jinja: rendered output line 1, column 10"));

  r = ApplyToRecord("[1, 2]", "{}", out);
  EXPECT_EQ(r.kind, Kind::kInvalidOutput);
  EXPECT_THAT(r.detail, HasSubstr("one JSON object"));

  r = ApplyToRecord(R"({"answer": "no known field"})", "{}", out);
  EXPECT_EQ(r.kind, Kind::kInvalidOutput);
  EXPECT_THAT(r.detail, HasSubstr("no \"messages\""));

  r = ApplyToRecord(R"({"messages": [{"role": "robot", "content": "x"}]})", "{}", out);
  EXPECT_EQ(r.kind, Kind::kInvalidOutput);
  EXPECT_THAT(r.detail, HasSubstr("not a valid openai record: messages[0].role"));

  r = ApplyToRecord(R"({"messages": [{"content": "no role"}]})", "{}", out);
  EXPECT_EQ(r.kind, Kind::kInvalidOutput);
  EXPECT_THAT(r.detail, HasSubstr("not a valid openai record: messages[0].role"));

  r = ApplyToRecord(R"({"prompt": "P"})", "{}", out);
  EXPECT_EQ(r.kind, Kind::kInvalidOutput);
  EXPECT_THAT(r.detail, HasSubstr("not a valid prompt/completion example: completion"));
}

TEST(ExampleTemplateTest, SyntaxErrorsAreReportedAtLoad) {
  auto tmpl = ExampleTemplate::FromSource("{% if x %}never closed", "bad.jinja");
  ASSERT_FALSE(tmpl.has_value());
  EXPECT_THAT(tmpl.error().message(), HasSubstr("bad.jinja:1:"));
  auto missing = ExampleTemplate::Load("/nonexistent/t.jinja", {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_THAT(missing.error().message(), HasSubstr("‹template› /nonexistent/t.jinja"));
}

TEST(ExampleTemplateTest, DocumentContextHasTheDocumentedVariables) {
  Metadata metadata;
  metadata.SetString("lang", "en");
  metadata.SetJson("chunk", R"({"index":1})");
  Origin origin{"docs/a.md", 0, 0};
  DocumentFields fields;
  fields.text = "Body";
  fields.title = "Guide";
  fields.origin = &origin;
  fields.heading_path = {"Guide", "Setup"};
  fields.metadata = &metadata;
  fields.chunk_index = 1;
  fields.chunk_count = 3;
  fields.tokens = 7;
  auto tmpl = MustParse(
      R"({"text": {{ [text, title, source, heading_path|join('/'), heading, metadata.lang, metadata.chunk.index,
                      chunk_index, chunk_count, tokens, record_index, line]|join('|')|tojson }}})");
  simdjson::dom::parser parser;
  Example out;
  ASSERT_EQ(tmpl->Apply(DocumentContext(fields), parser, out).kind, Kind::kExample);
  EXPECT_EQ(out.text, "Body|Guide|docs/a.md|Guide/Setup|Setup|en|1|1|3|7|0|0");
  fields.tokens = 0;
  fields.heading_path.clear();
  auto unchunked = MustParse(R"({"text": {{ ((tokens is none) ~ '|' ~ heading)|tojson }}})");
  ASSERT_EQ(unchunked->Apply(DocumentContext(fields), parser, out).kind, Kind::kExample);
  EXPECT_EQ(out.text, "True|");
}

TEST(ExampleTemplateTest, OneTemplateRendersFromManyThreadsAtOnce) {
  // The pipeline's workers share one parsed template; each thread must get exactly what a
  // lone render gives (a list literal mutated with append would leak between renders if
  // the renderer kept state in the parsed program).
  auto tmpl = MustParse(
      R"({% set parts = [] %}{% for i in range(n) %}{% set _ = parts.append(i * n) %}{% endfor %})"
      R"({"text": {{ parts|join(',')|tojson }}})");
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      simdjson::dom::parser parser;
      for (int i = 0; i < 2000; ++i) {
        jinja::Value context = jinja::Value::MakeDict();
        context.as_dict().Set(jinja::Value::String("n"), jinja::Value::Int((i + t) % 7 + 1));
        Example out;
        TemplateOutcome r = tmpl->Apply(context, parser, out);
        seen[t].push_back(r.kind == Kind::kExample ? out.text : "error: " + r.detail);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < 2000; ++i) {
      const int n = (i + t) % 7 + 1;
      std::string expected;
      for (int k = 0; k < n; ++k) expected += (k ? "," : "") + std::to_string(k * n);
      ASSERT_EQ(seen[t][i], expected) << "thread " << t << " render " << i;
    }
  }
}

}  // namespace
}  // namespace tunepack::format
