// End-to-end tests that every file tunepack reads whole (templates, chat templates, model
// configs, tokenizer files) is refused with a clear error when it is a device, a FIFO or a
// link to one, instead of exhausting memory (/dev/zero) or hanging (a FIFO nobody writes)
// (issue 9 section 1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Quote;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Runs `command` with a time limit and a memory limit, so a failure is a failed test rather
// than a hung or swapping machine. Returns exit code and combined output.
testing::CommandOutput Bounded(const std::string& command) {
  return RunShell("ulimit -v 4000000; timeout -k 5 20 " + command + " 2>&1");
}

TEST(SpecialFilesTest, RenderRefusesADeviceAndAFifo) {
  TempDir tmp;
  auto zero = Bounded("tunepack render /dev/zero");
  EXPECT_EQ(zero.exit_code, 2) << zero.out;
  EXPECT_THAT(zero.out, HasSubstr("not a regular file"));
  ASSERT_EQ(mkfifo((tmp / "t.jinja").c_str(), 0644), 0);
  auto fifo = Bounded("tunepack render " + Quote(tmp / "t.jinja"));
  EXPECT_EQ(fifo.exit_code, 2) << fifo.out;
  EXPECT_THAT(fifo.out, HasSubstr("FIFO"));
  WriteFile(tmp / "ok.jinja", "{{ 1 + 1 }}");
  auto context = Bounded("tunepack render " + Quote(tmp / "ok.jinja") + " --context /dev/zero");
  EXPECT_EQ(context.exit_code, 2) << context.out;
}

TEST(SpecialFilesTest, ChatTemplateRefusesALinkToDevZeroAndAFifo) {
  TempDir tmp;
  WriteFile(tmp / "messages.json", "[{\"role\": \"user\", \"content\": \"hi\"}]");
  WriteFile(tmp / "zero" / "tokenizer_config.json", "{\"chat_template\": \"x\"}");
  fs::create_symlink("/dev/zero", tmp / "zero" / "chat_template.jinja");
  auto zero = Bounded("tunepack chat-template --model " + Quote(tmp / "zero") + " --messages " +
                      Quote(tmp / "messages.json"));
  EXPECT_EQ(zero.exit_code, 2) << zero.out;
  EXPECT_THAT(zero.out, HasSubstr("not a regular file"));

  fs::create_directories(tmp / "fifo");
  ASSERT_EQ(mkfifo((tmp / "fifo" / "tokenizer_config.json").c_str(), 0644), 0);
  auto fifo = Bounded("tunepack chat-template --model " + Quote(tmp / "fifo") + " --messages " +
                      Quote(tmp / "messages.json"));
  EXPECT_EQ(fifo.exit_code, 2) << fifo.out;
  EXPECT_THAT(fifo.out, HasSubstr("FIFO"));

  auto messages = Bounded("tunepack chat-template --model " + Quote(tmp / "zero") + " --messages /dev/zero");
  EXPECT_EQ(messages.exit_code, 2) << messages.out;
}

TEST(SpecialFilesTest, TemplateIncludesAndTokenizerFilesRefuseSpecialFiles) {
  TempDir tmp;
  WriteFile(tmp / "main.jinja", "{% include 'part.jinja' %}");
  ASSERT_EQ(mkfifo((tmp / "part.jinja").c_str(), 0644), 0);
  // As Jinja2's FileSystemLoader, an include that is not a regular file is not found.
  auto include = Bounded("tunepack render " + Quote(tmp / "main.jinja") + " --template-dir " + Quote(tmp.path()));
  EXPECT_EQ(include.exit_code, 2) << include.out;

  ASSERT_EQ(mkfifo((tmp / "tokenizer.json").c_str(), 0644), 0);
  auto tokenizer = Bounded("echo '{\"text\": \"hi\"}' | tunepack tokenize --tokenizer " + Quote(tmp / "tokenizer.json"));
  EXPECT_EQ(tokenizer.exit_code, 2) << tokenizer.out;
  EXPECT_THAT(tokenizer.out, HasSubstr("FIFO"));
  fs::create_symlink("/dev/zero", tmp / "zero.model");
  auto model = Bounded("echo '{\"text\": \"hi\"}' | tunepack tokenize --tokenizer " + Quote(tmp / "zero.model"));
  EXPECT_EQ(model.exit_code, 2) << model.out;
  EXPECT_THAT(model.out, HasSubstr("not a regular file"));
}

TEST(SpecialFilesTest, AnExportInputThatIsAFifoIsRejectedNotWaitedFor) {
  TempDir tmp;
  WriteFile(tmp / "a.txt", "A document.\n");
  ASSERT_EQ(mkfifo((tmp / "pipe.txt").c_str(), 0644), 0);
  auto run = Bounded("tunepack export " + Quote(tmp / "a.txt") + " " + Quote(tmp / "pipe.txt") + " -o " +
                     Quote(tmp / "out") + " --progress none");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  auto ledger = testing::JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0]["reason"], "special_file");
}

TEST(SpecialFilesTest, AnEvaluationFileThatIsADeviceIsRefused) {
  TempDir tmp;
  WriteFile(tmp / "a.txt", "A document.\n");
  auto run = Bounded("tunepack export " + Quote(tmp / "a.txt") + " --decontaminate /dev/zero -o " +
                     Quote(tmp / "out") + " --progress none");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_THAT(run.out, HasSubstr("not a regular file"));
}

}  // namespace
}  // namespace tunepack
