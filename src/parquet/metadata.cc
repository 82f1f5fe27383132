#include "parquet/metadata.h"

namespace tunepack::parquet::internal {
namespace {

using T = ThriftType;

void WriteLogicalType(int16_t member, ThriftWriter& out) {
  out.StructField(10);
  out.StructField(member);  // every member tunepack writes is an empty struct
  out.EndStruct();
  out.EndStruct();
}

void WriteSchemaElement(const SchemaElement& e, ThriftWriter& out) {
  out.BeginStruct();
  if (e.type) out.I32(1, static_cast<int32_t>(*e.type));
  if (e.repetition) out.I32(3, static_cast<int32_t>(*e.repetition));
  out.Binary(4, e.name);
  if (!e.type) out.I32(5, e.num_children);
  if (e.converted_type) out.I32(6, *e.converted_type);
  if (e.logical_type != 0) WriteLogicalType(e.logical_type, out);
  out.EndStruct();
}

void WriteStatistics(const Statistics& s, ThriftWriter& out) {
  if (s.null_count) out.I64(3, *s.null_count);
  if (s.max_value) out.Binary(5, *s.max_value);
  if (s.min_value) out.Binary(6, *s.min_value);
}

void WriteColumnMetaData(const ColumnMetaData& m, ThriftWriter& out) {
  out.I32(1, static_cast<int32_t>(m.type));
  out.ListField(2, T::kI32, m.encodings.size());
  for (Encoding e : m.encodings) out.I32Element(static_cast<int32_t>(e));
  out.ListField(3, T::kBinary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema) out.BinaryElement(p);
  out.I32(4, static_cast<int32_t>(m.codec));
  out.I64(5, m.num_values);
  out.I64(6, m.total_uncompressed_size);
  out.I64(7, m.total_compressed_size);
  out.I64(9, m.data_page_offset);
  if (m.dictionary_page_offset) out.I64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    out.StructField(12);
    WriteStatistics(*m.statistics, out);
    out.EndStruct();
  }
}

// --- parsing -----------------------------------------------------------------------------

template <typename E>
Result<E> ReadEnum(ThriftReader& r, T type) {
  TP_ASSIGN_OR_RETURN(int32_t v, r.ReadI32(type));
  return static_cast<E>(v);
}

// A union: the id of the one field set.
Status ParseUnionMember(ThriftReader& r, int16_t& member) {
  return r.ReadStruct([&](int16_t id, T type) {
    member = id;
    return r.Skip(type);
  });
}

// TimeType and TimestampType: {1: isAdjustedToUTC, 2: unit}.
Status ParseTimeType(ThriftReader& r, SchemaElement& e) {
  return r.ReadStruct([&](int16_t id, T type) -> Status {
    if (id == 1) {
      TP_ASSIGN_OR_RETURN(e.utc_adjusted, r.ReadBool(type));
      return Status::Ok();
    }
    if (id == 2 && type == T::kStruct) return ParseUnionMember(r, e.time_unit);
    return r.Skip(type);
  });
}

Status ParseLogicalType(ThriftReader& r, SchemaElement& e) {
  return r.ReadStruct([&](int16_t id, T type) {
    e.logical_type = id;
    if ((id == kLogicalTime || id == kLogicalTimestamp) && type == T::kStruct) return ParseTimeType(r, e);
    return r.Skip(type);
  });
}

Status ParseSchemaElement(ThriftReader& r, SchemaElement& e) {
  return r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 1: { TP_ASSIGN_OR_RETURN(e.type, ReadEnum<PhysicalType>(r, type)); return Status::Ok(); }
      case 2: { TP_ASSIGN_OR_RETURN(e.type_length, r.ReadI32(type)); return Status::Ok(); }
      case 3: { TP_ASSIGN_OR_RETURN(e.repetition, ReadEnum<Repetition>(r, type)); return Status::Ok(); }
      case 4: { TP_ASSIGN_OR_RETURN(std::string_view s, r.ReadBinary(type)); e.name = s; return Status::Ok(); }
      case 5: { TP_ASSIGN_OR_RETURN(e.num_children, r.ReadI32(type)); return Status::Ok(); }
      case 6: { TP_ASSIGN_OR_RETURN(e.converted_type, r.ReadI32(type)); return Status::Ok(); }
      case 7: { TP_ASSIGN_OR_RETURN(e.scale, r.ReadI32(type)); return Status::Ok(); }
      case 8: { TP_ASSIGN_OR_RETURN(e.precision, r.ReadI32(type)); return Status::Ok(); }
      case 10:
        if (type != T::kStruct) return r.Skip(type);
        return ParseLogicalType(r, e);
      default: return r.Skip(type);
    }
  });
}

Status ParseStatistics(ThriftReader& r, Statistics& s) {
  std::optional<std::string> legacy_min, legacy_max;
  TP_RETURN_IF_ERROR(r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 1: { TP_ASSIGN_OR_RETURN(std::string_view v, r.ReadBinary(type)); legacy_max = std::string(v); return Status::Ok(); }
      case 2: { TP_ASSIGN_OR_RETURN(std::string_view v, r.ReadBinary(type)); legacy_min = std::string(v); return Status::Ok(); }
      case 3: { TP_ASSIGN_OR_RETURN(s.null_count, r.ReadI64(type)); return Status::Ok(); }
      case 5: { TP_ASSIGN_OR_RETURN(std::string_view v, r.ReadBinary(type)); s.max_value = std::string(v); return Status::Ok(); }
      case 6: { TP_ASSIGN_OR_RETURN(std::string_view v, r.ReadBinary(type)); s.min_value = std::string(v); return Status::Ok(); }
      default: return r.Skip(type);
    }
  }));
  if (!s.min_value) s.min_value = legacy_min;
  if (!s.max_value) s.max_value = legacy_max;
  return Status::Ok();
}

Status ParseColumnMetaData(ThriftReader& r, ColumnMetaData& m) {
  return r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 1: { TP_ASSIGN_OR_RETURN(m.type, ReadEnum<PhysicalType>(r, type)); return Status::Ok(); }
      case 2: {
        TP_ASSIGN_OR_RETURN(size_t n, r.ReadListHeader(type, T::kI32));
        for (size_t i = 0; i < n; ++i) {
          TP_ASSIGN_OR_RETURN(int32_t e, r.ReadI32Element());
          m.encodings.push_back(static_cast<Encoding>(e));
        }
        return Status::Ok();
      }
      case 3: {
        TP_ASSIGN_OR_RETURN(size_t n, r.ReadListHeader(type, T::kBinary));
        for (size_t i = 0; i < n; ++i) {
          TP_ASSIGN_OR_RETURN(std::string_view p, r.ReadBinaryElement());
          m.path_in_schema.emplace_back(p);
        }
        return Status::Ok();
      }
      case 4: { TP_ASSIGN_OR_RETURN(m.codec, ReadEnum<Codec>(r, type)); return Status::Ok(); }
      case 5: { TP_ASSIGN_OR_RETURN(m.num_values, r.ReadI64(type)); return Status::Ok(); }
      case 6: { TP_ASSIGN_OR_RETURN(m.total_uncompressed_size, r.ReadI64(type)); return Status::Ok(); }
      case 7: { TP_ASSIGN_OR_RETURN(m.total_compressed_size, r.ReadI64(type)); return Status::Ok(); }
      case 9: { TP_ASSIGN_OR_RETURN(m.data_page_offset, r.ReadI64(type)); return Status::Ok(); }
      case 11: { TP_ASSIGN_OR_RETURN(m.dictionary_page_offset, r.ReadI64(type)); return Status::Ok(); }
      case 12:
        if (type != T::kStruct) return r.Skip(type);
        m.statistics.emplace();
        return ParseStatistics(r, *m.statistics);
      default: return r.Skip(type);
    }
  });
}

Status ParseColumnChunk(ThriftReader& r, ColumnChunk& c) {
  return r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 2: { TP_ASSIGN_OR_RETURN(c.file_offset, r.ReadI64(type)); return Status::Ok(); }
      case 3:
        if (type != T::kStruct) return r.Skip(type);
        c.meta_data.emplace();
        return ParseColumnMetaData(r, *c.meta_data);
      default: return r.Skip(type);
    }
  });
}

Status ParseRowGroup(ThriftReader& r, RowGroup& g) {
  return r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 1: {
        TP_ASSIGN_OR_RETURN(size_t n, r.ReadListHeader(type, T::kStruct));
        g.columns.resize(n);
        for (ColumnChunk& c : g.columns) TP_RETURN_IF_ERROR(ParseColumnChunk(r, c));
        return Status::Ok();
      }
      case 2: { TP_ASSIGN_OR_RETURN(g.total_byte_size, r.ReadI64(type)); return Status::Ok(); }
      case 3: { TP_ASSIGN_OR_RETURN(g.num_rows, r.ReadI64(type)); return Status::Ok(); }
      default: return r.Skip(type);
    }
  });
}

Status ParseKeyValue(ThriftReader& r, KeyValue& kv) {
  return r.ReadStruct([&](int16_t id, T type) -> Status {
    if (id == 1 || id == 2) {
      TP_ASSIGN_OR_RETURN(std::string_view s, r.ReadBinary(type));
      (id == 1 ? kv.key : kv.value) = s;
      return Status::Ok();
    }
    return r.Skip(type);
  });
}

}  // namespace

void WriteFileMetaData(const FileMetaData& f, ThriftWriter& out) {
  out.BeginStruct();
  out.I32(1, f.version);
  out.ListField(2, T::kStruct, f.schema.size());
  for (const SchemaElement& e : f.schema) WriteSchemaElement(e, out);
  out.I64(3, f.num_rows);
  out.ListField(4, T::kStruct, f.row_groups.size());
  for (const RowGroup& g : f.row_groups) {
    out.BeginStruct();
    out.ListField(1, T::kStruct, g.columns.size());
    for (const ColumnChunk& c : g.columns) {
      out.BeginStruct();
      out.I64(2, c.file_offset);
      if (c.meta_data) {
        out.StructField(3);
        WriteColumnMetaData(*c.meta_data, out);
        out.EndStruct();
      }
      out.EndStruct();
    }
    out.I64(2, g.total_byte_size);
    out.I64(3, g.num_rows);
    out.I64(5, g.file_offset);
    out.I64(6, g.total_compressed_size);
    out.I16(7, g.ordinal);
    out.EndStruct();
  }
  if (!f.key_value_metadata.empty()) {
    out.ListField(5, T::kStruct, f.key_value_metadata.size());
    for (const KeyValue& kv : f.key_value_metadata) {
      out.BeginStruct();
      out.Binary(1, kv.key);
      out.Binary(2, kv.value);
      out.EndStruct();
    }
  }
  out.Binary(6, f.created_by);
  // column_orders: TYPE_ORDER for every leaf, which tells readers min_value/max_value are
  // ordered by the type (unsigned bytes for strings).
  size_t leaves = 0;
  for (const SchemaElement& e : f.schema) leaves += e.type.has_value();
  out.ListField(7, T::kStruct, leaves);
  for (size_t i = 0; i < leaves; ++i) {
    out.BeginStruct();
    out.StructField(1);
    out.EndStruct();
    out.EndStruct();
  }
  out.EndStruct();
}

void WritePageHeader(const PageHeader& h, ThriftWriter& out) {
  out.BeginStruct();
  out.I32(1, static_cast<int32_t>(h.type));
  out.I32(2, h.uncompressed_page_size);
  out.I32(3, h.compressed_page_size);
  if (h.data_page) {
    out.StructField(5);
    out.I32(1, h.data_page->num_values);
    out.I32(2, static_cast<int32_t>(h.data_page->encoding));
    out.I32(3, static_cast<int32_t>(h.data_page->definition_level_encoding));
    out.I32(4, static_cast<int32_t>(h.data_page->repetition_level_encoding));
    out.EndStruct();
  }
  if (h.dictionary_page) {
    out.StructField(7);
    out.I32(1, h.dictionary_page->num_values);
    out.I32(2, static_cast<int32_t>(h.dictionary_page->encoding));
    out.EndStruct();
  }
  out.EndStruct();
}

Result<FileMetaData> ParseFileMetaData(std::string_view bytes) {
  ThriftReader r(bytes);
  FileMetaData f;
  TP_RETURN_IF_ERROR(r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 1: { TP_ASSIGN_OR_RETURN(f.version, r.ReadI32(type)); return Status::Ok(); }
      case 2: {
        TP_ASSIGN_OR_RETURN(size_t n, r.ReadListHeader(type, T::kStruct));
        f.schema.resize(n);
        for (SchemaElement& e : f.schema) TP_RETURN_IF_ERROR(ParseSchemaElement(r, e));
        return Status::Ok();
      }
      case 3: { TP_ASSIGN_OR_RETURN(f.num_rows, r.ReadI64(type)); return Status::Ok(); }
      case 4: {
        TP_ASSIGN_OR_RETURN(size_t n, r.ReadListHeader(type, T::kStruct));
        f.row_groups.resize(n);
        for (RowGroup& g : f.row_groups) TP_RETURN_IF_ERROR(ParseRowGroup(r, g));
        return Status::Ok();
      }
      case 5: {
        TP_ASSIGN_OR_RETURN(size_t n, r.ReadListHeader(type, T::kStruct));
        f.key_value_metadata.resize(n);
        for (KeyValue& kv : f.key_value_metadata) TP_RETURN_IF_ERROR(ParseKeyValue(r, kv));
        return Status::Ok();
      }
      case 6: { TP_ASSIGN_OR_RETURN(std::string_view s, r.ReadBinary(type)); f.created_by = s; return Status::Ok(); }
      default: return r.Skip(type);
    }
  }));
  return f;
}

Result<PageHeader> ParsePageHeader(std::string_view bytes, size_t& consumed) {
  ThriftReader r(bytes);
  PageHeader h;
  TP_RETURN_IF_ERROR(r.ReadStruct([&](int16_t id, T type) -> Status {
    switch (id) {
      case 1: { TP_ASSIGN_OR_RETURN(h.type, ReadEnum<PageType>(r, type)); return Status::Ok(); }
      case 2: { TP_ASSIGN_OR_RETURN(h.uncompressed_page_size, r.ReadI32(type)); return Status::Ok(); }
      case 3: { TP_ASSIGN_OR_RETURN(h.compressed_page_size, r.ReadI32(type)); return Status::Ok(); }
      case 5: {
        if (type != T::kStruct) return r.Skip(type);
        DataPageHeader& d = h.data_page.emplace();
        return r.ReadStruct([&](int16_t fid, T ftype) -> Status {
          switch (fid) {
            case 1: { TP_ASSIGN_OR_RETURN(d.num_values, r.ReadI32(ftype)); return Status::Ok(); }
            case 2: { TP_ASSIGN_OR_RETURN(d.encoding, ReadEnum<Encoding>(r, ftype)); return Status::Ok(); }
            case 3: { TP_ASSIGN_OR_RETURN(d.definition_level_encoding, ReadEnum<Encoding>(r, ftype)); return Status::Ok(); }
            case 4: { TP_ASSIGN_OR_RETURN(d.repetition_level_encoding, ReadEnum<Encoding>(r, ftype)); return Status::Ok(); }
            default: return r.Skip(ftype);
          }
        });
      }
      case 7: {
        if (type != T::kStruct) return r.Skip(type);
        DictionaryPageHeader& d = h.dictionary_page.emplace();
        return r.ReadStruct([&](int16_t fid, T ftype) -> Status {
          switch (fid) {
            case 1: { TP_ASSIGN_OR_RETURN(d.num_values, r.ReadI32(ftype)); return Status::Ok(); }
            case 2: { TP_ASSIGN_OR_RETURN(d.encoding, ReadEnum<Encoding>(r, ftype)); return Status::Ok(); }
            default: return r.Skip(ftype);
          }
        });
      }
      case 8: {
        if (type != T::kStruct) return r.Skip(type);
        DataPageHeaderV2& d = h.data_page_v2.emplace();
        return r.ReadStruct([&](int16_t fid, T ftype) -> Status {
          switch (fid) {
            case 1: { TP_ASSIGN_OR_RETURN(d.num_values, r.ReadI32(ftype)); return Status::Ok(); }
            case 2: { TP_ASSIGN_OR_RETURN(d.num_nulls, r.ReadI32(ftype)); return Status::Ok(); }
            case 3: { TP_ASSIGN_OR_RETURN(d.num_rows, r.ReadI32(ftype)); return Status::Ok(); }
            case 4: { TP_ASSIGN_OR_RETURN(d.encoding, ReadEnum<Encoding>(r, ftype)); return Status::Ok(); }
            case 5: { TP_ASSIGN_OR_RETURN(d.definition_levels_byte_length, r.ReadI32(ftype)); return Status::Ok(); }
            case 6: { TP_ASSIGN_OR_RETURN(d.repetition_levels_byte_length, r.ReadI32(ftype)); return Status::Ok(); }
            case 7: { TP_ASSIGN_OR_RETURN(d.is_compressed, r.ReadBool(ftype)); return Status::Ok(); }
            default: return r.Skip(ftype);
          }
        });
      }
      default: return r.Skip(type);
    }
  }));
  consumed = r.position();
  return h;
}

}  // namespace tunepack::parquet::internal
