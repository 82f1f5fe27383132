// CSV (RFC 4180): a byte-at-a-time state machine, so quoted fields may span lines and chunk
// boundaries without lookahead, and memory is bounded by the largest row. The header row
// names the keys; every later row becomes a JSON object of string values.
//
// Leniency matches what spreadsheets export and Python's csv module accepts: a quote inside
// an unquoted field is literal, lines may end in CRLF, LF or CR, and blank lines are skipped.
// A character after a closing quote, a wrong field count and an unterminated quote are row
// errors carrying line and column.
#include <string>
#include <vector>

#include "ingest/record_readers.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/utf8.h"

namespace tunepack::ingest::internal {
namespace {

class CsvReader : public RecordReader {
 public:
  CsvReader(std::unique_ptr<ByteSource> source, const RecordReaderOptions& options)
      : source_(std::move(source)), options_(options) {
    chunk_.resize(kReadChunkBytes);
  }

  Result<bool> Next(RecordBatch& batch, size_t target_bytes) override {
    batch.buffer.clear();
    batch.records.clear();
    while (!done_ && (batch.buffer.size() < target_bytes || batch.records.empty())) {
      if (chunk_pos_ == chunk_size_) {
        TP_ASSIGN_OR_RETURN(chunk_size_, source_->Read(chunk_.data(), chunk_.size()));
        chunk_pos_ = 0;
        if (chunk_size_ == 0) {
          TP_RETURN_IF_ERROR(Finish(batch));
          done_ = true;
          break;
        }
      }
      while (chunk_pos_ < chunk_size_) {
        TakePlainRun();
        if (chunk_pos_ == chunk_size_) break;
        TP_RETURN_IF_ERROR(Consume(static_cast<unsigned char>(chunk_[chunk_pos_++]), batch));
        if (batch.buffer.size() >= target_bytes && !batch.records.empty()) break;
      }
    }
    PadBatch(batch);
    return !batch.records.empty();
  }

 private:
  // Feeds one byte to the state machine; may complete a row.
  Status Consume(unsigned char c, RecordBatch& batch) {
    if (skip_bom_ > 0) {
      static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
      if (c == kBom[3 - skip_bom_]) {
        if (--skip_bom_ == 0) bom_pending_.clear();
        else bom_pending_.push_back(static_cast<char>(c));
        return Status::Ok();
      }
      // Not a BOM after all: replay the bytes taken so far as content.
      skip_bom_ = 0;
      std::string replay;
      replay.swap(bom_pending_);
      for (char b : replay) TP_RETURN_IF_ERROR(Consume(static_cast<unsigned char>(b), batch));
    }
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n' && !in_quotes_) return Status::Ok();  // the LF of a CRLF
    }
    if (!row_started_) {
      row_started_ = true;
      row_line_ = line_;
    }
    const uint64_t column = column_;
    AdvancePosition(c);

    if (in_quotes_) {
      if (c == '"') {
        in_quotes_ = false;
        after_quote_ = true;
      } else {
        Append(c);
      }
      return Status::Ok();
    }
    if (after_quote_) {
      after_quote_ = false;
      if (c == '"') {  // a doubled quote inside a quoted field
        Append('"');
        in_quotes_ = true;
        return Status::Ok();
      }
      if (c != static_cast<unsigned char>(options_.csv_delimiter) && c != '\n' && c != '\r') {
        SetRowError("unexpected character after a closing quote", column);
        Append(c);
        return Status::Ok();
      }
    }
    if (c == static_cast<unsigned char>(options_.csv_delimiter)) {
      EndField(column);
    } else if (c == '\n' || c == '\r') {
      if (c == '\r') after_cr_ = true;
      return EndRow(column, batch);
    } else if (c == '"' && field_.empty() && !field_quoted_) {
      in_quotes_ = true;
      field_quoted_ = true;
      quote_line_ = line_before_;
      quote_column_ = column;
    } else {
      Append(c);
    }
    return Status::Ok();
  }

  // Appends the run of ordinary field bytes at chunk_pos_ in one go: the bytes that Consume
  // would only append one by one. Most of a CSV file is such runs, so this is the fast path.
  void TakePlainRun() {
    if (skip_bom_ > 0 || after_cr_ || after_quote_ || !row_started_ || oversize_) return;
    const char delimiter = options_.csv_delimiter;
    size_t end = chunk_pos_;
    uint64_t code_points = 0;
    while (end < chunk_size_) {
      const char c = chunk_[end];
      if (c == '"' || c == '\n' || c == '\r' || (!in_quotes_ && c == delimiter)) break;
      code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      ++end;
    }
    const size_t length = end - chunk_pos_;
    if (length == 0 || row_bytes_ + length > options_.max_record_bytes) return;
    field_.append(chunk_.data() + chunk_pos_, length);
    row_bytes_ += length;
    column_ += code_points;
    line_before_ = line_;
    last_was_cr_ = false;
    chunk_pos_ = end;
  }

  // Tracks the 1-based line and column (in code points) of the next byte.
  void AdvancePosition(unsigned char c) {
    line_before_ = line_;
    if (c == '\n') {
      if (!last_was_cr_) ++line_;
      column_ = 1;
    } else if (c == '\r') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
    last_was_cr_ = c == '\r';
  }

  void Append(unsigned char c) {
    if (++row_bytes_ > options_.max_record_bytes) {
      if (!oversize_) {
        oversize_ = true;
        fields_.clear();
        fields_.shrink_to_fit();
        field_.clear();
        field_.shrink_to_fit();
      }
      return;
    }
    field_.push_back(static_cast<char>(c));
  }

  void EndField(uint64_t column) {
    if (!oversize_) fields_.push_back(std::move(field_));
    ++field_count_;
    // The field after the header's last one starts just past this delimiter.
    if (have_header_ && field_count_ == header_.size()) extra_field_column_ = column + 1;
    field_.clear();
    field_quoted_ = false;
  }

  void SetRowError(std::string message, uint64_t column) {
    if (!row_error_.empty()) return;
    row_error_ = std::move(message);
    row_error_column_ = column;
  }

  // Completes the row that ends at `column` (the line terminator, or the end of input).
  Status EndRow(uint64_t column, RecordBatch& batch) {
    const bool blank = field_count_ == 0 && field_.empty() && !field_quoted_ && !oversize_;
    EndField(column);
    Status status = Status::Ok();
    if (!blank) status = EmitRow(column, batch);
    fields_.clear();
    field_count_ = 0;
    row_bytes_ = 0;
    oversize_ = false;
    row_error_.clear();
    row_error_column_ = 0;
    extra_field_column_ = 0;
    row_started_ = false;
    return status;
  }

  Status EmitRow(uint64_t end_column, RecordBatch& batch) {
    if (!have_header_) {
      if (oversize_ || !row_error_.empty()) {
        return InvalidArgumentError(
            "CSV header at line " + std::to_string(row_line_) + ": " +
            (oversize_ ? OversizeMessage(options_.max_record_bytes) : row_error_));
      }
      SetHeader();
      return Status::Ok();
    }
    auto error = [&](std::string message, uint64_t column) {
      batch.records.push_back({batch.buffer.size(), 0, row_line_, std::move(message), column});
    };
    if (oversize_) {
      batch.records.push_back(
          {batch.buffer.size(), 0, row_line_, OversizeMessage(options_.max_record_bytes), 0, true});
      return Status::Ok();
    }
    if (!row_error_.empty()) {
      error(row_error_, row_error_column_);
      return Status::Ok();
    }
    if (fields_.size() != header_.size()) {
      error("row has " + std::to_string(fields_.size()) + " fields, the header has " +
                std::to_string(header_.size()),
            fields_.size() > header_.size() ? extra_field_column_ : end_column);
      return Status::Ok();
    }
    const size_t begin = batch.buffer.size();
    JsonObjectWriter object(batch.buffer);
    std::string repaired;
    for (size_t i = 0; i < fields_.size(); ++i) {
      const std::string& value = fields_[i];
      if (!IsValidUtf8(value)) {
        Result<RepairReport> report = RepairUtf8(value, options_.csv_invalid_utf8, &repaired);
        if (!report.ok()) {
          batch.buffer.resize(begin);
          error("invalid UTF-8 in field '" + header_[i] + "'", 0);
          return Status::Ok();
        }
        object.String(header_[i], repaired);
      } else {
        object.String(header_[i], value);
      }
    }
    object.Close();
    batch.records.push_back({begin, batch.buffer.size() - begin, row_line_, {}, 0});
    return Status::Ok();
  }

  // Takes the header row's fields as keys. JSON objects need distinct keys, so an empty
  // name becomes "column_N" and a repeated one gets "_2", "_3"... appended.
  void SetHeader() {
    have_header_ = true;
    std::string key;
    for (size_t i = 0; i < fields_.size(); ++i) {
      (void)RepairUtf8(fields_[i], InvalidUtf8Policy::kReplace, &key);
      if (key.empty()) key = "column_" + std::to_string(i + 1);
      std::string unique = key;
      for (int n = 2; Contains(unique); ++n) unique = key + "_" + std::to_string(n);
      header_.push_back(std::move(unique));
    }
  }

  bool Contains(const std::string& key) const {
    for (const std::string& existing : header_) {
      if (existing == key) return true;
    }
    return false;
  }

  // Ends the input: a last row without a line terminator, or an unterminated quote.
  Status Finish(RecordBatch& batch) {
    if (skip_bom_ > 0 && !bom_pending_.empty()) {
      skip_bom_ = 0;
      std::string replay;
      replay.swap(bom_pending_);
      for (char b : replay) TP_RETURN_IF_ERROR(Consume(static_cast<unsigned char>(b), batch));
    }
    if (in_quotes_) {
      in_quotes_ = false;
      if (!have_header_) {
        return InvalidArgumentError("CSV header: unterminated quoted field starting at line " +
                                    std::to_string(quote_line_) + ", column " +
                                    std::to_string(quote_column_));
      }
      SetRowError("unterminated quoted field starting at line " + std::to_string(quote_line_),
                  quote_column_);
      // The error names where the quote opened, which may be lines before the end.
      return EndRow(column_, batch);
    }
    if (row_started_) return EndRow(column_, batch);
    return Status::Ok();
  }

  std::unique_ptr<ByteSource> source_;
  RecordReaderOptions options_;
  std::string chunk_;
  size_t chunk_pos_ = 0;
  size_t chunk_size_ = 0;
  bool done_ = false;

  int skip_bom_ = 3;         // bytes of a leading UTF-8 BOM still to match
  std::string bom_pending_;  // BOM bytes matched so far, replayed if it was not one

  // Position.
  uint64_t line_ = 1;
  uint64_t line_before_ = 1;
  uint64_t column_ = 1;
  bool last_was_cr_ = false;
  bool after_cr_ = false;

  // Current row.
  bool row_started_ = false;
  uint64_t row_line_ = 1;
  std::vector<std::string> fields_;
  std::string field_;
  size_t field_count_ = 0;
  size_t row_bytes_ = 0;
  bool oversize_ = false;
  bool in_quotes_ = false;
  bool after_quote_ = false;
  bool field_quoted_ = false;
  uint64_t quote_line_ = 0;
  uint64_t quote_column_ = 0;
  uint64_t extra_field_column_ = 0;
  std::string row_error_;
  uint64_t row_error_column_ = 0;

  bool have_header_ = false;
  std::vector<std::string> header_;
};

}  // namespace

std::unique_ptr<RecordReader> OpenCsvReader(std::unique_ptr<ByteSource> source,
                                            const RecordReaderOptions& options) {
  return std::make_unique<CsvReader>(std::move(source), options);
}

}  // namespace tunepack::ingest::internal
