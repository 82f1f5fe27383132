// The parts of the tunepack extension module, each registered by module.cc.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::python {

void RegisterTokenizer(pybind11::module_& module);  // tokenizer_binding.cc
void RegisterTemplates(pybind11::module_& module);  // template_binding.cc
void RegisterExport(pybind11::module_& module);     // export_binding.cc
void RegisterRead(pybind11::module_& module);       // read_binding.cc
void RegisterValidate(pybind11::module_& module);   // validate_binding.cc

// Returns the engine of a tunepack.Tokenizer object (tokenizer_binding.cc); raises
// InvalidArgumentError for any other object.
std::shared_ptr<const tokenize::Tokenizer> TokenizerOf(pybind11::handle object);

}  // namespace tunepack::python
