// Loading the templates that include, import and extends name, from the folders of
// TemplateOptions::search_path, as Jinja2's FileSystemLoader finds them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "template/ast.h"
#include "tunepack/core/result.h"

namespace tunepack::jinja::internal {

// Parses `source` into a Program named `name` (errors: "name:line:column: message").
Result<std::shared_ptr<Program>> ParseSource(std::string_view source, std::string name,
                                             const TemplateOptions& options);

// Loads every template `root` names by a string literal in include, import, from-import or
// extends, and those they name in turn, from `options.search_path`, parsed with `options`.
// A name that is found in no folder is left out (the statement fails when it runs, unless
// it says `ignore missing`); a template that does not parse is an error naming it. Names
// holding ".." or starting with "/" are never looked up, so a template cannot read files
// outside its folders.
Result<std::shared_ptr<const Library>> LoadLibrary(const Program& root, const TemplateOptions& options);

}  // namespace tunepack::jinja::internal
