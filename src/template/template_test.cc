#include "tunepack/template/template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack::jinja {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::StatusIs;

std::string Render(std::string_view source, std::string_view context_json = "{}",
                   TemplateOptions options = TemplateOptions{}) {
  auto tpl = Template::Parse(source, "t.jinja", options);
  if (!tpl.ok()) return "PARSE ERROR: " + tpl.error().message();
  auto context = ParseJson(context_json);
  if (!context.ok()) return "JSON ERROR";
  auto out = tpl->Render(*context);
  if (!out.ok()) return "ERROR: " + out.error().message();
  return *out;
}

TEST(TemplateTest, PrintsValuesAsPythonStrDoes) {
  EXPECT_EQ(Render("{{ [1, 'a', none, true] }}"), "[1, 'a', None, True]");
  EXPECT_EQ(Render("{{ 1.0 }} {{ 0.1 + 0.2 }} {{ 1e20 }} {{ 0.00001 }}"), "1.0 0.30000000000000004 1e+20 1e-05");
  EXPECT_EQ(Render("{{ {'a': 1, 'b': [2]} }}"), "{'a': 1, 'b': [2]}");
  EXPECT_EQ(Render("{{ (1,) }} {{ (1, 2) }}"), "(1,) (1, 2)");
  EXPECT_EQ(Render("{{ \"it's\" }}|{{ [\"it's\"] }}"), "it's|[\"it's\"]");
  EXPECT_EQ(Render("{{ x }}", R"({"x": 3.5})"), "3.5");
}

TEST(TemplateTest, Arithmetic) {
  EXPECT_EQ(Render("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 7 / 2 }} {{ 'a' ~ 1 }}"),
            "3 -4 1 2 1024 3.5 a1");
  EXPECT_EQ(Render("{{ 'ab' * 3 }} {{ [1] + [2] }}"), "ababab [1, 2]");
  EXPECT_EQ(Render("{{ 1 + 'a' }}"), "ERROR: t.jinja:1:6: unsupported operand type(s) for +: 'int' and 'str'");
}

TEST(TemplateTest, WhitespaceControl) {
  EXPECT_EQ(Render("a  {%- if true -%}  b  {%- endif -%}  c"), "abc");
  EXPECT_EQ(Render("{% if true %}\nx\n{% endif %}\n"), "\nx\n");
  TemplateOptions chat;
  chat.trim_blocks = true;
  chat.lstrip_blocks = true;
  EXPECT_EQ(Render("  {% if true %}\n  x\n  {% endif %}\ny", "{}", chat), "  x\ny");
  EXPECT_EQ(Render("  {%+ if true %}x{% endif %}", "{}", chat), "  x");
  EXPECT_EQ(Render("{% raw %}{{ x }}{% endraw %}"), "{{ x }}");
  EXPECT_EQ(Render("a {# comment #} b"), "a  b");
}

TEST(TemplateTest, BreakAndContinueNeedLoopControlsAsInJinja2) {
  // A default Jinja2 Environment has no loopcontrols extension: break is an unknown tag.
  const std::string source = "{% for x in range(10) %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}";
  EXPECT_EQ(Render(source), "PARSE ERROR: t.jinja:1:43: Encountered unknown tag 'break'. Jinja was looking for the "
                            "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be "
                            "closed is 'if'.");
  TemplateOptions options;
  options.loop_controls = true;
  EXPECT_EQ(Render(source, "{}", options), "012");
  EXPECT_EQ(Render(source, "{}", ChatTemplateOptions()), "012");
}

TEST(TemplateTest, AssigningLoopInsideALoopIsACompileErrorAtTheName) {
  // The position is the name's, the message Jinja2's; the loop never needs to run.
  EXPECT_EQ(Render("{% for x in [] %}\n  {% set a, loop = 1, 2 %}{% endfor %}"),
            "PARSE ERROR: t.jinja:2:13: Can't assign to special loop variable in for-loop target");
  // A syntax error anywhere in the template comes first, as Jinja2 parses before compiling.
  EXPECT_THAT(Render("{% for loop in [] %}{% endfor %}{% foo %}"), HasSubstr("unknown tag 'foo'"));
  EXPECT_EQ(Render("{% set loop = 1 %}{% with loop = 2 %}{{ loop }}{% endwith %}{{ loop }}"), "21");
}

TEST(TemplateTest, ForLoops) {
  EXPECT_EQ(Render("{% for x in [1,2,3] %}{{ loop.index }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}"),
            "11,22,33");
  EXPECT_EQ(Render("{% for x in [] %}a{% else %}empty{% endfor %}"), "empty");
  EXPECT_EQ(Render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}"), "a=1;b=2;");
  EXPECT_EQ(Render("{% for x in range(10) if x is even %}{{ x }}{% endfor %}"), "02468");
  EXPECT_EQ(Render("{% for x in 'abc' %}{{ loop.cycle('x', 'y') }}{% endfor %}"), "xyx");
}

// loop.index0, loop.last... are read from the loop object directly (compile.cc marks them):
// the innermost loop's, a loop kept past its end, and a variable called `loop` that is not
// a loop. Expected text is Jinja2's.
TEST(TemplateTest, LoopFieldsReadTheRightLoop) {
  EXPECT_EQ(Render("{% for a in 'xy' %}{% for b in [1,2,3] %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.length }}"
                   "{% if loop.last %}/{% endif %}{% endfor %}{{ loop.index }}{{ loop.first }}{{ loop.depth }};{% endfor %}"),
            "033123213/1True1;033123213/2False1;");
  EXPECT_EQ(Render("{% set ns = namespace(l=none) %}{% for a in 'xyz' %}{% set ns.l = loop %}{% endfor %}"
                   "{{ ns.l.index }}{{ ns.l.last }}{{ ns.l.revindex0 }}|{% set loop = {'index0': 'd', 'last': 0} %}"
                   "{{ loop.index0 }}{{ loop.last }}{% if loop.last %}T{% endif %}"),
            "3True0|d0");
}

// x == 'literal' is decided on the text when x is a string (compile.cc marks it), and as
// Python compares otherwise. Expected text is Jinja2's.
TEST(TemplateTest, ComparisonsWithAStringLiteral) {
  EXPECT_EQ(Render("{{ x == 'a' }}{{ missing == 'a' }}{{ missing != 'a' }}{{ n == '1' }}{{ (x|safe) == 'a' }}"
                   "{{ none == 'None' }}{{ x != 'ab' }}{{ y == '\u00e9' }}",
                   R"({"x": "a", "n": 1, "y": "\u00e9"})"),
            "TrueFalseTrueFalseTrueFalseTrueTrue");
}

// A chain of additions longer than one flattened chain holds (AddChain::kMaxOperands)
// renders whole.
TEST(TemplateTest, LongAdditionChains) {
  std::string source = "{{ ";
  std::string expected;
  for (int i = 0; i < 40; ++i) {
    source += i == 0 ? "" : " + ";
    source += i % 2 ? "'" + std::to_string(i) + "'" : "x";
    expected += i % 2 ? std::to_string(i) : ".";
  }
  EXPECT_EQ(Render(source + " }}", R"({"x": "."})"), expected);
}

TEST(TemplateTest, ScopingAndNamespace) {
  EXPECT_EQ(Render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}"), "1");
  EXPECT_EQ(Render("{% set ns = namespace(x=1) %}{% for i in [1] %}{% set ns.x = 2 %}{% endfor %}{{ ns.x }}"), "2");
  EXPECT_EQ(Render("{% set x %}block {{ 1 }}{% endset %}[{{ x }}]"), "[block 1]");
}

TEST(TemplateTest, Macros) {
  EXPECT_EQ(Render("{% macro hi(name, p='!') %}hi {{ name }}{{ p }}{% endmacro %}{{ hi('a') }} {{ hi('b', p='?') }}"),
            "hi a! hi b?");
  EXPECT_EQ(Render("{% macro w() %}<{{ caller() }}>{% endmacro %}{% call w() %}in{% endcall %}"), "<in>");
}

TEST(TemplateTest, FiltersAndTests) {
  EXPECT_EQ(Render("{{ '  a b  '|trim }}|{{ 'ab'|upper }}|{{ [3,1,2]|sort|join(',') }}|{{ x|default('d') }}"),
            "a b|AB|1,2,3|d");
  EXPECT_EQ(Render("{{ {'b': 1, 'a': [1, 'é']}|tojson }}"), "{\"a\": [1, \"\\u00e9\"], \"b\": 1}");
  EXPECT_EQ(Render("{{ x is defined }} {{ none is none }} {{ 3 is odd }} {{ 'a' is string }}"),
            "False True True True");
  EXPECT_EQ(Render("{{ [{'a': 1}, {'a': 2}]|selectattr('a', 'gt', 1)|list }}"), "[{'a': 2}]");
  EXPECT_EQ(Render("{{ [{'a': 1}, {'a': 2}]|map(attribute='a')|sum }}"), "3");
  EXPECT_EQ(Render("{{ 'a\nb'|indent(2, true) }}"), "  a\n  b");
  EXPECT_EQ(Render("{{ 2.5|round }} {{ 3|round }} {{ 1.2345|round(2) }}"), "2.0 3 1.23");
  EXPECT_EQ(Render("{{ '%s-%03d'|format('a', 7) }}"), "a-007");
}

TEST(TemplateTest, StringMethods) {
  EXPECT_EQ(Render("{{ ' x '.strip() }}|{{ 'a,b'.split(',') }}|{{ 'abc'.startswith('ab') }}|{{ 'aXa'.replace('a','b') }}"),
            "x|['a', 'b']|True|bXb");
  EXPECT_EQ(Render("{{ 'hello world'.title() }} {{ 'abc'[1:] }} {{ 'abc'[::-1] }}"), "Hello World bc cba");
}

// Operands are read in place (no copy) unless something evaluated after them runs a call:
// here pop() removes the very item read first, which must still print as it was.
// Expected strings are Python Jinja2 3.1.2's output.
TEST(TemplateTest, OperandsReadBeforeACallSurviveIt) {
  EXPECT_EQ(Render("{% set a = ['x', 'y'] %}{{ a[1] + a.pop() + '!' }}|{{ a }}"), "yy!|['x']");
  EXPECT_EQ(Render("{% set a = [1, 2] %}{{ a[1] == a.pop() }}|{{ a }}"), "True|[1]");
  EXPECT_EQ(Render("{% set a = ['x', 'y'] %}{{ a[1] | replace('y', a.pop() ~ 'z') }}|{{ a }}"), "yz|['x']");
  EXPECT_EQ(Render("{% set a = ['x', 'y'] %}{{ a[1].startswith(a.pop()) }}|{{ a }}"), "True|['x']");
  EXPECT_EQ(Render("{% set a = ['x', 'y'] %}{{ a[1] is sameas(a.pop()) }}|{{ a }}"), "True|['x']");
}

// What compile.cc decides once per template: string literals next to each other in + and ~
// chains are joined, {{ literal }} becomes text (escaped under autoescape), and a `trim`
// without arguments is read in place. Each must print what the unfolded template prints.
// Expected strings are Python Jinja2 3.1.2's output.
TEST(TemplateTest, CompiledLiteralsPrintAsWritten) {
  EXPECT_EQ(Render("{{ 'a' + 'b' ~ 'c' }}|{{ x + '\\n' + '```' + y }}|{{ 'a' ~ 1 ~ 'b' ~ 'c' }}", R"({"x": "X", "y": "Y"})"),
            "abc|X\n```Y|a1bc");
  EXPECT_EQ(Render("a{{ 'b' }}{{ 1 }}{{ none }}{{ 2.50 }}c"), "ab1None2.5c");
  // Once the left side has added one literal it is a string (or Markup, which escapes each
  // character it adds): adding the next literal too gives the same text, or the same error.
  EXPECT_EQ(Render("{% autoescape true %}{{ '<b>' }}{{ x + '<' + '>' }}|{{ ('<i>'|safe) + '<' + '>' }}|"
                   "{{ '<' ~ '>' ~ x }}{% endautoescape %}",
                   R"({"x": "&"})"),
            "&lt;b&gt;&amp;&lt;&gt;|<i>&lt;&gt;|&lt;&gt;&amp;");
  EXPECT_EQ(Render("{{ x + 'a' + 'b' }}", R"({"x": 1})"),
            "ERROR: t.jinja:1:6: unsupported operand type(s) for +: 'int' and 'str'");
  EXPECT_EQ(Render("{{ x + 'a' + 'b' }}", R"({"x": [1]})"),
            "ERROR: t.jinja:1:6: can only concatenate list (not \"str\") to list");
  // A call inside a folded chain still leaves the operands read before it intact.
  EXPECT_EQ(Render("{% set a = ['x', 'y'] %}{{ a[1] + '<' + '>' + a.pop() }}|{{ a }}"), "y<>y|['x']");
}

// A render finds each context variable's slot in a table hashed on a name's length and
// first and last bytes: aXb, aYb, aZb and aQb all hash alike, and each still binds only its
// own slot, shadowed by loop targets, set, macro parameters and namespace attributes as in
// Jinja2 (expected strings are Python Jinja2 3.1.2's output).
TEST(TemplateTest, ContextVariablesBindToTheirOwnSlots) {
  const std::string context = R"({"aXb": "x", "aYb": "y", "aQb": "q", "b": "B", "ab": "AB"})";
  EXPECT_EQ(Render("{{ aXb }}{{ aYb }}{{ aZb }}|{% for aXb in [1, 2] %}{{ aXb }}{{ aYb }}{% set aYb = 'in' %}"
                   "{{ aYb }}{% endfor %}|{{ aXb }}{{ aYb }}|{% set aXb = 'set' %}{{ aXb }}",
                   context),
            "xy|1yin2yin|xy|set");
  EXPECT_EQ(Render("{% macro m(aXb) %}{{ aXb }}{{ aYb }}{% endmacro %}{{ m('arg') }}|{% set ns = namespace(aXb='n') %}"
                   "{% for i in [1] %}{% set ns.aXb = aYb %}{% endfor %}{{ ns.aXb }}{{ aXb }}",
                   context),
            "argy|yx");
}

TEST(TemplateTest, TrimIsReadInPlace) {
  EXPECT_EQ(Render("{{ x|trim }}|{{ '[' + x|trim + ']' }}|{{ n|trim }}|{{ u|trim }}|{{ '[' ~ w|trim ~ ']' }}",
                   R"({"x": "  a b \n", "n": 5, "w": "\u3000a\u00a0\u001c"})"),
            "a b|[a b]|5||[a]");
  EXPECT_EQ(Render("{{ '[' + n|trim + ']' }}|{{ '[' + x|trim|upper + ']' }}", R"({"n": 5, "x": " ab "})"), "[5]|[AB]");
  EXPECT_EQ(Render("{% autoescape true %}{{ (x|safe)|trim + '<' }}|{{ x|trim + '<' }}{% endautoescape %}",
                   R"({"x": " <a> "})"),
            "<a>&lt;|&lt;a&gt;&lt;");
}

// A string `+` builds reuses the buffer of an earlier one that no value holds any more; the
// strings values still hold (a namespace, a list: more than the renderer keeps for reuse)
// keep their text. The expected text is Jinja2's.
TEST(TemplateTest, StringsBuiltInALoopKeepTheirText) {
  const std::string items[] = {"first item, longer than 15", "b", "third item, also long"};
  auto wrap = [](const std::string& x) { return "<" + x + "|" + x + ">"; };
  std::string all;
  for (const std::string& x : items) all += (all.empty() ? "" : ",") + wrap(x) + "," + wrap(x) + wrap(x);
  EXPECT_EQ(Render("{% set ns = namespace(first='', all=[]) %}{% for x in xs %}"
                   "{% set s = '<' + x + '|' + x + '>' %}{% if loop.first %}{% set ns.first = s %}{% endif %}"
                   "{% set t = s + s %}{% set ns.all = ns.all + [s, t] %}{% endfor %}"
                   "{{ ns.first }}|{{ ns.all|join(',') }}",
                   R"({"xs": [")" + items[0] + R"(", ")" + items[1] + R"(", ")" + items[2] + R"("]})"),
            wrap(items[0]) + "|" + all);
}

// String equality (dict keys, ==) at every length the comparison treats apart, with the
// strings differing at each byte, and equal in separate buffers.
TEST(TemplateTest, StringsCompareEqualOnlyWhenEveryByteIs) {
  for (size_t n = 0; n <= 20; ++n) {
    std::string a;
    for (size_t i = 0; i < n; ++i) a += static_cast<char>('a' + i);
    const std::string same = a;  // another buffer
    EXPECT_TRUE(PyEquals(Value::String(a), Value::String(same))) << n;
    Dict dict;
    dict.items.emplace_back(Value::String(a), Value::Int(1));
    EXPECT_NE(dict.Find(std::string_view(same)), nullptr) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string other = a;
      other[i] = 'Z';
      EXPECT_FALSE(PyEquals(Value::String(a), Value::String(other))) << n << " " << i;
      EXPECT_EQ(dict.Find(std::string_view(other)), nullptr) << n << " " << i;
    }
  }
}

// Conditions on dict attributes take a shortcut that builds no Undefined; a dict method
// name is still the method, and a key holding an Undefined is not defined.
TEST(TemplateTest, DictAttributesInConditions) {
  EXPECT_EQ(Render("{% set d = {'a': '', 'b': 'x', 'c': nope} %}"
                   "{{ 'T' if d.a else 'F' }}{{ 'T' if d.b else 'F' }}{{ 'T' if d.z else 'F' }}"
                   "{{ 'T' if d.items else 'F' }}|{{ d.b is defined }} {{ d.z is defined }} "
                   "{{ d.z is not defined }} {{ d.z is undefined }} {{ d.c is defined }}"),
            "FTFT|True False True True False");
  EXPECT_EQ(Render("{% set d = {'items': 1} %}{{ d.items is defined }} {{ d['items'] }}"), "True 1");
  EXPECT_EQ(Render("{% if m.tool_calls %}T{% else %}F{% endif %}", R"({"m": {"tool_calls": []}})"), "F");
}

TEST(TemplateTest, UndefinedBehavesAsJinja2Default) {
  EXPECT_EQ(Render("[{{ missing }}]"), "[]");
  EXPECT_EQ(Render("{{ missing.attr }}"), "ERROR: t.jinja:1:11: 'missing' is undefined");
  EXPECT_EQ(Render("{{ d.nope }}|{{ d.nope is defined }}", R"({"d": {}})"), "|False");
  EXPECT_EQ(Render("{{ d.a.b }}", R"({"d": {}})"), "ERROR: t.jinja:1:7: 'dict object' has no attribute 'a'");
}

TEST(TemplateTest, SyntaxErrorsNamePosition) {
  auto tpl = Template::Parse("line one\n{{ x + }}", "bad.jinja", TemplateOptions{});
  EXPECT_THAT(tpl, StatusIs(StatusCode::kInvalidArgument, HasSubstr("bad.jinja:2:")));
  auto unclosed = Template::Parse("{% for x in y %}", "u.jinja", TemplateOptions{});
  EXPECT_THAT(unclosed, StatusIs(StatusCode::kInvalidArgument, HasSubstr("Unexpected end of template")));
  auto unknown = Template::Parse("{{ x|nosuch }}", "f.jinja", TemplateOptions{});
  EXPECT_THAT(unknown, StatusIs(StatusCode::kInvalidArgument, HasSubstr("No filter named 'nosuch'.")));
}

TEST(TemplateTest, ReferencedVariables) {
  auto tpl = Template::Parse("{% set a = 1 %}{{ a }}{{ b }}{% for m in messages %}{{ m.x }}{{ loop.index }}{% endfor %}",
                             "t", TemplateOptions{});
  ASSERT_TRUE(tpl.ok());
  EXPECT_THAT(tpl->ReferencedVariables(), ::testing::ElementsAre("b", "messages"));
}

TEST(TemplateTest, SafetyLimits) {
  TemplateOptions options;
  options.max_loop_iterations = 1000;
  EXPECT_THAT(Render("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}", "{}", options),
              HasSubstr("loop iterations"));
  EXPECT_THAT(Render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"), HasSubstr("maximum call depth"));
  // A loop reads its list live, so one that appends to its own list would not end: the
  // iterations it adds count too.
  EXPECT_THAT(Render("{% set l = [1] %}{% for x in l %}{{ l.append(x) or '' }}{% endfor %}", "{}", options),
              HasSubstr("more than 1000 loop iterations"));
  options.max_output_bytes = 100;
  EXPECT_THAT(Render("{% for i in range(1000) %}xxxxxxxx{% endfor %}", "{}", options), HasSubstr("output larger"));
}

TEST(TemplateTest, SandboxForbidsMutation) {
  EXPECT_EQ(Render("{% set l = [1] %}{% set _ = l.append(2) %}{{ l }}"), "[1, 2]");
  EXPECT_THAT(Render("{% set l = [1] %}{% set _ = l.append(2) %}{{ l }}", "{}", ChatTemplateOptions()),
              HasSubstr("access to attribute 'append' of 'list' object is unsafe."));
}

}  // namespace
}  // namespace tunepack::jinja
