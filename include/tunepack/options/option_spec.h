// OptionSpec: the one declaration of an option. Everything a front end shows or accepts is
// derived from these declarations: the CLI's flags and --help, parsing from JSON (HTTP API
// bodies, Python keyword arguments), the canonical options in manifest.json that --resume
// compares, the JSON Schema (`tunepack options --json-schema`, the API's OpenAPI document)
// and the options table in docs/export.md.
//
// Values travel as JSON text in an OptionValues set: one typed value per declared option,
// checked against its declaration (type, allowed values) before any work starts.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::options {

// ValueType: what one option holds.
enum class ValueType {
  kBool,        ///< a switch (a CLI flag without a value)
  kInt,         ///< a non-negative integer unless the declaration says otherwise
  kNumber,      ///< a real number
  kString,      ///< free text (a path, a spec)
  kEnum,        ///< one of `choices`
  kStringList,  ///< repeatable on the CLI (or comma separated with `comma_list`)
};

// Returns "boolean", "integer", "number", "string", "string" or "array".
std::string_view JsonTypeOf(ValueType type);

// Commands an option belongs to (a bit set).
enum CommandMask : uint8_t { kExport = 1, kConvert = 2, kBothCommands = kExport | kConvert };

struct OptionSpec {
  std::string name;          ///< long name with dashes: "max-tokens" (JSON: "max_tokens")
  ValueType type = ValueType::kString;
  std::string group;         ///< heading in --help and docs: "Input", "Chunking", ...
  std::string doc;           ///< one line: what it does
  std::string default_json;  ///< the default as JSON ("0", "\"off\"", "[]"); "" means none
  std::vector<std::string> choices;  ///< kEnum: the allowed values (kStringList: per item)
  uint8_t commands = kBothCommands;
  std::string cli_name;      ///< the CLI's long name when it differs from `name` ("to")
  std::string short_name;    ///< "j" for -j; empty for none
  std::string value_name;    ///< shown in --help: "N", "FILE", "SPEC"
  bool positional = false;   ///< the CLI takes it without a flag (inputs)
  bool required = false;     ///< must be given
  bool comma_list = false;   ///< kStringList: the CLI value is split at commas
  bool decides_output = true;   ///< part of the canonical options --resume compares
  bool names_files = false;     ///< kString/kStringList of paths whose content decides output
  int64_t min_int = 0;          ///< kInt: smallest allowed value
  bool cli_only = false;        ///< not accepted from JSON (e.g. progress display)
};

// Returns the JSON key of an option: its name with '_' for '-'.
std::string JsonKey(std::string_view name);

// Returns the CLI long name of `spec` (without dashes).
std::string CliName(const OptionSpec& spec);

// Returns the non-empty choices of `spec` joined by `separator`.
std::string ChoiceNames(const OptionSpec& spec, std::string_view separator);

// Returns the default as a person would type it ("nfc", "0.8", "email,phone"), or "" when the
// default is empty, false or none.
std::string DefaultText(const OptionSpec& spec);

// OptionValues: a checked value for every option of one command (defaults filled in), and
// which of them were given explicitly.
class OptionValues {
 public:
  OptionValues();
  OptionValues(const OptionValues&);
  OptionValues& operator=(const OptionValues&);
  OptionValues(OptionValues&&) noexcept;
  OptionValues& operator=(OptionValues&&) noexcept;
  ~OptionValues();

  // Returns whether `name` was given (not just defaulted).
  bool Given(std::string_view name) const;
  bool Bool(std::string_view name) const;
  int64_t Int(std::string_view name) const;
  double Number(std::string_view name) const;
  std::string String(std::string_view name) const;
  std::vector<std::string> List(std::string_view name) const;
  // Returns the value of `name` as compact JSON.
  std::string Json(std::string_view name) const;
  // Returns every value as one JSON object keyed by JsonKey, keys sorted.
  std::string ToJson() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// OptionTable: the declarations of one family of options (export and convert share one).
class OptionTable {
 public:
  explicit OptionTable(std::vector<OptionSpec> specs) : specs_(std::move(specs)) {}
  const std::vector<OptionSpec>& specs() const { return specs_; }
  // Returns the declaration named `name` that `command` takes, or nullptr.
  const OptionSpec* Find(std::string_view name, CommandMask command) const;

  // Builds values for `command` from a JSON object keyed by JsonKey (an HTTP body, Python
  // keyword arguments). Unknown keys, wrong types, values outside the choices and missing
  // required options are InvalidArgument errors that name the option (OptionRef).
  Result<OptionValues> FromJson(std::string_view json_object, CommandMask command) const;

  // Builds values for `command` from textual values as a command line gives them: each
  // given option with its strings (one for a scalar, any number for a list; a bool's
  // presence means true). Errors as FromJson.
  Result<OptionValues> FromText(const std::map<std::string, std::vector<std::string>>& given,
                                CommandMask command) const;

  // Returns the JSON Schema (draft 2020-12) of the options of `command` as a JSON object.
  std::string JsonSchema(CommandMask command, std::string_view title) const;

  // Returns the options of `command` as Markdown tables, one per group.
  std::string MarkdownTable(CommandMask command) const;

 private:
  std::vector<OptionSpec> specs_;
};

}  // namespace tunepack::options
