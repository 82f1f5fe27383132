// Registry<Entry>: a named, ordered set of entries (readers, formats, tokenizer kinds...).
//
// Entries are added by explicit registration calls (RegisterBuiltinFormats(registry) and the
// like), never by static initialisers, which a static library can silently drop. `Entry`
// needs a `std::string name` member. Listing order is registration order, so help output and
// `tunepack formats` are stable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/status.h"

namespace tunepack {

template <typename Entry>
class Registry {
 public:
  // Adds `entry`; returns AlreadyExists when its name is taken.
  Status Add(Entry entry) {
    if (Find(entry.name) != nullptr) {
      return AlreadyExistsError("'" + entry.name + "' is registered twice");
    }
    entries_.push_back(std::move(entry));
    return Status::Ok();
  }

  // Returns the entry called `name`, or nullptr.
  const Entry* Find(std::string_view name) const {
    for (const Entry& entry : entries_) {
      if (entry.name == name) return &entry;
    }
    return nullptr;
  }

  // Returns the names joined with ", ", for error messages that list the choices.
  std::string Names() const {
    std::string out;
    for (const Entry& entry : entries_) {
      if (!out.empty()) out += ", ";
      out += entry.name;
    }
    return out;
  }

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace tunepack
