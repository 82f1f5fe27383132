// Cross-format quality corpus: one handbook (tests/data/documents/quality/manual.html)
// converted by LibreOffice 7.4 to ODT, DOCX and PDF, and packaged as a five-chapter EPUB
// (commands in make_fixtures.py).
// Each reader's Document is compared with the HTML reader's Document of the source on what
// users notice: sentences kept and in order, headings (text and level), list items (text
// and nesting), table rows. Every floor below is the figure measured when the test was
// written (docs/ingest.md lists them), so a regression in any one reader shows here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "ingest/reader_test_util.h"
#include "support/temp_dir.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/ingest/document_reader.h"
#include "tp_test_paths.h"

namespace tunepack::ingest {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(TP_SOURCE_DIR) / "tests/data/documents/quality";
const fs::path kHelper = fs::path(TP_BINARY).parent_path() / "tunepack-pdf";

Result<Document> ReadCorpusFile(const std::string& name) {
  const std::string bytes = ::tunepack::testing::ReadFile(kCorpus / name);
  const InputType type = DetectInputType(name, bytes.substr(0, kSniffHeadBytes));
  const DocumentReader* reader = BuiltinDocumentReaders().Find(type.reader);
  if (reader == nullptr) return InvalidArgumentError("no reader for " + name);
  return ReadDocument(*reader, bytes, Origin{name, 0, 0}, DocumentOptions{});
}

// Lower-case ASCII words separated by single spaces: how texts are compared, so that
// Markdown markup, punctuation and line wrapping do not count.
std::string Words(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || byte >= 0x80) {
      out.push_back(static_cast<char>(std::tolower(byte)));
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The text of a block without its Markdown marker (`## `, `- `, `1. `).
std::string BlockWords(const Document& doc, const Block& block) {
  std::string_view text(doc.text.data() + block.begin, block.end - block.begin);
  while (!text.empty() && (text.front() == ' ' || text.front() == '#')) text.remove_prefix(1);
  if (block.kind == BlockKind::kListItem) {
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits > 0 && digits < text.size() && (text[digits] == '.' || text[digits] == ')')) {
      text.remove_prefix(digits + 1);
    } else if (!text.empty() && (text.front() == '-' || text.front() == '*' || text.front() == '+')) {
      text.remove_prefix(1);
    }
  }
  return Words(text);
}

// The rows of the table blocks, each row its cells' words joined by " | ".
std::set<std::string> TableRows(const Document& doc) {
  std::set<std::string> rows;
  for (const Block& block : doc.blocks) {
    if (block.kind != BlockKind::kTable) continue;
    std::string_view text(doc.text.data() + block.begin, block.end - block.begin);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(start, end - start);
      start = end + 1;
      if (line.find_first_not_of("|-: ") == std::string_view::npos) continue;  // the delimiter row
      std::string row;
      size_t cell_start = line.front() == '|' ? 1 : 0;
      while (cell_start < line.size()) {
        size_t cell_end = line.find('|', cell_start);
        if (cell_end == std::string_view::npos) cell_end = line.size();
        const std::string cell = Words(line.substr(cell_start, cell_end - cell_start));
        if (!cell.empty()) row += (row.empty() ? "" : " | ") + cell;
        cell_start = cell_end + 1;
      }
      if (!row.empty()) rows.insert(row);
    }
  }
  return rows;
}

// Sentences of the reference's prose (paragraphs, list items, headings), by words.
std::vector<std::string> Sentences(const Document& doc) {
  std::vector<std::string> out;
  for (const Block& block : doc.blocks) {
    if (block.kind == BlockKind::kTable) continue;
    const std::string_view text(doc.text.data() + block.begin, block.end - block.begin);
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && !(text[i] == '.' || text[i] == '!' || text[i] == '?' || text[i] == ':')) continue;
      const std::string sentence = Words(text.substr(start, i - start));
      // The list marker "1." is no sentence.
      if (sentence.find(' ') != std::string::npos) out.push_back(sentence);
      start = i + 1;
    }
  }
  return out;
}

struct Agreement {
  double sentences = 0;      ///< share of the reference's sentences found in the text
  double order = 0;          ///< share of those found in the reference's order (longest run)
  double headings = 0;       ///< share of reference headings that are heading blocks here
  double heading_levels = 0; ///< of those, share with the same level
  double list_items = 0;     ///< share of reference list items that are list items here
  double list_levels = 0;    ///< of those, share with the same nesting
  double table_rows = 0;     ///< share of reference table rows found as rows of a table here
  size_t reference_sentences = 0;
};

// Length of the longest strictly increasing subsequence of `values`.
size_t LongestIncreasing(const std::vector<size_t>& values) {
  std::vector<size_t> tails;
  for (const size_t value : values) {
    auto it = std::lower_bound(tails.begin(), tails.end(), value);
    if (it == tails.end()) {
      tails.push_back(value);
    } else {
      *it = value;
    }
  }
  return tails.size();
}

double Share(size_t part, size_t whole) { return whole == 0 ? 1.0 : static_cast<double>(part) / whole; }

Agreement Compare(const Document& reference, const Document& candidate) {
  Agreement out;
  std::string all_words;
  for (const Block& block : candidate.blocks) all_words += " " + BlockWords(candidate, block);
  all_words += " ";
  // Sentences: found as whole words anywhere in the candidate, then in order.
  const std::vector<std::string> sentences = Sentences(reference);
  std::vector<size_t> positions;
  for (const std::string& sentence : sentences) {
    const size_t at = all_words.find(" " + sentence + " ");
    if (at != std::string::npos) positions.push_back(at);
  }
  out.sentences = Share(positions.size(), sentences.size());
  out.reference_sentences = sentences.size();
  out.order = Share(LongestIncreasing(positions), positions.size());
  // Headings and list items: by kind, text and level.
  auto compare_kind = [&](BlockKind kind, double& found_share, double& level_share) {
    size_t wanted = 0, found = 0, same_level = 0;
    for (const Block& block : reference.blocks) {
      if (block.kind != kind) continue;
      ++wanted;
      const std::string words = BlockWords(reference, block);
      for (const Block& other : candidate.blocks) {
        if (other.kind != kind || BlockWords(candidate, other) != words) continue;
        ++found;
        same_level += other.level == block.level;
        break;
      }
    }
    found_share = Share(found, wanted);
    level_share = Share(same_level, found);
  };
  compare_kind(BlockKind::kHeading, out.headings, out.heading_levels);
  compare_kind(BlockKind::kListItem, out.list_items, out.list_levels);
  const std::set<std::string> reference_rows = TableRows(reference);
  const std::set<std::string> candidate_rows = TableRows(candidate);
  size_t rows_found = 0;
  for (const std::string& row : reference_rows) rows_found += candidate_rows.count(row);
  out.table_rows = Share(rows_found, reference_rows.size());
  return out;
}

struct Floor {
  const char* file;
  Agreement at_least;
};

// The measured figures (docs/ingest.md, "Cross-format agreement").
const Floor kFloors[] = {
    {"manual.odt", {1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00}},
    {"manual.docx", {1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00}},
    {"manual.epub", {1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00}},
    // Nesting from the bullets' indentation; the table's header row, alone at the foot of
    // page 1, heads the rows on page 2.
    {"manual.pdf", {1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00}},
};

class QualityCorpusTest : public ::testing::TestWithParam<Floor> {};

TEST_P(QualityCorpusTest, AgreesWithTheSource) {
  const Floor& floor = GetParam();
  if (std::string_view(floor.file).ends_with(".pdf")) {
    if (!fs::exists(kHelper)) GTEST_SKIP() << "tunepack-pdf not built";
    ::setenv("TUNEPACK_PDF_HELPER", kHelper.c_str(), 1);
  }
  Result<Document> reference = ReadCorpusFile("manual.html");
  ASSERT_TRUE(reference.has_value()) << reference.error().ToString();
  Result<Document> doc = ReadCorpusFile(floor.file);
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  const Agreement got = Compare(*reference, *doc);
  std::printf("quality %-12s sentences %.3f (of %zu) order %.3f headings %.3f levels %.3f list items %.3f nesting %.3f table rows %.3f\n",
              floor.file, got.sentences, got.reference_sentences, got.order, got.headings, got.heading_levels, got.list_items,
              got.list_levels, got.table_rows);
  const Agreement& want = floor.at_least;
  constexpr double kSlack = 1e-9;
  EXPECT_GE(got.sentences + kSlack, want.sentences);
  EXPECT_GE(got.order + kSlack, want.order);
  EXPECT_GE(got.headings + kSlack, want.headings);
  EXPECT_GE(got.heading_levels + kSlack, want.heading_levels);
  EXPECT_GE(got.list_items + kSlack, want.list_items);
  EXPECT_GE(got.list_levels + kSlack, want.list_levels);
  EXPECT_GE(got.table_rows + kSlack, want.table_rows);
  if (std::string_view(floor.file).ends_with(".pdf")) ::unsetenv("TUNEPACK_PDF_HELPER");
}

INSTANTIATE_TEST_SUITE_P(Formats, QualityCorpusTest, ::testing::ValuesIn(kFloors),
                         [](const ::testing::TestParamInfo<Floor>& info) {
                           std::string name = info.param.file;
                           std::replace(name.begin(), name.end(), '.', '_');
                           return name;
                         });

// The comparison itself: a reader that lost a sentence, swapped two, flattened a heading
// or a list, or broke a table would show.
TEST(QualityCorpusTest, TheMeasureSeesEachKindOfLoss) {
  const Document reference = ReadWith("markdown", "# Title\n\nOne two three. Four five six.\n\n- item one\n  - item two\n\n| a | b |\n|---|---|\n| c d | e |\n");
  const Agreement same = Compare(reference, reference);
  EXPECT_EQ(same.sentences, 1.0);
  EXPECT_EQ(same.table_rows, 1.0);
  EXPECT_EQ(same.list_levels, 1.0);
  const Document damaged = ReadWith("markdown", "Title\n\nFour five six. One two three.\n\n- item one\n- item two\n\nc d e\n");
  const Agreement got = Compare(reference, damaged);
  EXPECT_EQ(got.headings, 0.0);
  EXPECT_LT(got.order, 1.0);
  EXPECT_EQ(got.list_items, 1.0);
  EXPECT_EQ(got.list_levels, 0.5);
  EXPECT_EQ(got.table_rows, 0.0);
}

}  // namespace
}  // namespace tunepack::ingest
