#include "tunepack/pipeline/progress.h"

#include <unistd.h>

#include <chrono>
#include <string>

#include "tunepack/core/option_ref.h"

namespace tunepack::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

std::string HumanBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 4) {
    bytes /= 1000;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
  return buffer;
}

// Prints warnings only: the mode for pipes and log files.
class QuietSink : public EventSubscriber {
 public:
  explicit QuietSink(FILE* stream) : stream_(stream) {}
  void OnEvent(const Event& event) override {
    switch (event.kind) {
      case EventKind::kWarning: Warning(event.message); break;
      case EventKind::kProgress: Update(event.progress); break;
      case EventKind::kRunFinished:
        if (event.status == StatusCode::kOk) Finish(event.progress);
        break;
      default: break;
    }
  }

 protected:
  virtual void Update(const ProgressSnapshot&) {}
  virtual void Finish(const ProgressSnapshot&) {}
  virtual void Warning(std::string_view message) {
    const std::string worded = WordOptionRefs(message, OptionStyle::kCli);
    std::fprintf(stream_, "tunepack: warning: %s\n", worded.c_str());
  }

  FILE* stream_;
};

// A one-line bar redrawn in place at most ten times a second.
class TerminalBar : public QuietSink {
 public:
  using QuietSink::QuietSink;

 protected:
  void Update(const ProgressSnapshot& s) override {
    const auto now = Clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    Draw(s);
  }
  void Warning(std::string_view message) override {
    Clear();
    QuietSink::Warning(message);
  }
  void Finish(const ProgressSnapshot& s) override {
    Draw(s);
    std::fputc('\n', stream_);
    std::fflush(stream_);
  }

 private:
  void Clear() {
    if (drawn_) std::fputs("\r\033[K", stream_);
  }
  void Draw(const ProgressSnapshot& s) {
    constexpr int kWidth = 24;
    std::string bar;
    double fraction = s.bytes_total ? static_cast<double>(s.bytes_done) / s.bytes_total : 0;
    if (fraction > 1) fraction = 1;
    if (s.bytes_total) {
      const int filled = static_cast<int>(fraction * kWidth);
      bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    }
    const double rate = s.elapsed_seconds > 0 ? s.bytes_done / s.elapsed_seconds : 0;
    std::string eta;
    if (s.bytes_total && rate > 0 && fraction < 1) {
      eta = " ETA " + std::to_string(static_cast<int>((s.bytes_total - s.bytes_done) / rate)) + "s";
    }
    std::fprintf(stream_, "\r\033[K%s%llu records (%llu written, %llu rejected) %s %s/s%s", bar.c_str(),
                 static_cast<unsigned long long>(s.inputs),
                 static_cast<unsigned long long>(s.written),
                 static_cast<unsigned long long>(s.rejected), HumanBytes(s.bytes_done).c_str(),
                 HumanBytes(rate).c_str(), eta.c_str());
    std::fflush(stream_);
    drawn_ = true;
  }

  bool drawn_ = false;
  Clock::time_point last_draw_;
};

// One JSON object per line, for programs that drive tunepack. Per-record and per-input
// events are left out (a program that wants them embeds the library or uses the API).
class JsonEvents : public EventSubscriber {
 public:
  explicit JsonEvents(FILE* stream) : stream_(stream) {}
  void OnEvent(const Event& event) override {
    switch (event.kind) {
      case EventKind::kRecordWritten:
      case EventKind::kRecordRejected:
      case EventKind::kInputStarted:
      case EventKind::kInputFinished:
        return;
      case EventKind::kProgress: {
        const auto now = Clock::now();
        if (emitted_ && now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        emitted_ = true;
        break;
      }
      default: break;
    }
    std::fprintf(stream_, "%s\n", EventJson(event).c_str());
    std::fflush(stream_);
  }

 private:
  FILE* stream_;
  bool emitted_ = false;
  Clock::time_point last_;
};

}  // namespace

std::unique_ptr<EventSubscriber> MakeProgressSink(ProgressMode mode, FILE* stream) {
  switch (mode) {
    case ProgressMode::kBar: return std::make_unique<TerminalBar>(stream);
    case ProgressMode::kJson: return std::make_unique<JsonEvents>(stream);
    case ProgressMode::kNone: return std::make_unique<QuietSink>(stream);
    case ProgressMode::kAuto:
      if (isatty(fileno(stream))) return std::make_unique<TerminalBar>(stream);
      return std::make_unique<QuietSink>(stream);
  }
  return std::make_unique<QuietSink>(stream);
}

}  // namespace tunepack::pipeline
