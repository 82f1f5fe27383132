// LoopObject's iteration (runtime_objects.h): how a for loop takes its items, as Jinja2's
// LoopContext over a Python list iterator does.
#include <utility>
#include <vector>

#include "template/runtime_objects.h"

namespace tunepack::jinja::internal {

std::vector<LoopObject*>& LoopObject::Running() {
  thread_local std::vector<LoopObject*> running;
  return running;
}

bool LoopObject::PullKept(Taken& t) const {
  while (!exhausted_) {
    if (pos_ >= items_->size()) break;
    // Copied at once: the inline `if` may change the list.
    t.value = (*items_)[pos_++];
    t.copied = true;
    if (!keep_ || keep_(t.value)) return true;
  }
  exhausted_ = true;
  return false;
}

int64_t LoopObject::Length() const {
  if (length_ >= 0) return length_;
  if (!keep_) {
    length_ = static_cast<int64_t>(items_->size());
    return length_;
  }
  std::vector<Value> rest;
  for (Taken t; Pull(t);) rest.push_back(Read(t));
  length_ = static_cast<int64_t>(rest.size()) + index0_ + 1 + (has_after_ ? 1 : 0);
  CopyTaken();  // they are in the list being left
  list_ = Value::FromList(std::move(rest));
  items_ = &list_.as_list().items;
  pos_ = 0;
  exhausted_ = false;
  keep_ = nullptr;
  return length_;
}

}  // namespace tunepack::jinja::internal
