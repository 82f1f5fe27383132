// Input type and encoding detection.
#pragma once

#include <string>
#include <string_view>

#include "tunepack/core/result.h"
#include "tunepack/core/utf8.h"

namespace tunepack::ingest {

// InputKind: whether a file is one document or a container of records.
enum class InputKind {
  kDocument,  ///< one file, one Document (text, markdown, html)
  kRecords,   ///< many records (jsonl, json, csv), each its own input unit
  kBinary,    ///< not text: rejected with a clear reason
};

// InputType: what a file is and which reader handles it.
struct InputType {
  InputKind kind = InputKind::kDocument;
  std::string reader;   ///< a document reader name ("text", "markdown", "html") or a record
                        ///< container ("jsonl", "json", "csv"); empty for kBinary
  std::string warning;  ///< set when extension and content disagree (not an error)
};

// How many bytes of a file DetectInputType expects to see.
inline constexpr size_t kSniffHeadBytes = 64 * 1024;

// Decides the type of `path` from its extension, confirmed by sniffing `head` (the first
// kSniffHeadBytes of the file; a shorter head is taken to be the whole file). An unknown
// extension falls back to the content. A file whose content contradicts its extension keeps
// the content's type and gets a warning. Content is JSON only when it parses as JSON (up to
// where the head is cut); JSON Lines are judged line by line, so a NUL byte in one line
// does not make the file binary.
InputType DetectInputType(std::string_view path, std::string_view head);

// DecodedText: a file's text converted to UTF-8, and how the encoding was decided.
struct DecodedText {
  std::string text;             ///< valid UTF-8, BOM removed
  std::string encoding;         ///< e.g. "UTF-8", "UTF-16LE", "WINDOWS-1252", "SHIFT_JIS"
  std::string encoding_source;  ///< "bom", "declared", "utf8-valid", "detected", "fallback"
  size_t invalid_sequences = 0; ///< invalid byte sequences replaced or skipped
  size_t first_invalid = 0;     ///< byte offset in the input of the first one
  int confidence = 100;         ///< 0-100: how sure the detector was; 100 unless "detected"
};

// Returns the charset an HTML <meta charset> / <meta http-equiv content="...charset=">, or
// an XML declaration's encoding="...", names within the first 4 KiB of `bytes`, lower-cased;
// empty when there is none. Only ASCII-compatible bytes are searched (a UTF-16 file has a
// BOM instead).
std::string FindDeclaredCharset(std::string_view bytes);

// Converts `bytes` to UTF-8. Order: BOM, then `declared_charset` (HTML meta / XML
// declaration, passed by the caller when known), then a whole-buffer UTF-8 validity check,
// then statistical detection, then Windows-1252. Invalid sequences follow `policy`; with
// kFail the result is DataLoss naming the line and column of the first one.
Result<DecodedText> DecodeToUtf8(std::string_view bytes, InvalidUtf8Policy policy,
                                 std::string_view declared_charset = {});

}  // namespace tunepack::ingest
