// Runs the examples in docs/*.md (fenced blocks marked `console`, see docs/README.md) and
// checks their output, so the documentation cannot drift from the binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;

struct Step {
  std::string command;
  std::string expected;
};

struct ConsoleBlock {
  std::string file;
  int line = 0;
  std::vector<Step> steps;
};

std::vector<ConsoleBlock> ReadConsoleBlocks(const fs::path& file) {
  std::vector<ConsoleBlock> blocks;
  std::istringstream in(testing::ReadFile(file));
  std::string line;
  int line_number = 0;
  ConsoleBlock* open = nullptr;
  while (std::getline(in, line)) {
    ++line_number;
    if (open == nullptr) {
      if (line == "```console") {
        blocks.push_back({file.filename().string(), line_number, {}});
        open = &blocks.back();
      }
      continue;
    }
    if (line == "```") {
      open = nullptr;
    } else if (line.rfind("$ ", 0) == 0) {
      open->steps.push_back({line.substr(2), ""});
    } else if (!open->steps.empty()) {
      open->steps.back().expected += line + "\n";
    }
  }
  return blocks;
}

std::vector<ConsoleBlock> AllBlocks() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(TP_SOURCE_DIR) / "docs")) {
    if (entry.path().extension() == ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ConsoleBlock> all;
  for (const auto& file : files) {
    for (auto& block : ReadConsoleBlocks(file)) all.push_back(std::move(block));
  }
  return all;
}

void PrintTo(const ConsoleBlock& block, std::ostream* os) { *os << block.file << ":" << block.line; }

class DocsTest : public ::testing::TestWithParam<ConsoleBlock> {};

TEST_P(DocsTest, ExampleOutputMatches) {
  const ConsoleBlock& block = GetParam();
  testing::TempDir tmp;
  for (const Step& step : block.steps) {
    const std::string command = "cd '" TP_SOURCE_DIR "' && TMP='" + tmp.path().string() +
                                "' && export TMP && " + step.command;
    testing::CommandOutput result = testing::RunShell(command);
    EXPECT_EQ(result.out, step.expected)
        << block.file << ":" << block.line << ": $ " << step.command;
  }
}

std::string BlockName(const ::testing::TestParamInfo<ConsoleBlock>& info) {
  std::string name = info.param.file + "_" + std::to_string(info.param.line);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Docs, DocsTest, ::testing::ValuesIn(AllBlocks()), BlockName);

}  // namespace
}  // namespace tunepack
