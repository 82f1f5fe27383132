#include "parquet/read_schema.h"

#include "parquet/temporal_text.h"

namespace tunepack::parquet::internal {
namespace {

constexpr int kMaxSchemaDepth = 64;

// The flat schema as a tree of elements.
struct Element {
  const SchemaElement* e = nullptr;
  std::vector<Element> children;
};

Status Unflatten(const std::vector<SchemaElement>& elements, size_t& pos, int depth, Element& out) {
  if (depth > kMaxSchemaDepth) return DataLossError("schema nested deeper than 64 levels");
  if (pos >= elements.size()) return DataLossError("schema ends inside a group");
  out.e = &elements[pos++];
  const SchemaElement& e = *out.e;
  if (e.type) return Status::Ok();
  if (e.num_children < 0 || static_cast<size_t>(e.num_children) > elements.size() - pos) {
    return DataLossError("schema group '" + e.name + "' claims more children than the schema has");
  }
  out.children.resize(static_cast<size_t>(e.num_children));
  for (Element& child : out.children) TP_RETURN_IF_ERROR(Unflatten(elements, pos, depth + 1, child));
  return Status::Ok();
}

bool IsList(const SchemaElement& e) { return e.converted_type == kConvertedList || e.logical_type == kLogicalList; }
bool IsMap(const SchemaElement& e) {
  return e.converted_type == kConvertedMap || e.converted_type == kConvertedMapKeyValue || e.logical_type == kLogicalMap;
}
bool Repeated(const SchemaElement& e) { return e.repetition == Repetition::kRepeated; }

std::string Join(const std::string& path, const std::string& name) { return path.empty() ? name : path + "." + name; }

class Builder {
 public:
  explicit Builder(ReadSchema& schema) : schema_(schema) {}

  // Builds the node for `el` under a parent at (def, rep), honouring its repetition.
  Result<ReadNode> Node(const Element& el, uint32_t def, uint32_t rep, const std::string& path, Field& field) {
    const SchemaElement& e = *el.e;
    if (Repeated(e)) {
      // A bare repeated field: a list that is never null, whose elements are the field.
      ReadNode list = Start(ReadNode::Kind::kList, e.name, false, def);
      field = Field{e.name, FieldKind::kList, {}};
      list.def_nonempty = def + 1;
      list.rep = rep + 1;
      field.children.emplace_back();
      TP_ASSIGN_OR_RETURN(ReadNode element, Inner(el, def + 1, rep + 1, path, "element", field.children[0]));
      list.children.push_back(std::move(element));
      list.end_leaf = schema_.leaves.size();
      return list;
    }
    const bool optional = e.repetition == Repetition::kOptional;
    const uint32_t here = def + (optional ? 1 : 0);
    if (!e.type && (IsList(e) || IsMap(e)) && el.children.size() == 1 && Repeated(*el.children[0].e)) {
      const Element& repeated = el.children[0];
      ReadNode list = Start(ReadNode::Kind::kList, e.name, optional, here);
      field = Field{e.name, FieldKind::kList, {}};
      list.def_nonempty = here + 1;
      list.rep = rep + 1;
      field.children.emplace_back();
      const SchemaElement& r = *repeated.e;
      // Three-level form unless the repeated group is itself the element (parquet-format
      // LogicalTypes.md, "backward-compatibility rules").
      const bool three_level = !IsMap(e) && !r.type && repeated.children.size() == 1 && r.name != "array" &&
                               r.name != e.name + "_tuple";
      if (three_level) {
        TP_ASSIGN_OR_RETURN(ReadNode element, Node(repeated.children[0], here + 1, rep + 1, Join(Join(path, e.name), r.name), field.children[0]));
        list.children.push_back(std::move(element));
      } else {
        TP_ASSIGN_OR_RETURN(ReadNode element, Inner(repeated, here + 1, rep + 1, Join(path, e.name), r.name, field.children[0]));
        list.children.push_back(std::move(element));
      }
      list.end_leaf = schema_.leaves.size();
      const ReadNode& entry = list.children[0];
      list.map = IsMap(e) && entry.kind == ReadNode::Kind::kStruct && entry.children.size() == 2 &&
                 entry.children[0].kind == ReadNode::Kind::kLeaf;
      if (list.map) field.kind = FieldKind::kJson;  // an object with data-dependent keys
      return list;
    }
    return Plain(el, optional, here, rep, path, e.name, field);
  }

 private:
  ReadNode Start(ReadNode::Kind kind, const std::string& name, bool optional, uint32_t def) {
    ReadNode node;
    node.kind = kind;
    node.name = name;
    node.optional = optional;
    node.def = def;
    node.first_leaf = schema_.leaves.size();
    return node;
  }

  // The element of a repeated field: the field itself, as if required.
  Result<ReadNode> Inner(const Element& el, uint32_t def, uint32_t rep, const std::string& path,
                         const std::string& name, Field& field) {
    return Plain(el, false, def, rep, path, name, field);
  }

  // A group (struct) or a primitive (leaf), present at level `def`.
  Result<ReadNode> Plain(const Element& el, bool optional, uint32_t def, uint32_t rep, const std::string& path,
                         const std::string& name, Field& field) {
    const SchemaElement& e = *el.e;
    const std::string here_path = Join(path, e.name);
    field.name = name;
    if (!e.type) {
      ReadNode node = Start(ReadNode::Kind::kStruct, name, optional, def);
      field.kind = FieldKind::kStruct;
      if (el.children.empty()) return DataLossError("schema group '" + e.name + "' has no fields");
      for (const Element& child : el.children) {
        field.children.emplace_back();
        TP_ASSIGN_OR_RETURN(ReadNode c, Node(child, def, rep, here_path, field.children.back()));
        node.children.push_back(std::move(c));
      }
      node.end_leaf = schema_.leaves.size();
      return node;
    }
    ReadNode node = Start(ReadNode::Kind::kLeaf, name, optional, def);
    ReadLeaf leaf;
    leaf.path = here_path;
    leaf.type = LeafType{*e.type, e.type_length, e.converted_type, e.logical_type, e.scale, e.time_unit, e.utc_adjusted};
    leaf.max_def = def;
    leaf.max_rep = rep;
    schema_.leaves.push_back(std::move(leaf));
    node.end_leaf = schema_.leaves.size();
    if (TemporalOf(schema_.leaves.back().type).kind != TemporalType::Kind::kNone) {
      field.kind = FieldKind::kString;  // dates and times are read as ISO 8601 text
      return node;
    }
    switch (*e.type) {
      case PhysicalType::kBoolean: field.kind = FieldKind::kBool; break;
      case PhysicalType::kInt32:
      case PhysicalType::kInt64: field.kind = FieldKind::kInt64; break;
      case PhysicalType::kFloat:
      case PhysicalType::kDouble: field.kind = FieldKind::kDouble; break;
      default:
        field.kind = (e.converted_type == kConvertedJson || e.logical_type == kLogicalJson) ? FieldKind::kJson : FieldKind::kString;
    }
    return node;
  }

  ReadSchema& schema_;
};

}  // namespace

Result<ReadSchema> BuildReadSchema(const std::vector<SchemaElement>& elements) {
  if (elements.empty()) return DataLossError("the schema is empty");
  Element root;
  size_t pos = 0;
  TP_RETURN_IF_ERROR(Unflatten(elements, pos, 0, root));
  if (root.e->type) return DataLossError("the schema root is not a group");
  if (pos != elements.size()) return DataLossError("the schema has elements outside its root");
  ReadSchema schema;
  schema.root.kind = ReadNode::Kind::kStruct;
  schema.field = Field{"schema", FieldKind::kStruct, {}};
  Builder builder(schema);
  for (const Element& child : root.children) {
    schema.field.children.emplace_back();
    TP_ASSIGN_OR_RETURN(ReadNode node, builder.Node(child, 0, 0, "", schema.field.children.back()));
    schema.root.children.push_back(std::move(node));
  }
  schema.root.end_leaf = schema.leaves.size();
  return schema;
}

}  // namespace tunepack::parquet::internal
