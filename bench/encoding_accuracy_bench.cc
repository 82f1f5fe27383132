// Legacy-encoding detection accuracy: decodes every sample of a corpus made by
// bench/encoding/make_corpus.py with DecodeToUtf8 (no declared charset, as for a bare text
// file) and counts exact matches with the sample's UTF-8 twin, per encoding and per length.
// Usage: encoding_accuracy_bench CORPUS_DIR [--misses]
// Prints one line per Python codec, then the totals; --misses also lists each wrong sample
// with the encoding chosen. The figures are in docs/ingest.md ("Measured accuracy").
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tunepack/ingest/detect.h"

namespace {

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Tally {
  int right = 0;
  int total = 0;
  void Add(bool ok) {
    right += ok;
    ++total;
  }
  double Percent() const { return total == 0 ? 0 : 100.0 * right / total; }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [--misses]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path corpus = argv[1];
  const bool show_misses = argc > 2 && std::strcmp(argv[2], "--misses") == 0;
  std::ifstream manifest(corpus / "manifest.tsv");
  if (!manifest) {
    std::fprintf(stderr, "no manifest.tsv in %s\n", argv[1]);
    return 2;
  }
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, Tally>> by_codec;
  std::map<std::string, Tally> by_length;
  Tally total;
  std::string line;
  while (std::getline(manifest, line)) {
    std::istringstream fields(line);
    std::string path, codec, lang, length;
    if (!(fields >> path >> codec >> lang >> length)) continue;
    std::filesystem::path twin = corpus / path;
    twin.replace_extension(".utf8");
    const std::string bytes = Slurp(corpus / path);
    const std::string expected = Slurp(twin);
    auto decoded =
        tunepack::ingest::DecodeToUtf8(bytes, tunepack::InvalidUtf8Policy::kReplace);
    const bool ok = decoded.ok() && decoded->text == expected;
    if (!by_codec.count(codec)) order.push_back(codec);
    by_codec[codec][length].Add(ok);
    by_codec[codec]["all"].Add(ok);
    by_length[length].Add(ok);
    total.Add(ok);
    if (!ok && show_misses) {
      std::printf("miss %s: decoded as %s", path.c_str(),
                  decoded.ok() ? decoded->encoding.c_str() : "(error)");
      if (decoded.ok()) {
        // Where the decoding first differs from the twin, a few bytes either side.
        size_t at = 0;
        while (at < expected.size() && at < decoded->text.size() && expected[at] == decoded->text[at]) ++at;
        const size_t from = at > 12 ? at - 12 : 0;
        std::printf(": got \"%s\" want \"%s\"", decoded->text.substr(from, 30).c_str(),
                    expected.substr(from, 30).c_str());
      }
      std::printf("\n");
    }
  }
  std::printf("%-16s %8s %8s %8s %8s\n", "encoding", "short", "medium", "long", "all");
  for (const std::string& codec : order) {
    auto& t = by_codec[codec];
    std::printf("%-16s %7.0f%% %7.0f%% %7.0f%% %7.1f%%\n", codec.c_str(), t["short"].Percent(),
                t["medium"].Percent(), t["long"].Percent(), t["all"].Percent());
  }
  std::printf("%-16s %7.1f%% %7.1f%% %7.1f%% %7.1f%%  (%d of %d samples)\n", "total",
              by_length["short"].Percent(), by_length["medium"].Percent(),
              by_length["long"].Percent(), total.Percent(), total.right, total.total);
  return 0;
}
