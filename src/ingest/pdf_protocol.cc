#include "ingest/pdf_protocol.h"

#include <simdjson.h>

#include <cmath>

#include "tunepack/ingest/rejection.h"

namespace tunepack::ingest::internal {
namespace {

// Limits that no real PDF comes near; they keep a misbehaving helper from making the
// parser allocate without bound.
constexpr uint64_t kMaxPages = 1'000'000;
constexpr double kMaxCoordinate = 1e6;  // points; PDF pages are at most 14,400 units wide
constexpr double kMaxFontSize = 1e4;
constexpr size_t kMaxRunBytes = 64 * 1024;

class LineParser {
 public:
  explicit LineParser(PdfContent& content) : content_(content) {}

  // Parses one line; `line_number` is 1-based, for messages.
  Status Parse(std::string_view line, size_t line_number) {
    line_number_ = line_number;
    if (ended_) return Malformed("text after the \"end\" line");
    simdjson::dom::element root;
    if (const auto error = parser_.parse(line.data(), line.size(), true).get(root)) {
      return Malformed(std::string("invalid JSON: ") + simdjson::error_message(error));
    }
    simdjson::dom::object object;
    if (root.get(object)) return Malformed("not a JSON object");
    std::string_view type;
    if (object["type"].get(type)) return Malformed("no \"type\"");
    if (type == "error") return HelperError(object);
    if (!started_) {
      if (type != "document") return Malformed("the first line is not \"document\"");
      return Document(object);
    }
    if (type == "page") return Page(object);
    if (type == "run") return Run(object);
    if (type == "end") return End(object);
    if (type == "document") return Malformed("a second \"document\" line");
    return Malformed("unknown type \"" + std::string(type) + "\"");
  }

  // Checks that the output was complete.
  Status Finish() {
    if (!started_) return RejectionError(RejectReason::kPdfHelperFailed, "the helper wrote nothing");
    if (!ended_) return RejectionError(RejectReason::kPdfHelperFailed, "the helper's output was cut short");
    return Status::Ok();
  }

 private:
  Status Malformed(const std::string& why) const {
    return RejectionError(RejectReason::kPdfHelperFailed, "malformed helper output, line " +
                                                   std::to_string(line_number_) + ": " + why);
  }

  Status HelperError(simdjson::dom::object& object) {
    std::string_view reason, message;
    if (object["reason"].get(reason) || object["message"].get(message)) {
      return Malformed("an \"error\" line without reason and message");
    }
    // The helper's own reasons: "encrypted", "damaged", "unreadable" (stdin failed).
    if (reason == "encrypted") return RejectionError(RejectReason::kEncryptedPdf, message);
    if (reason == "damaged") return RejectionError(RejectReason::kCorruptPdf, message);
    return RejectionError(RejectReason::kPdfHelperFailed, std::string(reason) + ": " + std::string(message));
  }

  Status Count(simdjson::dom::object& object, const char* key, uint64_t max, uint64_t& out) {
    if (object[key].get(out) || out > max) {
      return Malformed(std::string("\"") + key + "\" is not a count up to " + std::to_string(max));
    }
    return Status::Ok();
  }

  Status Number(simdjson::dom::object& object, const char* key, double max, float& out) {
    double value = 0;
    if (object[key].get(value) || !std::isfinite(value) || std::fabs(value) > max) {
      return Malformed(std::string("\"") + key + "\" is not a number within +-" +
                       std::to_string(static_cast<int64_t>(max)));
    }
    out = static_cast<float>(value);
    return Status::Ok();
  }

  Status Flag(simdjson::dom::object& object, const char* key, bool& out) {
    if (object[key].get(out)) return Malformed(std::string("\"") + key + "\" is not a boolean");
    return Status::Ok();
  }

  Status Text(simdjson::dom::object& object, const char* key, std::string& out) {
    std::string_view text;
    if (object[key].get(text)) return Malformed(std::string("\"") + key + "\" is not a string");
    out.assign(text);
    return Status::Ok();
  }

  Status Document(simdjson::dom::object& object) {
    uint64_t version = 0, pages = 0;
    TP_RETURN_IF_ERROR(Count(object, "version", 1'000'000, version));
    if (version != kPdfProtocolVersion) {
      return Malformed("protocol version " + std::to_string(version) + ", expected " +
                       std::to_string(kPdfProtocolVersion) + " (reinstall tunepack-pdf)");
    }
    TP_RETURN_IF_ERROR(Count(object, "pages", kMaxPages, pages));
    if (pages == 0) return Malformed("a document of 0 pages");
    content_.page_count = static_cast<uint32_t>(pages);
    TP_RETURN_IF_ERROR(Flag(object, "encrypted", content_.encrypted));
    TP_RETURN_IF_ERROR(Text(object, "title", content_.title));
    started_ = true;
    return Status::Ok();
  }

  Status Page(simdjson::dom::object& object) {
    uint64_t number = 0;
    TP_RETURN_IF_ERROR(Count(object, "page", content_.page_count, number));
    const uint32_t last = content_.pages.empty() ? 0 : content_.pages.back().number;
    if (number <= last) return Malformed("pages out of order");
    PdfPageInfo page;
    page.number = static_cast<uint32_t>(number);
    TP_RETURN_IF_ERROR(Number(object, "width", kMaxCoordinate, page.width));
    TP_RETURN_IF_ERROR(Number(object, "height", kMaxCoordinate, page.height));
    TP_RETURN_IF_ERROR(Text(object, "label", page.label));
    content_.pages.push_back(std::move(page));
    return Status::Ok();
  }

  Status Run(simdjson::dom::object& object) {
    uint64_t number = 0;
    TP_RETURN_IF_ERROR(Count(object, "page", content_.page_count, number));
    if (content_.pages.empty() || number != content_.pages.back().number) {
      return Malformed("a run outside its page");
    }
    PdfRun run;
    run.page = static_cast<uint32_t>(number);
    TP_RETURN_IF_ERROR(Number(object, "x0", kMaxCoordinate, run.x0));
    TP_RETURN_IF_ERROR(Number(object, "y0", kMaxCoordinate, run.y0));
    TP_RETURN_IF_ERROR(Number(object, "x1", kMaxCoordinate, run.x1));
    TP_RETURN_IF_ERROR(Number(object, "y1", kMaxCoordinate, run.y1));
    TP_RETURN_IF_ERROR(Number(object, "size", kMaxFontSize, run.size));
    if (run.size < 0) return Malformed("a negative font size");
    TP_RETURN_IF_ERROR(Flag(object, "bold", run.bold));
    TP_RETURN_IF_ERROR(Flag(object, "italic", run.italic));
    TP_RETURN_IF_ERROR(Flag(object, "mono", run.mono));
    TP_RETURN_IF_ERROR(Flag(object, "space", run.space_after));
    TP_RETURN_IF_ERROR(Text(object, "text", run.text));
    if (run.text.empty() || run.text.size() > kMaxRunBytes) {
      return Malformed("a run's text is empty or longer than " + std::to_string(kMaxRunBytes));
    }
    if (run.x1 < run.x0) std::swap(run.x0, run.x1);
    if (run.y1 < run.y0) std::swap(run.y0, run.y1);
    content_.runs.push_back(std::move(run));
    return Status::Ok();
  }

  Status End(simdjson::dom::object& object) {
    uint64_t pages = 0, runs = 0;
    TP_RETURN_IF_ERROR(Count(object, "pages", kMaxPages, pages));
    TP_RETURN_IF_ERROR(Count(object, "runs", UINT64_MAX, runs));
    if (pages != content_.page_count || runs != content_.runs.size()) {
      return Malformed("the \"end\" counts disagree with the lines before it");
    }
    ended_ = true;
    return Status::Ok();
  }

  PdfContent& content_;
  simdjson::dom::parser parser_;
  size_t line_number_ = 0;
  bool started_ = false;
  bool ended_ = false;
};

}  // namespace

Result<PdfContent> ParsePdfProtocol(std::string_view output) {
  PdfContent content;
  LineParser parser(content);
  size_t line_number = 0;
  while (!output.empty()) {
    const size_t newline = output.find('\n');
    const std::string_view line = output.substr(0, newline);
    output.remove_prefix(newline == std::string_view::npos ? output.size() : newline + 1);
    ++line_number;
    if (line.empty()) continue;
    TP_RETURN_IF_ERROR(parser.Parse(line, line_number));
  }
  TP_RETURN_IF_ERROR(parser.Finish());
  return content;
}

}  // namespace tunepack::ingest::internal
