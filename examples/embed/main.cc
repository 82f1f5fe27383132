// embed_example: tunepack inside another program. Counts the tokens of a text with a built-in
// tokenizer, then exports a two-record JSONL file to OpenAI chat form in a temporary folder,
// printing the pipeline's events as they happen and the summary at the end.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tunepack/tunepack.h"

namespace tp = tunepack;

// Prints every event but the periodic progress counts, one JSON object per line.
class PrintEvents : public tp::pipeline::EventSubscriber {
 public:
  void OnEvent(const tp::pipeline::Event& event) override {
    if (event.kind == tp::pipeline::EventKind::kProgress) return;
    std::printf("event %s\n", tp::pipeline::EventJson(event).c_str());
  }
};

tp::Status Run(const std::string& text, const std::string& dir) {
  TP_ASSIGN_OR_RETURN(auto tokenizer, tp::tokenize::LoadTokenizer("cl100k_base"));
  TP_ASSIGN_OR_RETURN(size_t tokens, tokenizer->Count(text, {}));
  std::printf("tunepack %s: %zu tokens in \"%s\" (%s)\n", tp::kVersion, tokens, text.c_str(),
              std::string(tokenizer->name()).c_str());

  std::ofstream(dir + "/qa.jsonl") << R"({"question": "What is 2+2?", "answer": "4"})" "\n"
                                   << R"({"question": "Capital of France?", "answer": "Paris"})" "\n";
  // The options are the JSON form of the CLI's flags (`tunepack options --json-schema`).
  // mkdtemp's folder name needs no JSON escaping.
  TP_ASSIGN_OR_RETURN(tp::pipeline::ExportOptions options,
                      tp::pipeline::ExportOptionsFromJson(
                          R"({"inputs": [")" + dir + R"(/qa.jsonl"], "output": ")" + dir +
                          R"(/out", "format": "openai", "map": ["user=question", "assistant=answer"],
                              "tokenizer": "cl100k_base"})"));
  PrintEvents events;
  tp::pipeline::CancelToken cancel;  // Cancel() from another thread would stop the export
  TP_ASSIGN_OR_RETURN(tp::pipeline::ExportSummary summary,
                      tp::pipeline::RunExport(options, events, &cancel));
  std::printf("summary: %llu inputs, %llu written, %llu rejected\n",
              static_cast<unsigned long long>(summary.inputs),
              static_cast<unsigned long long>(summary.written),
              static_cast<unsigned long long>(summary.rejected));
  for (const tp::pipeline::OutputFileSummary& file : summary.outputs) {
    std::printf("output: %s (%s, %llu records)\n", file.path.c_str(), file.split.c_str(),
                static_cast<unsigned long long>(file.records));
  }
  return tp::Status::Ok();
}

int main(int argc, char** argv) {
  char dir[] = "/tmp/tunepack-embed-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 2;
  const tp::Status status = Run(argc > 1 ? argv[1] : "hello world", dir);
  std::filesystem::remove_all(dir);
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n",
                 tp::WordOptionRefs(status.ToString(), tp::OptionStyle::kJson).c_str());
    return 1;
  }
  return 0;
}
