// MediaCheck: what an export checks of the images, videos and audio a record points to
// before the record becomes an example (tunepack/format/media.h): as many placeholders in the
// text as references in each list (reason media_count_mismatch) and, unless --media-files
// skip, each local file present, readable and of its kind by its content, as libmagic tells
// it (reason bad_media_file). Remote references (http://, s3://...) are not fetched.
#pragma once

#include <optional>
#include <string>

#include "pipeline/example_steps.h"
#include "tunepack/core/document.h"
#include "tunepack/format/media.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

// One per worker thread: a libmagic handle is not thread-safe, and is opened on the first
// local file, so that exports without media never load libmagic's database.
class MediaCheck {
 public:
  MediaCheck(MediaFileCheck files, std::string media_dir);
  ~MediaCheck();
  MediaCheck(const MediaCheck&) = delete;
  MediaCheck& operator=(const MediaCheck&) = delete;

  // Returns why `example` (read from example.origin.source) is refused, or nullopt.
  std::optional<StepDrop> Check(const Example& example);

 private:
  // Returns why the local file `reference` of `kind` (named in `source`) is unusable, or
  // nullopt when it is fine or remote.
  std::optional<std::string> CheckFile(const format::MediaKind& kind, const std::string& reference,
                                       const std::string& source);
  // Returns the MIME type libmagic gives the file at `path`, or an error saying why not.
  Result<std::string> MimeType(const std::string& path);

  MediaFileCheck files_;
  std::string media_dir_;
  void* magic_ = nullptr;  // magic_t, kept out of the header
};

}  // namespace tunepack::pipeline
