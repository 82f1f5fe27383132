#include "tunepack/pipeline/progress.h"

#include <unistd.h>

#include <chrono>
#include <string>

#include "tunepack/core/json_writer.h"

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
class QuietSink : public ProgressSink {
 public:
  explicit QuietSink(FILE* stream) : stream_(stream) {}
  void Start(uint64_t, uint64_t) override {}
  void Update(const ProgressSnapshot&) override {}
  void Warning(std::string_view message) override {
    std::fprintf(stream_, "tunepack: warning: %.*s\n", static_cast<int>(message.size()),
                 message.data());
  }
  void Finish(const ProgressSnapshot&) override {}

 protected:
  FILE* stream_;
};

// A one-line bar redrawn in place at most ten times a second.
class TerminalBar : public QuietSink {
 public:
  using QuietSink::QuietSink;
  void Start(uint64_t, uint64_t) override {}
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

// One JSON object per line, for programs that drive tunepack.
class JsonEvents : public ProgressSink {
 public:
  explicit JsonEvents(FILE* stream) : stream_(stream) {}
  void Start(uint64_t files, uint64_t bytes_total) override {
    std::string line;
    JsonObjectWriter object(line);
    object.String("event", "start");
    object.Int("files", static_cast<int64_t>(files));
    object.Int("bytes_total", static_cast<int64_t>(bytes_total));
    object.Close();
    Emit(line);
  }
  void Update(const ProgressSnapshot& s) override {
    const auto now = Clock::now();
    if (emitted_ && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    emitted_ = true;
    Emit(Snapshot("progress", s));
  }
  void Warning(std::string_view message) override {
    std::string line;
    JsonObjectWriter object(line);
    object.String("event", "warning");
    object.String("message", message);
    object.Close();
    Emit(line);
  }
  void Finish(const ProgressSnapshot& s) override { Emit(Snapshot("finish", s)); }

 private:
  static std::string Snapshot(std::string_view event, const ProgressSnapshot& s) {
    std::string line;
    JsonObjectWriter object(line);
    object.String("event", event);
    object.Int("inputs", static_cast<int64_t>(s.inputs));
    object.Int("written", static_cast<int64_t>(s.written));
    object.Int("rejected", static_cast<int64_t>(s.rejected));
    object.Int("bytes_done", static_cast<int64_t>(s.bytes_done));
    object.Int("bytes_total", static_cast<int64_t>(s.bytes_total));
    object.Key("elapsed_seconds") += std::to_string(s.elapsed_seconds);
    object.Close();
    return line;
  }
  void Emit(const std::string& line) {
    std::fprintf(stream_, "%s\n", line.c_str());
    std::fflush(stream_);
  }

  FILE* stream_;
  bool emitted_ = false;
  Clock::time_point last_;
};

}  // namespace

std::unique_ptr<ProgressSink> MakeProgressSink(ProgressMode mode, FILE* stream) {
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
