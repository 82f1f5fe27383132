// Fuzzes the dataset formats with untrusted bytes: the input is parsed as one JSON record
// (simdjson DOM) and run through DetectFormat, every reader, MapRecord and every writer,
// and is also split as a plain file by every format that has a splitter. Besides "no
// crash, no hang", it traps when a contract callers rely on breaks:
//   - a JSONL writer emits exactly one line of valid JSON, and a failed write leaves the
//     buffer as it was;
//   - what a format writes, the same format reads back and writes again byte for byte;
//   - what a chat or chatml writer writes is detected as that format;
//   - for text and markdown, split(write(records)) gives the same texts back;
//   - a record ReadPlainRecord takes from its text parses, and its format's reader reads it
//     to the same messages with nothing else; a record that does not parse it never takes.
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/utf8.h"
#include "tunepack/format/format.h"
#include "tunepack/format/mapping.h"
#include "tunepack/format/plain_record.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::format;  // NOLINT

bool IsJsonl(const Format& format) { return format.separator.empty(); }

// Writes `example` with `format` and checks the written bytes read back to the same bytes.
void WriteAndReread(const Format& format, const Example& example, const WriteOptions& options) {
  std::string out = "prefix";
  const Status status = format.write(example, options, out);
  if (!status.ok()) {
    Check(out == "prefix");
    return;
  }
  const std::string written = out.substr(6);
  if (!IsJsonl(format)) return;
  Check(!written.empty() && written.back() == '\n');
  Check(written.find('\n') == written.size() - 1);
  simdjson::dom::parser parser;
  simdjson::dom::element record;
  Check(parser.parse(written.data(), written.size() - 1).get(record) == simdjson::SUCCESS);
  if (format.name != "jsonl") {
    // A jsonl text that starts with <|im_start|> is detected as chatml, by design.
    const Format* detected = DetectFormat(BuiltinFormats(), record);
    // A bedrock-claude record without its optional "system" string is also an openai
    // record, which reads the same: detected as openai, by design.
    const bool openai_shaped = format.name == "bedrock-claude" && detected != nullptr && detected->name == "openai";
    Check(detected == &format || openai_shaped);
  }
  Example again;
  Check(format.read(record, again).ok());
  std::string rewritten;
  Check(format.write(again, options, rewritten).ok());
  Check(rewritten == written);
}

// Runs ReadPlainRecord of every format over `bytes`; returns the formats that took it, with
// their examples.
std::vector<std::pair<const Format*, Example>> ReadPlain(std::string_view bytes) {
  // Padding of '}' bytes: a reader that looks past the record's end finds more JSON.
  const std::string padded = std::string(bytes) + std::string(simdjson::SIMDJSON_PADDING, '}');
  std::vector<std::pair<const Format*, Example>> taken;
  for (const Format& format : BuiltinFormats().entries()) {
    Example example;
    if (ReadPlainRecord(format, std::string_view(padded.data(), bytes.size()), example)) {
      taken.emplace_back(&format, std::move(example));
    } else {
      Check(example.messages.empty() && example.kind == ExampleKind::kText);
    }
  }
  return taken;
}

void FuzzRecord(std::string_view bytes) {
  simdjson::dom::parser parser;
  simdjson::dom::element record;
  const std::vector<std::pair<const Format*, Example>> plain = ReadPlain(bytes);
  if (parser.parse(bytes.data(), bytes.size()).get(record) != simdjson::SUCCESS) {
    Check(plain.empty());
    return;
  }
  for (const auto& [format, example] : plain) {
    Example read;
    Check(format->read(record, read).ok());
    Check(read.kind == example.kind && read.messages == example.messages);
    Check(read.unread_fields.empty() && read.metadata.empty() && read.tools.empty());
  }
  (void)DetectFormat(BuiltinFormats(), record);
  std::vector<Example> examples;
  for (const Format& format : BuiltinFormats().entries()) {
    if (!format.read) continue;
    (void)format.matches(record);
    Example example;
    if (format.read(record, example).ok()) examples.push_back(std::move(example));
  }
  RecordMapping chat;
  chat.fields = {{Role::kUser, "q"}, {Role::kAssistant, "a.0"}};
  chat.metadata_fields = {"id", "meta.source"};
  RecordMapping text;
  text.text_field = "body.text";
  for (const RecordMapping* mapping : {&chat, &text}) {
    Example example;
    if (MapRecord(record, *mapping, example).ok()) examples.push_back(std::move(example));
  }
  for (const Example& example : examples) {
    for (const Format& format : BuiltinFormats().entries()) {
      WriteAndReread(format, example, {});
      WriteAndReread(format, example, {.include_metadata = true});
    }
  }
}

void FuzzSplit(std::string_view bytes) {
  // The pipeline decodes files to UTF-8 before a splitter sees them.
  if (!IsValidUtf8(bytes)) return;
  for (const Format& format : BuiltinFormats().entries()) {
    if (!format.split) continue;
    std::vector<Example> examples;
    if (!format.split(bytes, [&](Example&& example, uint64_t) {
          examples.push_back(std::move(example));
        }).ok()) {
      continue;
    }
    for (const Example& example : examples) {
      for (const Format& target : BuiltinFormats().entries()) WriteAndReread(target, example, {});
    }
    if (IsJsonl(format)) continue;
    std::string file;
    bool all_written = true;
    for (size_t i = 0; i < examples.size() && all_written; ++i) {
      if (i > 0) file += format.separator;
      all_written = format.write(examples[i], {}, file).ok();
    }
    if (!all_written) continue;
    std::vector<std::string> texts;
    Check(format.split(file, [&](Example&& example, uint64_t) { texts.push_back(example.text); }).ok());
    Check(texts.size() == examples.size());
    for (size_t i = 0; i < texts.size(); ++i) Check(texts[i] == examples[i].text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  FuzzRecord(bytes);
  FuzzSplit(bytes);
  return 0;
}
