// The Thrift compact protocol, the encoding of every Parquet metadata structure (file
// footer, page headers). Only what Parquet uses: structs, lists, i16/i32/i64, binary,
// bool. Spec: thrift/doc/specs/thrift-compact-protocol.md in the Apache Thrift sources.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::parquet::internal {

// Compact-protocol type codes (the low nibble of a field header).
enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// ThriftWriter: appends compact-protocol bytes. Fields must be written in increasing id
// order within a struct (the delta encoding relies on it, and it keeps bytes canonical).
class ThriftWriter {
 public:
  void BeginStruct() { last_field_.push_back(0); }
  void EndStruct();  // writes the stop byte

  void I16(int16_t id, int16_t value);
  void I32(int16_t id, int32_t value);
  void I64(int16_t id, int64_t value);
  void Bool(int16_t id, bool value);
  void Binary(int16_t id, std::string_view value);
  // Starts a struct field; close it with EndStruct().
  void StructField(int16_t id);
  // Starts a list field of `size` elements of `type`; then write the elements with the
  // element writers below (a struct element: BeginStruct ... EndStruct).
  void ListField(int16_t id, ThriftType type, size_t size);

  void I32Element(int32_t value) { Varint(ZigZag(value)); }
  void BinaryElement(std::string_view value);

  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  static uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
  void Varint(uint64_t v);
  void FieldHeader(int16_t id, ThriftType type);

  std::string out_;
  std::vector<int16_t> last_field_;
};

// ThriftReader: reads compact-protocol bytes from a bounded buffer. Every read checks the
// bounds and nesting depth, so corrupt metadata yields an error, never a crash.
class ThriftReader {
 public:
  explicit ThriftReader(std::string_view data) : data_(data) {}

  // Reads one struct, calling `on_field(id, type)` for each field; `on_field` must consume
  // the field's value (with the readers below or Skip).
  Status ReadStruct(const std::function<Status(int16_t id, ThriftType type)>& on_field);

  Result<int32_t> ReadI32(ThriftType type);
  Result<int64_t> ReadI64(ThriftType type);
  Result<bool> ReadBool(ThriftType type);  // a field's bool lives in its header
  Result<std::string_view> ReadBinary(ThriftType type);
  // Reads a list header; checks the element type is `expected`.
  Result<size_t> ReadListHeader(ThriftType type, ThriftType expected);
  Result<int32_t> ReadI32Element() { return ReadVarintI32(); }
  Result<std::string_view> ReadBinaryElement();
  // Skips a value of `type`.
  Status Skip(ThriftType type);

  size_t position() const { return pos_; }

 private:
  Result<uint64_t> ReadVarint();
  Result<int32_t> ReadVarintI32();
  Status Expect(ThriftType type, ThriftType expected);

  std::string_view data_;
  size_t pos_ = 0;
  int depth_ = 0;
  // Last field id per open struct (compact field ids are deltas).
  std::vector<int16_t> last_field_;
};

}  // namespace tunepack::parquet::internal
