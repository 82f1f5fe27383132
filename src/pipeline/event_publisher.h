// EventPublisher: hands the events of one run to its subscriber one at a time, each stamped
// with the counts so far. The reader and the writing worker both publish.
#pragma once

#include <mutex>

#include "tunepack/pipeline/events.h"

namespace tunepack::pipeline {

class EventPublisher {
 public:
  explicit EventPublisher(EventSubscriber& subscriber) : subscriber_(subscriber) {}

  // Publishes `event` with the latest counts.
  void Publish(Event event) {
    std::lock_guard<std::mutex> lock(mutex_);
    event.progress = progress_;
    subscriber_.OnEvent(event);
  }

  // Records new counts and publishes them as a progress event.
  void Progress(const ProgressSnapshot& snapshot) {
    std::lock_guard<std::mutex> lock(mutex_);
    progress_ = snapshot;
    Event event;
    event.kind = EventKind::kProgress;
    event.progress = progress_;
    subscriber_.OnEvent(event);
  }

  // Records new counts without publishing them (the next event carries them).
  void SetProgress(const ProgressSnapshot& snapshot) {
    std::lock_guard<std::mutex> lock(mutex_);
    progress_ = snapshot;
  }

  // Publishes a warning.
  void Warning(std::string_view message) {
    Event event;
    event.kind = EventKind::kWarning;
    event.message = message;
    Publish(event);
  }

 private:
  EventSubscriber& subscriber_;
  std::mutex mutex_;
  ProgressSnapshot progress_;
};

}  // namespace tunepack::pipeline
