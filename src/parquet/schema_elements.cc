#include "parquet/schema_elements.h"

#include "parquet/column_chunk_writer.h"

namespace tunepack::parquet::internal {
namespace {

void Append(const Field& field, Repetition repetition, std::vector<SchemaElement>& out) {
  SchemaElement e;
  e.name = field.name;
  e.repetition = repetition;
  switch (field.kind) {
    case FieldKind::kStruct:
      e.num_children = static_cast<int32_t>(field.children.size());
      out.push_back(e);
      for (const Field& child : field.children) Append(child, Repetition::kOptional, out);
      return;
    case FieldKind::kList: {
      e.num_children = 1;
      e.converted_type = kConvertedList;
      e.logical_type = kLogicalList;
      out.push_back(e);
      SchemaElement middle;
      middle.name = "list";
      middle.repetition = Repetition::kRepeated;
      middle.num_children = 1;
      out.push_back(middle);
      Append(field.children.at(0), Repetition::kOptional, out);
      return;
    }
    case FieldKind::kString:
      e.converted_type = kConvertedUtf8;
      e.logical_type = kLogicalString;
      break;
    case FieldKind::kJson:
      e.converted_type = kConvertedJson;
      e.logical_type = kLogicalJson;
      break;
    default:
      break;
  }
  e.type = PhysicalTypeOf(field.kind);
  out.push_back(e);
}

}  // namespace

std::vector<SchemaElement> SchemaElementsOf(const Field& root) {
  std::vector<SchemaElement> out;
  SchemaElement e;
  e.name = "schema";
  e.num_children = static_cast<int32_t>(root.children.size());
  out.push_back(e);
  for (const Field& child : root.children) Append(child, Repetition::kOptional, out);
  return out;
}

}  // namespace tunepack::parquet::internal
