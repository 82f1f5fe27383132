// A ByteSource that converts another one to UTF-8 as it streams, so record readers (which
// split bytes and never decode) work on UTF-16, Shift_JIS or Windows-1252 files too.
#include <unicode/ucnv.h>

#include <cstring>
#include <string>

#include "ingest/icu_callback.h"
#include "ingest/legacy_charsets.h"
#include "ingest/record_readers.h"
#include "ingest/wide_unicode.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/ingest/record_reader.h"

namespace tunepack::ingest {
namespace {

constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kPivotUnits = 4096;

// Passes bytes through, first the ones already read for detection.
class PassThroughSource : public ByteSource {
 public:
  PassThroughSource(std::unique_ptr<ByteSource> source, std::string head)
      : source_(std::move(source)), head_(std::move(head)) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    if (head_pos_ < head_.size()) {
      const size_t n = std::min(size, head_.size() - head_pos_);
      std::memcpy(buffer, head_.data() + head_pos_, n);
      head_pos_ += n;
      return n;
    }
    return source_->Read(buffer, size);
  }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string head_;
  size_t head_pos_ = 0;
};

// Converts with ICU, pivoting through UTF-16 (ucnv_convertEx keeps partial sequences
// between calls, so chunk boundaries may fall anywhere).
class ConvertingSource : public ByteSource {
 public:
  ConvertingSource(std::unique_ptr<ByteSource> source, std::string head,
                   size_t head_offset, internal::ConverterPtr from, internal::ConverterPtr to,
                   std::string charset, InvalidUtf8Policy policy)
      : source_(std::move(source)),
        input_(std::move(head)),
        from_(std::move(from)),
        to_(std::move(to)),
        charset_(std::move(charset)) {
    state_.policy = policy;
    state_.input_offset = head_offset;  // the head starts after the BOM
    state_.windows_1252 = charset_ == "WINDOWS-1252";
    UErrorCode status = U_ZERO_ERROR;
    ucnv_setToUCallBack(from_.get(), &internal::OnInvalidBytes, &state_, nullptr, nullptr,
                        &status);
    pivot_source_ = pivot_target_ = pivot_;
  }

  Result<size_t> Read(char* buffer, size_t size) override {
    while (output_pos_ == output_.size()) {
      if (done_) return size_t{0};
      TP_RETURN_IF_ERROR(Convert());
    }
    const size_t n = std::min(size, output_.size() - output_pos_);
    std::memcpy(buffer, output_.data() + output_pos_, n);
    output_pos_ += n;
    return n;
  }

 private:
  // Converts the next piece of input into output_, reading more input when needed.
  Status Convert() {
    if (!overflow_ && input_pos_ == input_.size() && !eof_) {
      state_.input_offset += input_.size();
      input_.resize(internal::kReadChunkBytes);
      TP_ASSIGN_OR_RETURN(size_t got, source_->Read(input_.data(), input_.size()));
      input_.resize(got);
      input_pos_ = 0;
      if (got == 0) eof_ = true;
    }
    output_.resize(internal::kReadChunkBytes * 2);
    char* target = output_.data();
    const char* source = input_.data() + input_pos_;
    state_.input_begin = input_.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(to_.get(), from_.get(), &target, output_.data() + output_.size(), &source,
                   input_.data() + input_.size(), pivot_, &pivot_source_, &pivot_target_,
                   pivot_ + kPivotUnits, /*reset=*/first_, /*flush=*/eof_, &status);
    first_ = false;
    input_pos_ = static_cast<size_t>(source - input_.data());
    output_.resize(static_cast<size_t>(target - output_.data()));
    output_pos_ = 0;
    overflow_ = status == U_BUFFER_OVERFLOW_ERROR;
    if (U_FAILURE(status) && !overflow_) {
      return DataLossError("cannot decode " + charset_ + ": " + u_errorName(status));
    }
    if (state_.invalid > 0 && state_.policy == InvalidUtf8Policy::kFail) {
      return DataLossError("invalid " + charset_ + " byte sequence at byte " +
                           std::to_string(state_.first_invalid_byte));
    }
    if (eof_ && !overflow_ && input_pos_ == input_.size()) done_ = true;
    return Status::Ok();
  }

  std::unique_ptr<ByteSource> source_;
  std::string input_;
  size_t input_pos_ = 0;
  std::string output_;
  size_t output_pos_ = 0;
  internal::ConverterPtr from_;
  internal::ConverterPtr to_;
  std::string charset_;
  internal::CallbackState state_;
  UChar pivot_[kPivotUnits];
  UChar* pivot_source_;
  UChar* pivot_target_;
  bool first_ = true;
  bool eof_ = false;
  bool overflow_ = false;
  bool done_ = false;
};

}  // namespace

namespace {

// Reads up to kSniffBytes of `source`.
Result<std::string> ReadHead(ByteSource& source) {
  std::string head(kSniffBytes, '\0');
  size_t have = 0;
  while (have < head.size()) {
    TP_ASSIGN_OR_RETURN(size_t got, source.Read(head.data() + have, head.size() - have));
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  return head;
}

// Decodes `source`, whose first bytes `head` were already read from it.
Result<std::unique_ptr<ByteSource>> DecodeAfterHead(std::unique_ptr<ByteSource> source,
                                                    std::string head, InvalidUtf8Policy policy,
                                                    std::string* encoding) {
  // Detection only: replace, so a bad byte in the sample cannot stop it.
  TP_ASSIGN_OR_RETURN(DecodedText sample, DecodeToUtf8(head, InvalidUtf8Policy::kReplace));
  if (encoding != nullptr) *encoding = sample.encoding;
  size_t bom = 0;
  if (sample.encoding_source == "bom") {
    bom = sample.encoding == "UTF-8" ? 3 : sample.encoding.rfind("UTF-32", 0) == 0 ? 4 : 2;
  }
  head.erase(0, bom);
  if (sample.encoding == "UTF-8") {
    return std::unique_ptr<ByteSource>(
        std::make_unique<PassThroughSource>(std::move(source), std::move(head)));
  }
  if (internal::IconvNameOf(sample.encoding) != nullptr) {
    // Johab, EUC-JIS-2004 and Shift_JIS-2004 decode through iconv in DecodeToUtf8 only.
    return UnimplementedError("record files in " + sample.encoding +
                              " are not streamed; convert them to UTF-8 first (iconv -f " +
                              internal::IconvNameOf(sample.encoding) + " -t UTF-8)");
  }
  internal::ConverterPtr from = internal::OpenConverter(internal::IcuConverterName(sample.encoding));
  internal::ConverterPtr to = internal::OpenConverter("UTF-8");
  if (from == nullptr || to == nullptr) {
    return InternalError("no ICU converter for " + sample.encoding);
  }
  return std::unique_ptr<ByteSource>(std::make_unique<ConvertingSource>(
      std::move(source), std::move(head), bom, std::move(from), std::move(to), sample.encoding,
      policy));
}

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenDecodingSource(std::unique_ptr<ByteSource> source,
                                                       InvalidUtf8Policy policy,
                                                       std::string* encoding) {
  if (source == nullptr) return InvalidArgumentError("no byte source given");
  TP_ASSIGN_OR_RETURN(std::string head, ReadHead(*source));
  return DecodeAfterHead(std::move(source), std::move(head), policy, encoding);
}

namespace {

// Decides on its first Read, so that opening a reader neither blocks on nor fails for
// input that has not been asked for yet (read errors surface from Read, as without it).
class WideDecodingSource : public ByteSource {
 public:
  WideDecodingSource(std::unique_ptr<ByteSource> source, InvalidUtf8Policy policy)
      : source_(std::move(source)), policy_(policy) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    if (decoded_ == nullptr) {
      TP_ASSIGN_OR_RETURN(std::string head, ReadHead(*source_));
      if (internal::LooksLikeWideUnicode(head)) {
        TP_ASSIGN_OR_RETURN(decoded_,
                            DecodeAfterHead(std::move(source_), std::move(head), policy_, nullptr));
      } else {
        decoded_ = std::make_unique<PassThroughSource>(std::move(source_), std::move(head));
      }
    }
    return decoded_->Read(buffer, size);
  }

 private:
  std::unique_ptr<ByteSource> source_;
  InvalidUtf8Policy policy_;
  std::unique_ptr<ByteSource> decoded_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenWideDecodingSource(std::unique_ptr<ByteSource> source,
                                                           InvalidUtf8Policy policy) {
  if (source == nullptr) return InvalidArgumentError("no byte source given");
  return std::unique_ptr<ByteSource>(
      std::make_unique<WideDecodingSource>(std::move(source), policy));
}

}  // namespace tunepack::ingest
