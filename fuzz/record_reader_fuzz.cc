// Fuzzes everything ingest does with untrusted bytes: type detection, decoding (whole and
// streaming), the normaliser, the three document readers and the three record readers. Besides "no crash,
// no hang, no out-of-bounds read" it checks the contracts callers rely on, and traps when
// one breaks:
//   - decoded and document text is valid UTF-8; blocks lie inside the text, in order;
//   - record spans lie inside the batch buffer with the padding after them;
//   - a record reader gives the same records whether its source hands out all bytes at
//     once or a few at a time (the streaming/whole-input agreement simdjson's
//     fuzz_ndjson.cpp checks);
//   - Normalize is idempotent.
// The first input byte picks options, so one corpus covers them all.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/utf8.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/ingest/record_reader.h"
#include "tunepack/normalize/normalizer.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::ingest;  // NOLINT

// Hands out at most `step` bytes per Read.
class TrickleSource : public ByteSource {
 public:
  TrickleSource(std::string_view bytes, size_t step) : bytes_(bytes), step_(step) {}
  Result<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min({size, step_, bytes_.size() - pos_});
    std::memcpy(buffer, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  size_t step_;
  size_t pos_ = 0;
};

struct Seen {
  std::string text;
  uint64_t line;
  std::string error;
  friend bool operator==(const Seen&, const Seen&) = default;
};

std::vector<Seen> ReadAll(std::string_view container, std::unique_ptr<ByteSource> source,
                          const RecordReaderOptions& options, size_t target) {
  std::vector<Seen> seen;
  auto reader = OpenRecordReader(container, std::move(source), options);
  Check(reader.ok());
  RecordBatch batch;
  for (int guard = 0; guard < 100000; ++guard) {
    Result<bool> more = (*reader)->Next(batch, target);
    if (!more.ok()) {
      seen.push_back({"", 0, "status: " + more.error().message()});
      break;
    }
    if (!*more) break;
    Check(!batch.records.empty());
    for (const RecordSpan& span : batch.records) {
      Check(span.begin + span.size + kRecordPadding <= batch.buffer.size());
      Check(span.line >= 1);
      Check(span.error.empty() || span.size == 0);
      seen.push_back({batch.buffer.substr(span.begin, span.size), span.line, span.error});
    }
  }
  return seen;
}

void FuzzRecordReaders(std::string_view bytes, uint8_t flags) {
  RecordReaderOptions options;
  options.max_record_bytes = 16 + (flags & 0x3F) * 8;
  options.csv_delimiter = (flags & 0x40) ? '\t' : ',';
  options.csv_invalid_utf8 = (flags & 0x80) ? InvalidUtf8Policy::kFail : InvalidUtf8Policy::kReplace;
  for (std::string_view container : {"jsonl", "json", "csv"}) {
    const std::vector<Seen> whole = ReadAll(container, StringByteSource(bytes), options, 1 << 20);
    const std::vector<Seen> trickled = ReadAll(
        container, std::make_unique<TrickleSource>(bytes, 1 + flags % 7), options, 1 + flags % 50);
    Check(whole == trickled);
    for (const Seen& record : whole) {
      if (container == "jsonl") Check(record.text.find('\n') == std::string::npos);
      if (container == "csv" && record.error.empty()) Check(IsValidUtf8(record.text));
    }
  }
}

// Drains `source`; returns false on a read error.
bool Drain(ByteSource& source, std::string& out) {
  char buffer[512];
  while (true) {
    Result<size_t> got = source.Read(buffer, sizeof(buffer));
    if (!got.ok()) return false;
    if (*got == 0) return true;
    out.append(buffer, *got);
  }
}

void FuzzDecodingSource(std::string_view bytes, uint8_t flags) {
  const InvalidUtf8Policy policy =
      (flags & 16) ? InvalidUtf8Policy::kFail : InvalidUtf8Policy::kReplace;
  std::string whole_encoding, trickled_encoding, whole, trickled;
  auto a = OpenDecodingSource(StringByteSource(bytes), policy, &whole_encoding);
  auto b = OpenDecodingSource(std::make_unique<TrickleSource>(bytes, 1 + flags % 13), policy,
                              &trickled_encoding);
  // Opening refuses some input (encodings that are decoded whole, never streamed); however
  // the bytes arrive, the answer is the same.
  Check(a.ok() == b.ok());
  Check(whole_encoding == trickled_encoding);
  if (!a.ok()) {
    Check(a.error() == b.error());
    return;
  }
  const bool whole_ok = Drain(**a, whole);
  const bool trickled_ok = Drain(**b, trickled);
  Check(whole_ok == trickled_ok);
  if (whole_ok) Check(whole == trickled);
  if (whole_ok && whole_encoding != "UTF-8") Check(IsValidUtf8(whole));
}

void FuzzDocuments(std::string_view bytes, uint8_t flags) {
  (void)DetectInputType("input.txt", bytes.substr(0, 64 * 1024));
  (void)DetectInputType("input", bytes.substr(0, 64 * 1024));

  const InvalidUtf8Policy policies[] = {InvalidUtf8Policy::kReplace, InvalidUtf8Policy::kSkip,
                                        InvalidUtf8Policy::kFail};
  const InvalidUtf8Policy policy = policies[flags % 3];
  Result<DecodedText> decoded = DecodeToUtf8(bytes, policy);
  if (decoded.ok()) {
    Check(IsValidUtf8(decoded->text));
    normalize::NormalizeOptions options;
    options.form = (flags & 4) ? normalize::UnicodeForm::kNfkc : normalize::UnicodeForm::kNfc;
    const std::string once = normalize::Normalize(decoded->text, options);
    Check(IsValidUtf8(once));
    Check(normalize::Normalize(once, options) == once);
  } else {
    Check(policy == InvalidUtf8Policy::kFail);
  }

  DocumentOptions options;
  options.on_invalid_utf8 = policy;
  if (flags & 8) options.normalize = normalize::NormalizeOptions::None();
  for (const DocumentReader& reader : BuiltinDocumentReaders().entries()) {
    // Binary formats have targets of their own: packages (package_fuzz.cc) and PDF, which
    // starts a helper process per document (pdf_protocol_fuzz.cc).
    if (reader.reads_bytes) continue;
    Result<Document> doc = ReadDocument(reader, bytes, Origin{"input"}, options);
    if (!doc.ok()) continue;
    Check(IsValidUtf8(doc->text));
    size_t previous_end = 0;
    for (const Block& block : doc->blocks) {
      Check(block.begin <= block.end && block.end <= doc->text.size());
      Check(block.begin >= previous_end);
      previous_end = block.end;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  FuzzRecordReaders(bytes, flags);
  FuzzDecodingSource(bytes, flags);
  FuzzDocuments(bytes, flags);
  return 0;
}
