// The core properties (docProps/core.xml) that DOCX and PPTX packages share: title, author,
// language and dates. Internal to the ingest module.
#pragma once

#include <string>

#include "ingest/zip_package.h"
#include "tunepack/core/document.h"

namespace tunepack::ingest::internal {

// Sets "author", "language", "created" and "modified" in `doc`'s metadata from the package's
// core properties and returns its title (empty when it has none). Metadata is optional: a
// missing or unreadable part costs nothing.
std::string ReadOoxmlCoreProperties(ZipPackage& package, Document& doc);

}  // namespace tunepack::ingest::internal
