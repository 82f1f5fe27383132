#include "parquet/record_shredder.h"

namespace tunepack::parquet::internal {
namespace {

using simdjson::dom::element_type;

std::string KindName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString: return "a string";
    case FieldKind::kInt64: return "an integer";
    case FieldKind::kDouble: return "a number";
    case FieldKind::kBool: return "a boolean";
    case FieldKind::kJson: return "JSON";
    case FieldKind::kStruct: return "an object";
    case FieldKind::kList: return "an array";
  }
  return "?";
}

std::string Join(const std::string& where, std::string_view name) {
  return where.empty() ? std::string(name) : where + "." + std::string(name);
}

}  // namespace

RecordShredder::RecordShredder(const Field& root) {
  root_.kind = FieldKind::kStruct;
  root_.def = 0;
  for (const Field& child : root.children) {
    root_.index.emplace(child.name, root_.children.size());
    root_.children.push_back(Build(child, 0, 0, {}));
  }
  root_.end_leaf = leaves_.size();
}

RecordShredder::Node RecordShredder::Build(const Field& field, uint32_t parent_def, uint32_t parent_rep,
                                           std::vector<std::string> path) {
  Node node;
  node.name = field.name;
  node.kind = field.kind;
  node.def = parent_def + 1;
  node.first_leaf = leaves_.size();
  path.push_back(field.name);
  switch (field.kind) {
    case FieldKind::kStruct:
      for (const Field& child : field.children) {
        node.index.emplace(child.name, node.children.size());
        node.children.push_back(Build(child, node.def, parent_rep, path));
      }
      break;
    case FieldKind::kList: {
      node.rep = parent_rep + 1;
      path.push_back("list");
      node.children.push_back(Build(field.children.at(0), node.def + 1, node.rep, path));
      break;
    }
    default: {
      LeafColumn leaf;
      leaf.kind = field.kind;
      leaf.path = path;
      leaf.max_def = static_cast<int>(node.def);
      leaf.max_rep = static_cast<int>(parent_rep);
      leaves_.push_back(std::move(leaf));
    }
  }
  node.end_leaf = leaves_.size();
  return node;
}

Status RecordShredder::Check(simdjson::dom::object record) const { return CheckObject(root_, record, ""); }

Status RecordShredder::CheckObject(const Node& node, simdjson::dom::object object, const std::string& where) const {
  for (auto [key, value] : object) {
    const auto it = node.index.find(std::string(key));
    if (it == node.index.end()) {
      return InvalidArgumentError("field '" + Join(where, key) +
                                  "' is not in the file's schema");
    }
    TP_RETURN_IF_ERROR(CheckValue(node.children[it->second], value, Join(where, key)));
  }
  return Status::Ok();
}

Status RecordShredder::CheckValue(const Node& node, simdjson::dom::element value, const std::string& where) const {
  const element_type type = value.type();
  if (type == element_type::NULL_VALUE || node.kind == FieldKind::kJson) return Status::Ok();
  bool fits = false;
  switch (node.kind) {
    case FieldKind::kString: fits = type == element_type::STRING; break;
    case FieldKind::kInt64: fits = type == element_type::INT64; break;
    case FieldKind::kDouble:
      fits = type == element_type::INT64 || type == element_type::UINT64 || type == element_type::DOUBLE;
      break;
    case FieldKind::kBool: fits = type == element_type::BOOL; break;
    case FieldKind::kStruct:
      if (type != element_type::OBJECT) break;
      return CheckObject(node, value.get_object().value_unsafe(), where);
    case FieldKind::kList: {
      if (type != element_type::ARRAY) break;
      const simdjson::dom::array array = value.get_array().value_unsafe();  // copy: the result is a temporary
      for (simdjson::dom::element item : array) {
        TP_RETURN_IF_ERROR(CheckValue(node.children[0], item, where + "[]"));
      }
      return Status::Ok();
    }
    case FieldKind::kJson: fits = true; break;
  }
  if (fits) return Status::Ok();
  return InvalidArgumentError("field '" + where + "' is " + KindName(node.kind) +
                              " in the file's schema, not " +
                              std::string(type == element_type::OBJECT   ? "an object"
                                          : type == element_type::ARRAY  ? "an array"
                                          : type == element_type::STRING ? "a string"
                                          : type == element_type::BOOL   ? "a boolean"
                                          : type == element_type::DOUBLE ? "a fractional number"
                                                                         : "a number out of int64 range"));
}

void RecordShredder::Shred(simdjson::dom::object record) { Object(root_, record, 0); }

void RecordShredder::Null(const Node& node, uint32_t rep) {
  for (size_t i = node.first_leaf; i < node.end_leaf; ++i) {
    leaves_[i].rep.push_back(rep);
    leaves_[i].def.push_back(node.def - 1);
  }
}

void RecordShredder::Object(const Node& node, simdjson::dom::object object, uint32_t rep) {
  // Child values by schema position; a field absent from the object stays null.
  const size_t base = scratch_.size();
  scratch_.resize(base + node.children.size(), nullptr);
  std::vector<simdjson::dom::element> values;
  values.reserve(node.children.size());
  for (auto [key, value] : object) {
    const auto it = node.index.find(std::string(key));
    if (it == node.index.end() || scratch_[base + it->second] != nullptr) continue;
    values.push_back(value);
    scratch_[base + it->second] = &values.back();
  }
  for (size_t c = 0; c < node.children.size(); ++c) {
    const simdjson::dom::element* value = scratch_[base + c];
    if (value == nullptr) {
      Null(node.children[c], rep);
    } else {
      Value(node.children[c], *value, rep);
    }
  }
  scratch_.resize(base);
}

void RecordShredder::Value(const Node& node, simdjson::dom::element value, uint32_t rep) {
  if (value.is_null()) return Null(node, rep);
  switch (node.kind) {
    case FieldKind::kStruct:
      return Object(node, value.get_object().value_unsafe(), rep);
    case FieldKind::kList: {
      simdjson::dom::array array = value.get_array().value_unsafe();
      if (array.size() == 0) {
        for (size_t i = node.first_leaf; i < node.end_leaf; ++i) {
          leaves_[i].rep.push_back(rep);
          leaves_[i].def.push_back(node.def);
        }
        return;
      }
      uint32_t item_rep = rep;
      for (simdjson::dom::element item : array) {
        Value(node.children[0], item, item_rep);
        item_rep = node.rep;
      }
      return;
    }
    default:
      break;
  }
  LeafColumn& leaf = leaves_[node.first_leaf];
  leaf.rep.push_back(rep);
  leaf.def.push_back(node.def);
  switch (node.kind) {
    case FieldKind::kString: {
      const std::string_view s = value.get_string().value_unsafe();
      leaf.bytes.append(s);
      leaf.ends.push_back(leaf.bytes.size());
      break;
    }
    case FieldKind::kJson:
      leaf.bytes.append(simdjson::minify(value));
      leaf.ends.push_back(leaf.bytes.size());
      break;
    case FieldKind::kInt64:
      leaf.ints.push_back(value.get_int64().value_unsafe());
      break;
    case FieldKind::kDouble:
      leaf.doubles.push_back(value.get_double().value_unsafe());
      break;
    case FieldKind::kBool:
      leaf.bools.push_back(value.get_bool().value_unsafe() ? 1 : 0);
      break;
    default:
      break;
  }
}

}  // namespace tunepack::parquet::internal
