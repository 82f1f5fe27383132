// RecordLayout: how the records of a dataset described by a trainer's own configuration
// (LLaMA-Factory's dataset_info.json, an axolotl config's datasets entry) become records of
// a tunepack format. Each record is reshaped to that format's fields and roles, read by the
// format with all its checks, then finished (a KTO tag turned into an unpaired preference).
// The export holds one layout for all its inputs; it is immutable and shared by threads.
#pragma once

#include <string>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format {

class RecordLayout {
 public:
  virtual ~RecordLayout() = default;

  // Returns the name of the tunepack format that reads the reshaped records.
  virtual const std::string& format() const = 0;

  // Returns `record` (a JSON object) reshaped for format(), as JSON text; an error says why
  // the trainer's reading of the record cannot be carried (the record is then refused).
  virtual Result<std::string> Reshape(simdjson::dom::object record) const = 0;

  // Finishes `example`, read by format() from a reshaped record. Does nothing by default.
  virtual Status Finish(Example& example) const {
    (void)example;
    return Status::Ok();
  }
};

}  // namespace tunepack::format
