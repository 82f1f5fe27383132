// Files a folder walk skips because their extension says they are not documents: the
// assets of a web site or a software tree (style sheets, scripts, images, fonts, archives,
// media, compiled code). Without this they were read as text (a .css file became a training
// document) or rejected as binary without saying what they were.
#pragma once

#include <string_view>

namespace tunepack::pipeline {

// Returns what kind of non-document `file_name` is by its extension ("style sheet",
// "image"...), or an empty view when it may be a document.
std::string_view NonDocumentKind(std::string_view file_name);

}  // namespace tunepack::pipeline
