// Not a timing benchmark: prints, for each document it reads, the words tunepack's Gopher rules
// count and the decision they reach, so that bench/quality/gopher_datatrove.py can run
// datatrove's own GopherQualityFilter and GopherRepetitionFilter on the same words and compare
// the decisions (the rules' arithmetic, measured against the reference's own code).
//
// Input (standard input): documents, each as "<byte length>\n<bytes>".
// Output (standard output), per document: "<keep 0|1> <rule or -> <word count>\n" then each
// word as "<byte length>\n<bytes>".
#include <cstdio>
#include <iostream>
#include <string>

#include "quality/gopher_words.h"
#include "tunepack/quality/gopher.h"

int main() {
  using namespace tunepack::quality;
  const std::vector<QualityRule> rules = DefaultGopherRules();
  std::ios::sync_with_stdio(false);
  std::string length_line, text, out;
  while (std::getline(std::cin, length_line)) {
    text.assign(std::stoul(length_line), '\0');
    if (!std::cin.read(text.data(), static_cast<std::streamsize>(text.size()))) return 1;
    const QualityRule* failed = FirstFailedRule(rules, ScoreGopher(text));
    const std::vector<std::string_view> words = SplitGopherWords(text);
    out = std::string(failed ? "0 " : "1 ") + (failed ? failed->name : "-") + " " +
          std::to_string(words.size()) + "\n";
    for (std::string_view word : words) {
      out += std::to_string(word.size());
      out += '\n';
      out.append(word);
    }
    std::cout << out;
  }
  return 0;
}
