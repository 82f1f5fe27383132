// Test helper: runs a built-in document reader on UTF-8 text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "tunepack/ingest/document_reader.h"

namespace tunepack::ingest {

// Returns the Document that reader `name` makes of `text` with `options`.
inline Document ReadWith(std::string_view name, std::string_view text,
                         const normalize::NormalizeOptions& options = {}) {
  const DocumentReader* reader = BuiltinDocumentReaders().Find(name);
  EXPECT_NE(reader, nullptr) << name;
  Document doc;
  if (reader == nullptr) return doc;
  DocumentOptions document_options;
  document_options.normalize = options;
  Status status = reader->read(text, document_options, doc);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return doc;
}

// Returns the text each block covers.
inline std::vector<std::string> BlockTexts(const Document& doc) {
  std::vector<std::string> out;
  for (const Block& block : doc.blocks) {
    EXPECT_LE(block.begin, block.end);
    EXPECT_LE(block.end, doc.text.size());
    out.push_back(doc.text.substr(block.begin, block.end - block.begin));
  }
  return out;
}

// Checks that blocks are in order and do not overlap.
inline void ExpectOrderedBlocks(const Document& doc) {
  for (size_t i = 1; i < doc.blocks.size(); ++i) {
    EXPECT_LE(doc.blocks[i - 1].end, doc.blocks[i].begin) << "block " << i;
  }
}

}  // namespace tunepack::ingest
