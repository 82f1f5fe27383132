#include "tunepack/options/option_spec.h"

#include "options/option_values.h"

namespace tunepack::options {

OptionValues::OptionValues() : impl_(std::make_unique<Impl>()) {}
OptionValues::OptionValues(const OptionValues& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
OptionValues& OptionValues::operator=(const OptionValues& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
OptionValues::OptionValues(OptionValues&&) noexcept = default;
OptionValues& OptionValues::operator=(OptionValues&&) noexcept = default;
OptionValues::~OptionValues() = default;

namespace {

// Returns the value of `name`; a name that is not declared is a bug in the caller, so it
// reads as null (false, 0, "") rather than failing at run time.
const nlohmann::json& Lookup(const OptionValues::Impl& impl, std::string_view name) {
  static const nlohmann::json kNull;
  auto found = impl.values.find(std::string(name));
  return found == impl.values.end() ? kNull : *found;
}

}  // namespace

bool OptionValues::Given(std::string_view name) const { return impl_->given.count(name) > 0; }

bool OptionValues::Bool(std::string_view name) const {
  const nlohmann::json& value = Lookup(*impl_, name);
  return value.is_boolean() && value.get<bool>();
}

int64_t OptionValues::Int(std::string_view name) const {
  const nlohmann::json& value = Lookup(*impl_, name);
  return value.is_number_integer() ? value.get<int64_t>() : 0;
}

double OptionValues::Number(std::string_view name) const {
  const nlohmann::json& value = Lookup(*impl_, name);
  return value.is_number() ? value.get<double>() : 0.0;
}

std::string OptionValues::String(std::string_view name) const {
  const nlohmann::json& value = Lookup(*impl_, name);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::vector<std::string> OptionValues::List(std::string_view name) const {
  const nlohmann::json& value = Lookup(*impl_, name);
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const nlohmann::json& item : value) out.push_back(item.get<std::string>());
  return out;
}

std::string OptionValues::Json(std::string_view name) const { return Lookup(*impl_, name).dump(); }

std::string OptionValues::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : impl_->values.items()) out[JsonKey(name)] = value;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tunepack::options
