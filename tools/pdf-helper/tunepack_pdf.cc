// tunepack-pdf: reads one PDF and writes its text as positioned runs, one JSON object per
// line (PROTOCOL.md). It links libpoppler-cpp and is therefore GPL-2.0-or-later (LICENSE);
// tunepack itself stays Apache-2.0 and only ever talks to this program over a pipe.
//
// Usage: tunepack-pdf [FILE]      (no FILE, or "-": the PDF is read from stdin)
//
// The program judges nothing about layout: it reports what poppler extracts (each word's
// box, font size and font name) plus flags derived from the font name. Reading order,
// headings and running headers are decided by tunepack.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <poppler-version.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr int kProtocolVersion = 1;

std::string Utf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());  // not NUL-terminated
}

void AppendJsonString(std::string& out, const std::string& text) {
  out.push_back('"');
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out += escape;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void AppendNumber(std::string& out, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  // Trim "12.50" -> "12.5", "12.00" -> "12": shorter lines, same value.
  std::string number(buffer);
  if (number.find('.') != std::string::npos) {
    while (number.back() == '0') number.pop_back();
    if (number.back() == '.') number.pop_back();
  }
  if (number == "-0") number = "0";
  out += number;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// FontFlags: what a font's name says about its face. PDF fonts carry weight and style in
// their names ("ABCDEF+LiberationSerif-Bold", "Helvetica-BoldOblique", TeX's "CMBX10").
struct FontFlags {
  bool bold = false;
  bool italic = false;
  bool mono = false;
};

FontFlags FlagsOfFontName(const std::string& font_name) {
  std::string name = font_name;
  const size_t plus = name.find('+');  // subset prefix: six capitals and '+'
  if (plus == 6) name = name.substr(plus + 1);
  const std::string lower = Lower(name);
  auto has = [&](const char* word) { return lower.find(word) != std::string::npos; };
  FontFlags flags;
  flags.bold = has("bold") || has("black") || has("heavy") || has("semibold") ||
               has("demi") || lower.rfind("cmbx", 0) == 0 || lower.rfind("cmb10", 0) == 0 ||
               lower.rfind("sfbx", 0) == 0;
  flags.italic = has("italic") || has("oblique") || lower.rfind("cmti", 0) == 0 ||
                 lower.rfind("cmsl", 0) == 0;
  // "NimbusMonL" (URW's Courier clone, in DocBook PDFs), Monaco and Menlo lack "mono".
  flags.mono = has("mono") || has("courier") || has("consol") || has("typewriter") ||
               has("nimbusmon") || has("monaco") || has("menlo") ||
               lower.rfind("cmtt", 0) == 0 || lower.rfind("sftt", 0) == 0;
  return flags;
}

void WriteLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

int Fail(const char* reason, const std::string& message) {
  std::string line = "{\"type\":\"error\",\"reason\":";
  AppendJsonString(line, reason);
  line += ",\"message\":";
  AppendJsonString(line, message);
  line += "}";
  WriteLine(line);
  std::fflush(stdout);
  return 2;
}

void IgnorePopplerMessage(const std::string&, void*) {}

bool ReadAll(std::istream& in, std::vector<char>& out) {
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && (std::strcmp(argv[1], "--help") == 0 ||
                                 std::strcmp(argv[1], "-h") == 0))) {
    std::fprintf(stderr,
                 "usage: tunepack-pdf [FILE]\n"
                 "Writes the text runs of a PDF (stdin when FILE is absent or '-') as JSON "
                 "lines (protocol version %d).\n",
                 kProtocolVersion);
    return argc == 2 ? 0 : 64;
  }
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("tunepack-pdf protocol %d, poppler %s\n", kProtocolVersion,
                poppler::version_string().c_str());
    return 0;
  }
  // Poppler reports recoverable damage on stderr; the caller judges by what comes out.
  poppler::set_debug_error_function(IgnorePopplerMessage, nullptr);

  std::vector<char> data;
  bool read_ok = false;
  if (argc == 2 && std::strcmp(argv[1], "-") != 0) {
    std::ifstream file(argv[1], std::ios::binary);
    if (!file) return Fail("unreadable", std::string("cannot open ") + argv[1]);
    read_ok = ReadAll(file, data);
  } else {
    std::ios::sync_with_stdio(false);
    read_ok = ReadAll(std::cin, data);
  }
  if (!read_ok) return Fail("unreadable", "read error");
  if (data.size() > static_cast<size_t>(INT32_MAX)) return Fail("damaged", "larger than 2 GiB");

  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
  if (document == nullptr) return Fail("damaged", "poppler cannot open it as a PDF");
  if (document->is_locked()) return Fail("encrypted", "needs a password to open");
  const int pages = document->pages();
  if (pages <= 0) return Fail("damaged", "no pages could be read");

  std::string line = "{\"type\":\"document\",\"version\":";
  line += std::to_string(kProtocolVersion);
  line += ",\"pages\":" + std::to_string(pages);
  line += ",\"encrypted\":";
  line += document->is_encrypted() ? "true" : "false";
  line += ",\"title\":";
  AppendJsonString(line, Utf8(document->get_title()));
  line += "}";
  WriteLine(line);

  size_t runs = 0;
  for (int index = 0; index < pages; ++index) {
    std::unique_ptr<poppler::page> page(document->create_page(index));
    if (page == nullptr) continue;
    const poppler::rectf box = page->page_rect(poppler::crop_box);
    line = "{\"type\":\"page\",\"page\":" + std::to_string(index + 1) + ",\"width\":";
    AppendNumber(line, box.width());
    line += ",\"height\":";
    AppendNumber(line, box.height());
    line += ",\"label\":";
    AppendJsonString(line, Utf8(page->label()));
    line += "}";
    WriteLine(line);
    for (const poppler::text_box& word : page->text_list(poppler::page::text_list_include_font)) {
      const std::string text = Utf8(word.text());
      if (text.empty()) continue;
      const poppler::rectf r = word.bbox();
      const std::string font = word.has_font_info() ? word.get_font_name() : std::string();
      const FontFlags flags = FlagsOfFontName(font);
      line = "{\"type\":\"run\",\"page\":" + std::to_string(index + 1) + ",\"x0\":";
      AppendNumber(line, r.left());
      line += ",\"y0\":";
      AppendNumber(line, r.top());
      line += ",\"x1\":";
      AppendNumber(line, r.right());
      line += ",\"y1\":";
      AppendNumber(line, r.bottom());
      line += ",\"size\":";
      AppendNumber(line, word.has_font_info() ? word.get_font_size() : 0.0);
      line += ",\"bold\":";
      line += flags.bold ? "true" : "false";
      line += ",\"italic\":";
      line += flags.italic ? "true" : "false";
      line += ",\"mono\":";
      line += flags.mono ? "true" : "false";
      line += ",\"space\":";
      line += word.has_space_after() ? "true" : "false";
      line += ",\"font\":";
      AppendJsonString(line, font);
      line += ",\"text\":";
      AppendJsonString(line, text);
      line += "}";
      WriteLine(line);
      ++runs;
    }
  }
  WriteLine("{\"type\":\"end\",\"pages\":" + std::to_string(pages) +
            ",\"runs\":" + std::to_string(runs) + "}");
  return std::fflush(stdout) == 0 && !std::ferror(stdout) ? 0 : 1;
}
