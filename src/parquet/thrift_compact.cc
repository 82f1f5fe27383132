#include "parquet/thrift_compact.h"

#include <string>

namespace tunepack::parquet::internal {
namespace {

// Nesting deeper than this is corrupt input (Parquet metadata nests about 5 deep).
constexpr int kMaxDepth = 64;

std::string TypeName(ThriftType type) { return std::to_string(static_cast<int>(type)); }

}  // namespace

void ThriftWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ThriftWriter::FieldHeader(int16_t id, ThriftType type) {
  int16_t& last = last_field_.back();
  const int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    Varint(ZigZag(id));
  }
  last = id;
}

void ThriftWriter::EndStruct() {
  out_.push_back(0);
  last_field_.pop_back();
}

void ThriftWriter::I16(int16_t id, int16_t value) {
  FieldHeader(id, ThriftType::kI16);
  Varint(ZigZag(value));
}

void ThriftWriter::I32(int16_t id, int32_t value) {
  FieldHeader(id, ThriftType::kI32);
  Varint(ZigZag(value));
}

void ThriftWriter::I64(int16_t id, int64_t value) {
  FieldHeader(id, ThriftType::kI64);
  Varint(ZigZag(value));
}

void ThriftWriter::Bool(int16_t id, bool value) {
  FieldHeader(id, value ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
}

void ThriftWriter::Binary(int16_t id, std::string_view value) {
  FieldHeader(id, ThriftType::kBinary);
  BinaryElement(value);
}

void ThriftWriter::BinaryElement(std::string_view value) {
  Varint(value.size());
  out_.append(value);
}

void ThriftWriter::StructField(int16_t id) {
  FieldHeader(id, ThriftType::kStruct);
  BeginStruct();
}

void ThriftWriter::ListField(int16_t id, ThriftType type, size_t size) {
  FieldHeader(id, ThriftType::kList);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(0xF0 | static_cast<int>(type)));
    Varint(size);
  }
}

Result<uint64_t> ThriftReader::ReadVarint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return DataLossError("metadata ends inside a number");
    const uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return DataLossError("metadata number longer than 10 bytes");
}

Result<int32_t> ReadZigZag32(uint64_t raw) {
  const int64_t v = static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
  if (v < INT32_MIN || v > INT32_MAX) return DataLossError("metadata i32 out of range");
  return static_cast<int32_t>(v);
}

Result<int32_t> ThriftReader::ReadVarintI32() {
  TP_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  return ReadZigZag32(raw);
}

Status ThriftReader::Expect(ThriftType type, ThriftType expected) {
  if (type == expected) return Status::Ok();
  return DataLossError("metadata field has type " + TypeName(type) + ", expected " +
                       TypeName(expected));
}

Status ThriftReader::ReadStruct(const std::function<Status(int16_t, ThriftType)>& on_field) {
  if (++depth_ > kMaxDepth) return DataLossError("metadata nested too deeply");
  int16_t last = 0;
  while (true) {
    if (pos_ >= data_.size()) return DataLossError("metadata ends inside a struct");
    const uint8_t header = static_cast<uint8_t>(data_[pos_++]);
    const auto type = static_cast<ThriftType>(header & 0x0F);
    if (type == ThriftType::kStop) break;
    int16_t id;
    if ((header >> 4) != 0) {
      id = static_cast<int16_t>(last + (header >> 4));
    } else {
      TP_ASSIGN_OR_RETURN(int32_t raw, ReadVarintI32());
      if (raw < INT16_MIN || raw > INT16_MAX) return DataLossError("metadata field id out of range");
      id = static_cast<int16_t>(raw);
    }
    last = id;
    if (static_cast<uint8_t>(type) > static_cast<uint8_t>(ThriftType::kStruct)) {
      return DataLossError("metadata field has unknown type " + TypeName(type));
    }
    TP_RETURN_IF_ERROR(on_field(id, type));
  }
  --depth_;
  return Status::Ok();
}

Result<int32_t> ThriftReader::ReadI32(ThriftType type) {
  if (type != ThriftType::kI32 && type != ThriftType::kI16 && type != ThriftType::kByte) {
    TP_RETURN_IF_ERROR(Expect(type, ThriftType::kI32));
  }
  if (type == ThriftType::kByte) {
    if (pos_ >= data_.size()) return DataLossError("metadata ends inside a byte");
    return static_cast<int32_t>(static_cast<int8_t>(data_[pos_++]));
  }
  return ReadVarintI32();
}

Result<int64_t> ThriftReader::ReadI64(ThriftType type) {
  if (type == ThriftType::kI32 || type == ThriftType::kI16) {
    TP_ASSIGN_OR_RETURN(int32_t narrow, ReadVarintI32());
    return static_cast<int64_t>(narrow);
  }
  TP_RETURN_IF_ERROR(Expect(type, ThriftType::kI64));
  TP_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  return static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
}

Result<bool> ThriftReader::ReadBool(ThriftType type) {
  if (type == ThriftType::kBoolTrue) return true;
  if (type == ThriftType::kBoolFalse) return false;
  return DataLossError("metadata field has type " + TypeName(type) + ", expected a bool");
}

Result<std::string_view> ThriftReader::ReadBinary(ThriftType type) {
  TP_RETURN_IF_ERROR(Expect(type, ThriftType::kBinary));
  return ReadBinaryElement();
}

Result<std::string_view> ThriftReader::ReadBinaryElement() {
  TP_ASSIGN_OR_RETURN(uint64_t size, ReadVarint());
  if (size > data_.size() - pos_) return DataLossError("metadata string runs past the end");
  const std::string_view out = data_.substr(pos_, size);
  pos_ += size;
  return out;
}

Result<size_t> ThriftReader::ReadListHeader(ThriftType type, ThriftType expected) {
  TP_RETURN_IF_ERROR(Expect(type, ThriftType::kList));
  if (pos_ >= data_.size()) return DataLossError("metadata ends inside a list");
  const uint8_t header = static_cast<uint8_t>(data_[pos_++]);
  uint64_t size = header >> 4;
  if (size == 15) {
    TP_ASSIGN_OR_RETURN(size, ReadVarint());
  }
  const auto element = static_cast<ThriftType>(header & 0x0F);
  // Booleans in lists are written with either code.
  const bool bools = expected == ThriftType::kBoolTrue &&
                     (element == ThriftType::kBoolTrue || element == ThriftType::kBoolFalse);
  if (!bools && element != expected) {
    TP_RETURN_IF_ERROR(Expect(element, expected));
  }
  // Every element takes at least one byte: a larger count is corrupt.
  if (size > data_.size() - pos_) return DataLossError("metadata list longer than the metadata");
  return static_cast<size_t>(size);
}

Status ThriftReader::Skip(ThriftType type) {
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      return Status::Ok();
    case ThriftType::kByte:
      if (pos_ >= data_.size()) return DataLossError("metadata ends inside a byte");
      ++pos_;
      return Status::Ok();
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64:
      return ReadVarint().ok() ? Status::Ok() : DataLossError("metadata ends inside a number");
    case ThriftType::kDouble:
      if (data_.size() - pos_ < 8) return DataLossError("metadata ends inside a double");
      pos_ += 8;
      return Status::Ok();
    case ThriftType::kBinary: {
      TP_ASSIGN_OR_RETURN(std::string_view ignored, ReadBinaryElement());
      (void)ignored;
      return Status::Ok();
    }
    case ThriftType::kStruct:
      return ReadStruct([this](int16_t, ThriftType t) { return Skip(t); });
    case ThriftType::kList:
    case ThriftType::kSet: {
      if (++depth_ > kMaxDepth) return DataLossError("metadata nested too deeply");
      if (pos_ >= data_.size()) return DataLossError("metadata ends inside a list");
      const uint8_t header = static_cast<uint8_t>(data_[pos_++]);
      uint64_t size = header >> 4;
      if (size == 15) {
        TP_ASSIGN_OR_RETURN(size, ReadVarint());
      }
      if (size > data_.size() - pos_) return DataLossError("metadata list longer than the metadata");
      auto element = static_cast<ThriftType>(header & 0x0F);
      for (uint64_t i = 0; i < size; ++i) {
        if (element == ThriftType::kBoolTrue || element == ThriftType::kBoolFalse) {
          element = ThriftType::kByte;  // list booleans take one byte each
        }
        TP_RETURN_IF_ERROR(Skip(element));
      }
      --depth_;
      return Status::Ok();
    }
    case ThriftType::kMap: {
      if (++depth_ > kMaxDepth) return DataLossError("metadata nested too deeply");
      TP_ASSIGN_OR_RETURN(uint64_t size, ReadVarint());
      if (size == 0) {
        --depth_;
        return Status::Ok();
      }
      if (size > data_.size() - pos_) return DataLossError("metadata map longer than the metadata");
      if (pos_ >= data_.size()) return DataLossError("metadata ends inside a map");
      const uint8_t types = static_cast<uint8_t>(data_[pos_++]);
      for (uint64_t i = 0; i < size; ++i) {
        TP_RETURN_IF_ERROR(Skip(static_cast<ThriftType>(types >> 4)));
        TP_RETURN_IF_ERROR(Skip(static_cast<ThriftType>(types & 0x0F)));
      }
      --depth_;
      return Status::Ok();
    }
    default:
      return DataLossError("metadata value has unknown type " + TypeName(type));
  }
}

}  // namespace tunepack::parquet::internal
