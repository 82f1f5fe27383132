#include "parquet/record_assembler.h"

#include "tunepack/core/json_writer.h"

namespace tunepack::parquet::internal {

RecordAssembler::RecordAssembler(const ReadSchema& schema, const std::vector<ColumnValues>& columns, bool omit_nulls)
    : schema_(schema), columns_(columns), cursors_(columns.size()), omit_nulls_(omit_nulls) {}

uint32_t RecordAssembler::Def(size_t leaf) const {
  const ColumnValues& c = columns_[leaf];
  return c.def.empty() ? schema_.leaves[leaf].max_def : c.def[cursors_[leaf].entry];
}

uint32_t RecordAssembler::Rep(size_t leaf) const {
  const ColumnValues& c = columns_[leaf];
  return c.rep.empty() ? 0 : c.rep[cursors_[leaf].entry];
}

Status RecordAssembler::Available(size_t leaf) const {
  if (cursors_[leaf].entry < columns_[leaf].entries) return Status::Ok();
  return DataLossError("column '" + schema_.leaves[leaf].path + "' ends before the other columns");
}

bool RecordAssembler::IsNull(const ReadNode& node) const {
  return node.optional && Def(node.first_leaf) < node.def;
}

// Steps every leaf under `node` past one entry: a null or empty value has exactly one.
Status RecordAssembler::SkipOne(const ReadNode& node) {
  for (size_t leaf = node.first_leaf; leaf < node.end_leaf; ++leaf) {
    TP_RETURN_IF_ERROR(Available(leaf));
    if (Def(leaf) == schema_.leaves[leaf].max_def) {
      return DataLossError("column '" + schema_.leaves[leaf].path + "' has a value where its parent is null");
    }
    ++cursors_[leaf].entry;
  }
  return Status::Ok();
}

Status RecordAssembler::Struct(const ReadNode& node, std::string& out) {
  out.push_back('{');
  bool first = true;
  for (const ReadNode& child : node.children) {
    if (child.first_leaf == child.end_leaf) continue;
    TP_RETURN_IF_ERROR(Available(child.first_leaf));
    const bool null = IsNull(child);
    if (null) TP_RETURN_IF_ERROR(SkipOne(child));
    if (null && omit_nulls_) continue;
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(out, child.name);
    out.push_back(':');
    if (null) {
      out.append("null");
    } else {
      TP_RETURN_IF_ERROR(Value(child, out));
    }
  }
  out.push_back('}');
  return Status::Ok();
}

Status RecordAssembler::Value(const ReadNode& node, std::string& out) {
  switch (node.kind) {
    case ReadNode::Kind::kStruct:
      return Struct(node, out);
    case ReadNode::Kind::kList: {
      TP_RETURN_IF_ERROR(Available(node.first_leaf));
      if (Def(node.first_leaf) < node.def_nonempty) {
        TP_RETURN_IF_ERROR(SkipOne(node));
        out.append(node.map ? "{}" : "[]");
        return Status::Ok();
      }
      const ReadNode& element = node.children[0];
      if (node.map) return Map(node, out);
      out.push_back('[');
      while (true) {
        TP_RETURN_IF_ERROR(Available(element.first_leaf));
        if (IsNull(element)) {
          TP_RETURN_IF_ERROR(SkipOne(element));
          out.append("null");
        } else {
          TP_RETURN_IF_ERROR(Value(element, out));
        }
        const size_t lead = node.first_leaf;
        if (cursors_[lead].entry >= columns_[lead].entries || Rep(lead) != node.rep) break;
        out.push_back(',');
      }
      out.push_back(']');
      return Status::Ok();
    }
    case ReadNode::Kind::kLeaf: {
      const size_t leaf = node.first_leaf;
      TP_RETURN_IF_ERROR(Available(leaf));
      if (Def(leaf) != schema_.leaves[leaf].max_def) {
        return DataLossError("column '" + schema_.leaves[leaf].path + "' lacks a value its levels require");
      }
      Cursor& cursor = cursors_[leaf];
      const Fragments& values = columns_[leaf].values;
      if (cursor.value >= values.size()) {
        return DataLossError("column '" + schema_.leaves[leaf].path + "' has fewer values than its levels say");
      }
      out.append(values.at(cursor.value++));
      ++cursor.entry;
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// A MAP's entries as one object: {"key": value, ...}; keys that are not strings are quoted.
Status RecordAssembler::Map(const ReadNode& node, std::string& out) {
  const ReadNode& entry = node.children[0];
  const ReadNode& key = entry.children[0];
  const ReadNode& value = entry.children[1];
  out.push_back('{');
  while (true) {
    TP_RETURN_IF_ERROR(Available(entry.first_leaf));
    if (IsNull(entry) || IsNull(key)) return DataLossError("map '" + node.name + "' has an entry without a key");
    std::string key_text;
    TP_RETURN_IF_ERROR(Value(key, key_text));
    if (key_text.empty() || key_text.front() != '"') key_text = JsonQuote(key_text);
    out.append(key_text);
    out.push_back(':');
    TP_RETURN_IF_ERROR(Available(value.first_leaf));
    if (IsNull(value)) {
      TP_RETURN_IF_ERROR(SkipOne(value));
      out.append("null");
    } else {
      TP_RETURN_IF_ERROR(Value(value, out));
    }
    const size_t lead = node.first_leaf;
    if (cursors_[lead].entry >= columns_[lead].entries || Rep(lead) != node.rep) break;
    out.push_back(',');
  }
  out.push_back('}');
  return Status::Ok();
}

Status RecordAssembler::Next(std::string& out) {
  for (size_t leaf = 0; leaf < columns_.size(); ++leaf) {
    TP_RETURN_IF_ERROR(Available(leaf));
    if (Rep(leaf) != 0) return DataLossError("column '" + schema_.leaves[leaf].path + "' does not start a record where expected");
  }
  const size_t before = out.size();
  Status status = Struct(schema_.root, out);
  if (!status.ok()) out.resize(before);
  return status;
}

Status RecordAssembler::CheckFinished() const {
  for (size_t leaf = 0; leaf < columns_.size(); ++leaf) {
    if (cursors_[leaf].entry != columns_[leaf].entries) {
      return DataLossError("column '" + schema_.leaves[leaf].path + "' has more values than the row group's rows");
    }
  }
  return Status::Ok();
}

}  // namespace tunepack::parquet::internal
