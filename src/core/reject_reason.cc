#include "tunepack/core/reject_reason.h"

#include <array>

namespace tunepack {
namespace {

using R = RejectReason;

constexpr std::array kReasons = {
    RejectReasonInfo{R::kUnreadable, "unreadable",
                     "the file or folder could not be opened or read (permissions, I/O error, a link loop)"},
    RejectReasonInfo{R::kSpecialFile, "special_file", "a FIFO, device or socket: not read"},
    RejectReasonInfo{R::kDanglingLink, "dangling_link", "a symbolic link to nothing"},
    RejectReasonInfo{R::kLinkOutsideInput, "link_outside_input",
                     "a symbolic link out of the input folder, not followed without --follow-links"},
    RejectReasonInfo{R::kLinkToFolder, "link_to_folder",
                     "a symbolic link to a folder whose files are read where they are"},
    RejectReasonInfo{R::kNotADocument, "not_a_document",
                     "a file whose extension names no document type (an image, an archive), skipped in a folder"},
    RejectReasonInfo{R::kEmptyFile, "empty_file", "the file is empty or holds no records"},
    RejectReasonInfo{R::kBinaryFile, "binary_file", "binary content, not text"},
    RejectReasonInfo{R::kUnrecognizedFile, "unrecognized_file", "neither its name nor its content tells its type"},
    RejectReasonInfo{R::kTooLarge, "too_large", "a document or record over its size limit"},
    RejectReasonInfo{R::kCorruptCompressed, "corrupt_compressed", "a truncated or damaged .gz, .zst, .bz2 or .xz file"},
    RejectReasonInfo{R::kDecompressedTooLarge, "decompressed_too_large",
                     "a compressed file that decompresses to more than --max-decompressed-bytes"},
    RejectReasonInfo{R::kInvalidUtf8, "invalid_utf8", "bytes that are not UTF-8 under --on-invalid-utf8 fail"},
    RejectReasonInfo{R::kEmptyDocument, "empty_document", "a document with no text once read"},
    RejectReasonInfo{R::kUnchunkable, "unchunkable", "the document could not be split into chunks"},
    RejectReasonInfo{R::kCorruptPackage, "corrupt_package",
                     "a DOCX, EPUB, ODT or PPTX that is not a readable ZIP, or misses or breaks a part"},
    RejectReasonInfo{R::kEncryptedPackage, "encrypted_package", "a password-protected package"},
    RejectReasonInfo{R::kPackageTooLarge, "package_too_large",
                     "a package over the ZIP limits (entry size, total size, ratio, entry count)"},
    RejectReasonInfo{R::kInvalidXml, "invalid_xml", "a package part that is not well-formed XML"},
    RejectReasonInfo{R::kNoTextLayer, "no_text_layer", "a PDF whose pages are images (a scan; OCR is out of scope)"},
    RejectReasonInfo{R::kEncryptedPdf, "encrypted_pdf", "a PDF that needs a password"},
    RejectReasonInfo{R::kCorruptPdf, "corrupt_pdf", "a PDF that cannot be opened, even with repair, or has no pages"},
    RejectReasonInfo{R::kPdfHelperMissing, "pdf_helper_missing", "tunepack-pdf, the PDF helper, is not installed"},
    RejectReasonInfo{R::kPdfHelperFailed, "pdf_helper_failed",
                     "the PDF helper crashed, hung, ran out of memory or wrote something not in its protocol"},
    RejectReasonInfo{R::kMalformedJson, "malformed_json", "a record that is not valid JSON"},
    RejectReasonInfo{R::kMalformedRecord, "malformed_record",
                     "a record the file's reader could not split out (bad CSV quoting, broken JSON array)"},
    RejectReasonInfo{R::kNotAnObject, "not_an_object", "a JSON record that is not an object"},
    RejectReasonInfo{R::kMissingField, "missing_field", "a field named by --map or --text-field is missing"},
    RejectReasonInfo{R::kUnrecognizedRecord, "unrecognized_record",
                     "a record in no known dataset format, with no --map or --text-field"},
    RejectReasonInfo{R::kInvalidRecord, "invalid_record",
                     "a record its format refuses (roles out of order, a field of the wrong type)"},
    RejectReasonInfo{R::kMediaCountMismatch, "media_count_mismatch",
                     "a record whose <image>, <video> or <audio> placeholders do not match its list of media"},
    RejectReasonInfo{R::kBadMediaFile, "bad_media_file",
                     "a record pointing to a local image, video or audio file that is missing, unreadable or of another type"},
    RejectReasonInfo{R::kTemplateSkipped, "template_skipped", "the example template skipped the record"},
    RejectReasonInfo{R::kTemplateError, "template_error", "the example template failed on the record"},
    RejectReasonInfo{R::kInvalidTemplateOutput, "invalid_template_output",
                     "the example template's output is not an example of the output format"},
    RejectReasonInfo{R::kNotAConversation, "not_a_conversation",
                     "a plain document where the output format needs conversations"},
    RejectReasonInfo{R::kNotAPreferencePair, "not_a_preference_pair",
                     "a conversation or text where the output format needs preference data (chosen and rejected answers, or a KTO label)"},
    RejectReasonInfo{R::kLossyConversion, "lossy_conversion",
                     "the output format cannot hold the example without loss"},
    RejectReasonInfo{R::kInvalidExample, "invalid_example", "the output format refuses the example (a chat template that raises, for one)"},
    RejectReasonInfo{R::kUntokenizable, "untokenizable", "the tokenizer could not encode the text"},
    RejectReasonInfo{R::kUnstableTemplatePrefix, "unstable_template_prefix",
                     "the chat template rewrites an earlier turn once later turns follow, so no assistant mask can be cut from the text"},
    RejectReasonInfo{R::kTooLong, "too_long", "over --max-example-tokens"},
    RejectReasonInfo{R::kLowQuality, "low_quality", "failed a quality rule of --quality-filter"},
    RejectReasonInfo{R::kLanguage, "language", "not in a language of --languages"},
    RejectReasonInfo{R::kContaminated, "contaminated", "shares n-grams with a --decontaminate file"},
    RejectReasonInfo{R::kDuplicate, "duplicate", "an exact duplicate of an example kept earlier"},
    RejectReasonInfo{R::kNearDuplicate, "near_duplicate", "a near duplicate of an example kept earlier"},
    RejectReasonInfo{R::kInternalError, "internal_error", "a bug in tunepack, caught; please report it"},
};

// The table is indexed by the enum: a reason added to one and not the other fails here.
constexpr bool TableFollowsTheEnum() {
  for (size_t i = 0; i < kReasons.size(); ++i) {
    if (static_cast<size_t>(kReasons[i].reason) != i) return false;
  }
  return static_cast<size_t>(R::kInternalError) + 1 == kReasons.size();
}
static_assert(TableFollowsTheEnum());

}  // namespace

std::span<const RejectReasonInfo> AllRejectReasons() { return kReasons; }

std::string_view RejectReasonName(RejectReason reason) {
  return kReasons[static_cast<size_t>(reason)].name;
}

std::optional<RejectReason> ParseRejectReason(std::string_view name) {
  for (const RejectReasonInfo& info : kReasons) {
    if (info.name == name) return info.reason;
  }
  return std::nullopt;
}

}  // namespace tunepack
