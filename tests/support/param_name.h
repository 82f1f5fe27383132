// ParamName: a parametrised test's name suffix made from text (a file name, a format), so
// ctest lists "Fixtures/DecodeFixtureTest.RoundTrips/shift_jis" rather than an index.
#pragma once

#include <string>
#include <string_view>

namespace tunepack::testing {

// Returns `text` up to its first '.' (a file's extension goes), with every character but
// ASCII letters and digits made '_': GoogleTest takes only those in a name.
inline std::string ParamName(std::string_view text) {
  std::string name(text.substr(0, text.find('.')));
  for (char& c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!keep) c = '_';
  }
  return name;
}

}  // namespace tunepack::testing
