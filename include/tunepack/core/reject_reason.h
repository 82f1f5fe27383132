// RejectReason: why an input unit (a file, a record, an example) did not reach an output
// file. Every ledger line (rejected.jsonl) names one, and the manifest counts them; the
// names below are what users and their scripts match on, so they never change spelling.
// One table gives the name, the meaning (docs/export.md "Ledger reasons" is checked
// against it) and the parser.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace tunepack {

enum class RejectReason {
  // Files: what the folder walk and the reader found before any record or document.
  kUnreadable,
  kSpecialFile,
  kDanglingLink,
  kLinkOutsideInput,
  kLinkToFolder,
  kNotADocument,
  kEmptyFile,
  kBinaryFile,
  kUnrecognizedFile,
  kTooLarge,
  kCorruptCompressed,
  kDecompressedTooLarge,
  // Documents.
  kInvalidUtf8,
  kEmptyDocument,
  kUnchunkable,
  kCorruptPackage,
  kEncryptedPackage,
  kPackageTooLarge,
  kInvalidXml,
  kNoTextLayer,
  kEncryptedPdf,
  kCorruptPdf,
  kPdfHelperMissing,
  kPdfHelperFailed,
  // Records.
  kMalformedJson,
  kMalformedRecord,
  kNotAnObject,
  kMissingField,
  kUnrecognizedRecord,
  kInvalidRecord,
  kMediaCountMismatch,
  kBadMediaFile,
  // Examples.
  kTemplateSkipped,
  kTemplateError,
  kInvalidTemplateOutput,
  kNotAConversation,
  kNotAPreferencePair,
  kLossyConversion,
  kInvalidExample,
  kUntokenizable,
  kUnstableTemplatePrefix,
  // Filters the options ask for.
  kTooLong,
  kLowQuality,
  kLanguage,
  kContaminated,
  kDuplicate,
  kNearDuplicate,
  // A bug in tunepack, caught and accounted for.
  kInternalError,
};

struct RejectReasonInfo {
  RejectReason reason;
  std::string_view name;     ///< snake_case, as in the ledger: "malformed_json"
  std::string_view meaning;  ///< one line for people (docs, --help of stats)
};

// Every reason, in the order above.
std::span<const RejectReasonInfo> AllRejectReasons();

// Returns the ledger name of `reason`.
std::string_view RejectReasonName(RejectReason reason);

// Returns the reason named `name`, or nothing for a name no version of tunepack wrote.
std::optional<RejectReason> ParseRejectReason(std::string_view name);

}  // namespace tunepack
