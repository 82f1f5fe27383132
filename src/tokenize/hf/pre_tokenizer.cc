#include "tokenize/hf/pre_tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <iterator>

#include "tokenize/hf/component_types.h"
#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {
namespace {

// Range: a stretch of a piece and whether the split's pattern matched it.
struct Range {
  uint32_t begin;
  uint32_t end;
  bool match;
};

// Applies `behavior` to the ranges covering one piece and appends the resulting pieces,
// following Hugging Face's NormalizedString::split.
void ApplyBehavior(SplitBehavior behavior, const std::vector<Range>& ranges,
                   std::vector<Piece>* out) {
  const size_t first = out->size();
  switch (behavior) {
    case SplitBehavior::kRemoved:
      for (const Range& r : ranges) {
        if (!r.match) out->push_back({r.begin, r.end});
      }
      break;
    case SplitBehavior::kIsolated:
      for (const Range& r : ranges) out->push_back({r.begin, r.end});
      break;
    case SplitBehavior::kMergedWithPrevious: {
      bool previous_match = false;
      for (const Range& r : ranges) {
        if (r.match && !previous_match && out->size() > first) {
          out->back().end = r.end;
        } else {
          out->push_back({r.begin, r.end});
        }
        previous_match = r.match;
      }
      break;
    }
    case SplitBehavior::kMergedWithNext: {
      bool previous_match = false;
      for (size_t i = ranges.size(); i-- > 0;) {
        const Range& r = ranges[i];
        if (r.match && !previous_match && out->size() > first) {
          out->back().begin = r.begin;
        } else {
          out->push_back({r.begin, r.end});
        }
        previous_match = r.match;
      }
      std::reverse(out->begin() + static_cast<ptrdiff_t>(first), out->end());
      break;
    }
    case SplitBehavior::kContiguous: {
      bool previous_match = false;
      for (const Range& r : ranges) {
        if (r.match == previous_match && out->size() > first) {
          out->back().end = r.end;
        } else {
          out->push_back({r.begin, r.end});
        }
        previous_match = r.match;
      }
      break;
    }
  }
  // Empty pieces are dropped, as Hugging Face does after every split.
  size_t kept = first;
  for (size_t i = first; i < out->size(); ++i) {
    if ((*out)[i].end > (*out)[i].begin) (*out)[kept++] = (*out)[i];
  }
  out->resize(kept);
}

// Splits every piece at the matches `find(piece_text, &matches)` reports (offsets relative
// to the piece); `find` returns a Status, whose first error ends the split.
template <typename Find>
Status SplitEach(std::string_view text, SplitBehavior behavior, bool invert,
               std::vector<Piece>* pieces, Find&& find) {
  thread_local std::vector<Piece> matches;
  thread_local std::vector<Range> ranges;
  std::vector<Piece> out;
  out.reserve(pieces->size() * 2);
  for (const Piece& piece : *pieces) {
    matches.clear();
    ranges.clear();
    TP_RETURN_IF_ERROR(find(text.substr(piece.begin, piece.end - piece.begin), &matches));
    uint32_t pos = piece.begin;
    for (const Piece& m : matches) {
      const uint32_t b = piece.begin + m.begin;
      const uint32_t e = piece.begin + m.end;
      if (b > pos) ranges.push_back({pos, b, invert});
      ranges.push_back({b, e, !invert});
      pos = e;
    }
    if (pos < piece.end) ranges.push_back({pos, piece.end, invert});
    ApplyBehavior(behavior, ranges, &out);
  }
  *pieces = std::move(out);
  return Status::Ok();
}

// Splits at each character for which `is_delimiter` holds (one match per character).
template <typename Predicate>
Status SplitOnChars(std::string_view text, SplitBehavior behavior, std::vector<Piece>* pieces,
                    Predicate&& is_delimiter) {
  return SplitEach(text, behavior, false, pieces, [&](std::string_view piece, std::vector<Piece>* matches) {
    for (size_t pos = 0; pos < piece.size();) {
      const CodePoint cp = DecodeAt(piece, pos);
      if (is_delimiter(cp.value)) {
        matches->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + cp.length)});
      }
      pos += cp.length;
    }
    return Status::Ok();
  });
}

bool IsWhiteSpace(char32_t cp) { return ClassOf(cp) & kClassSpace; }

bool IsNumeric(char32_t cp) { return ClassOf(cp) & kClassNumber; }

// Hugging Face's is_punc (ASCII punctuation or category P* in its Unicode tables), from the
// table tools/tokenizers/hf_unicode_tables.js generates.
#include "tokenize/hf/unicode_hf_tables.inc"

}  // namespace

// Oniguruma's \w as Hugging Face's Whitespace pre-tokenizer sees it.
bool IsHfWordChar(char32_t cp) {
  const auto it = std::upper_bound(std::begin(kHfWord), std::end(kHfWord), cp,
                                   [](char32_t value, const auto& range) { return value < range.first; });
  return it != std::begin(kHfWord) && cp <= std::prev(it)->second;
}

namespace {

bool IsPunctuation(char32_t cp) {
  const auto it = std::upper_bound(std::begin(kHfPunctuation), std::end(kHfPunctuation), cp,
                                   [](char32_t value, const auto& range) { return value < range.first; });
  return it != std::begin(kHfPunctuation) && cp <= std::prev(it)->second;
}

// Rebuilds the text piece by piece: `rewrite(piece_text, piece, out)` appends the piece's new
// content to `out` (an AlignedText built with AppendFrom/Append) and the piece is re-pointed.
template <typename Rewrite>
void RewritePieces(AlignedText* text, std::vector<Piece>* pieces, Rewrite&& rewrite) {
  AlignedText out;
  out.Clear(text->tracked);
  out.text.reserve(text->text.size() + pieces->size());
  for (Piece& piece : *pieces) {
    const uint32_t begin = static_cast<uint32_t>(out.text.size());
    rewrite(*text, piece, &out);
    piece = {begin, static_cast<uint32_t>(out.text.size())};
  }
  *text = std::move(out);
}

// Appends `bytes` aligned to the start of text[at] (an insertion, as Hugging Face's prepend).
void Insert(const AlignedText& text, uint32_t at, std::string_view bytes, AlignedText* out) {
  if (!out->tracked) {
    out->text.append(bytes);
    return;
  }
  const uint32_t orig = text.OrigBegin(at);
  out->Append(bytes, orig, orig);
}

struct Applier {
  bool at_input_start;
  AlignedText* text;
  std::vector<Piece>* pieces;

  Status operator()(const SplitPre& split) const {
    return SplitEach(text->text, split.behavior, split.invert, pieces,
                     [&](std::string_view piece, std::vector<Piece>* matches) {
                       return split.pattern->Find(piece, matches);
                     });
  }
  Status operator()(const ByteLevelPre& byte_level) const {
    if (byte_level.add_prefix_space) {
      RewritePieces(text, pieces, [](const AlignedText& in, const Piece& piece, AlignedText* out) {
        if (in.text[piece.begin] != ' ') Insert(in, piece.begin, " ", out);
        out->AppendFrom(in, piece.begin, piece.end);
      });
    }
    if (!byte_level.regex) return Status::Ok();
    return SplitEach(text->text, SplitBehavior::kIsolated, false, pieces,
                     [&](std::string_view piece, std::vector<Piece>* matches) {
                       return byte_level.regex->Find(piece, matches);
                     });
  }
  Status operator()(const MetaspacePre& metaspace) const {
    const std::string_view replacement = metaspace.replacement;
    RewritePieces(text, pieces, [&](const AlignedText& in, const Piece& piece, AlignedText* out) {
      const std::string_view bytes = std::string_view(in.text).substr(piece.begin, piece.end - piece.begin);
      // Hugging Face replaces first, then prepends unless the piece starts with the
      // replacement (so a leading space is not doubled).
      const bool starts_with = bytes.starts_with(' ') || bytes.starts_with(replacement);
      bool prepend = false;
      if (metaspace.prepend == MetaspacePre::Prepend::kAlways) prepend = !starts_with;
      if (metaspace.prepend == MetaspacePre::Prepend::kFirst) {
        // Hugging Face prepends when the piece starts at input offset 0 (after Strip, for
        // one, it does not); the tokenizer keeps alignments for this scheme.
        const bool first = in.tracked ? in.OrigBegin(piece.begin) == 0 && at_input_start
                                      : at_input_start && piece.begin == 0;
        prepend = !starts_with && first;
      }
      if (prepend) Insert(in, piece.begin, replacement, out);
      uint32_t run = piece.begin;
      for (uint32_t pos = piece.begin; pos < piece.end; ++pos) {
        if (in.text[pos] != ' ') continue;
        out->AppendFrom(in, run, pos);
        if (out->tracked) {
          out->Append(replacement, in.orig_begin[pos], in.orig_end[pos]);
        } else {
          out->text.append(replacement);
        }
        run = pos + 1;
      }
      out->AppendFrom(in, run, piece.end);
    });
    if (!metaspace.split) return Status::Ok();
    return SplitEach(text->text, SplitBehavior::kMergedWithNext, false, pieces,
                     [&](std::string_view piece, std::vector<Piece>* matches) {
                       size_t pos = 0;
                       while ((pos = piece.find(replacement, pos)) != std::string_view::npos) {
                         matches->push_back({static_cast<uint32_t>(pos),
                                             static_cast<uint32_t>(pos + replacement.size())});
                         pos += replacement.size();
                       }
                       return Status::Ok();
                     });
  }
  Status operator()(const DigitsPre& digits) const {
    return SplitOnChars(text->text, digits.individual ? SplitBehavior::kIsolated : SplitBehavior::kContiguous,
                 pieces, IsNumeric);
  }
  Status operator()(const WhitespacePre&) const {
    // The matches of \w+|[^\w\s]+ are kept and the rest (white space) removed: runs of
    // word characters and runs of other non-space characters.
    return SplitEach(text->text, SplitBehavior::kRemoved, true, pieces,
              [](std::string_view piece, std::vector<Piece>* matches) {
                int run = 0;  // 0: none, 1: word, 2: other
                for (size_t pos = 0; pos < piece.size();) {
                  const CodePoint cp = DecodeAt(piece, pos);
                  const int kind = IsWhiteSpace(cp.value) ? 0 : IsHfWordChar(cp.value) ? 1 : 2;
                  if (kind != 0 && kind == run) {
                    matches->back().end = static_cast<uint32_t>(pos + cp.length);
                  } else if (kind != 0) {
                    matches->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + cp.length)});
                  }
                  run = kind;
                  pos += cp.length;
                }
                return Status::Ok();
              });
  }
  Status operator()(const WhitespaceSplitPre&) const {
    return SplitOnChars(text->text, SplitBehavior::kRemoved, pieces, IsWhiteSpace);
  }
  Status operator()(const PunctuationPre& punctuation) const {
    return SplitOnChars(text->text, punctuation.behavior, pieces, IsPunctuation);
  }
  Status operator()(const BertPre&) const {
    TP_RETURN_IF_ERROR(SplitOnChars(text->text, SplitBehavior::kRemoved, pieces, IsWhiteSpace));
    return SplitOnChars(text->text, SplitBehavior::kIsolated, pieces, IsPunctuation);
  }
  Status operator()(const std::shared_ptr<PreTokenizerSequence>& sequence) const {
    for (const PreTokenizer& step : sequence->steps) {
      TP_RETURN_IF_ERROR(PreTokenize(step, at_input_start, text, pieces));
    }
    return Status::Ok();
  }
};

Result<SplitBehavior> ParseBehavior(Json json, SplitBehavior fallback) {
  const std::string_view name = StringOr(json, "behavior", "");
  if (name.empty()) return fallback;
  if (name == "Removed") return SplitBehavior::kRemoved;
  if (name == "Isolated") return SplitBehavior::kIsolated;
  if (name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (name == "Contiguous") return SplitBehavior::kContiguous;
  return InvalidArgumentError("unknown split behavior \"" + std::string(name) + "\"");
}

}  // namespace

Status PreTokenize(const PreTokenizer& pre_tokenizer, bool at_input_start, AlignedText* text,
                   std::vector<Piece>* pieces) {
  return std::visit(Applier{at_input_start, text, pieces}, pre_tokenizer);
}

bool NeedsAlignment(const PreTokenizer& pre_tokenizer) {
  if (const auto* metaspace = std::get_if<MetaspacePre>(&pre_tokenizer)) {
    return metaspace->prepend == MetaspacePre::Prepend::kFirst;
  }
  const auto* sequence = std::get_if<std::shared_ptr<PreTokenizerSequence>>(&pre_tokenizer);
  if (sequence == nullptr) return false;
  return std::any_of((*sequence)->steps.begin(), (*sequence)->steps.end(), NeedsAlignment);
}

bool UsesByteLevel(const PreTokenizer& pre_tokenizer, bool* ok) {
  if (std::holds_alternative<ByteLevelPre>(pre_tokenizer)) return true;
  const auto* sequence = std::get_if<std::shared_ptr<PreTokenizerSequence>>(&pre_tokenizer);
  if (sequence == nullptr) return false;
  bool found = false;
  for (const PreTokenizer& step : (*sequence)->steps) {
    if (found) *ok = false;
    if (UsesByteLevel(step, ok)) found = true;
  }
  return found;
}

namespace {

Result<PreTokenizer> ParseSplit(Json json) {
  SplitPre split;
  TP_ASSIGN_OR_RETURN(const PatternSpec spec, PatternField(json));
  TP_ASSIGN_OR_RETURN(split.pattern, Pattern::Create(spec));
  TP_ASSIGN_OR_RETURN(split.behavior, ParseBehavior(json, SplitBehavior::kIsolated));
  split.invert = BoolOr(json, "invert", false);
  return PreTokenizer(std::move(split));
}

Result<PreTokenizer> ParseByteLevel(Json json) {
  ByteLevelPre byte_level;
  byte_level.add_prefix_space = BoolOr(json, "add_prefix_space", true);
  if (BoolOr(json, "use_regex", true)) {
    TP_ASSIGN_OR_RETURN(byte_level.regex, Pattern::Create({true, std::string(kGpt2Pattern)}));
  }
  return PreTokenizer(std::move(byte_level));
}

Result<PreTokenizer> ParseMetaspace(Json json) {
  MetaspacePre metaspace;
  metaspace.replacement = std::string(StringOr(json, "replacement", metaspace.replacement));
  // Hugging Face's replacement is one `char`; a longer one would also let a file multiply
  // the text's size by its length at every space.
  if (metaspace.replacement.empty() ||
      DecodeAt(metaspace.replacement, 0).length != metaspace.replacement.size()) {
    return InvalidArgumentError("a Metaspace replacement must be one character");
  }
  metaspace.split = BoolOr(json, "split", true);
  const std::string_view scheme = StringOr(json, "prepend_scheme", "");
  if (scheme.empty()) {
    // Files older than prepend_scheme say add_prefix_space.
    metaspace.prepend = BoolOr(json, "add_prefix_space", true) ? MetaspacePre::Prepend::kAlways
                                                               : MetaspacePre::Prepend::kNever;
  } else if (scheme == "always") {
    metaspace.prepend = MetaspacePre::Prepend::kAlways;
  } else if (scheme == "first") {
    metaspace.prepend = MetaspacePre::Prepend::kFirst;
  } else if (scheme == "never") {
    metaspace.prepend = MetaspacePre::Prepend::kNever;
  } else {
    return InvalidArgumentError("unknown Metaspace prepend_scheme \"" + std::string(scheme) + "\"");
  }
  return PreTokenizer(std::move(metaspace));
}

Result<PreTokenizer> ParseDigits(Json json) {
  return PreTokenizer(DigitsPre{BoolOr(json, "individual_digits", false)});
}

Result<PreTokenizer> ParsePunctuation(Json json) {
  TP_ASSIGN_OR_RETURN(const SplitBehavior behavior, ParseBehavior(json, SplitBehavior::kIsolated));
  return PreTokenizer(PunctuationPre{behavior});
}

Result<PreTokenizer> ParseSequence(Json json) {
  auto sequence = std::make_shared<PreTokenizerSequence>();
  TP_ASSIGN_OR_RETURN(sequence->steps,
                      ParseSequenceSteps(json, "pre_tokenizer", "pretokenizers", ParsePreTokenizer));
  return PreTokenizer(std::move(sequence));
}

constexpr ComponentType<PreTokenizer> kPreTokenizerTypes[] = {
    {"Split", ParseSplit},
    {"ByteLevel", ParseByteLevel},
    {"Metaspace", ParseMetaspace},
    {"Digits", ParseDigits},
    {"Whitespace", ParseWithoutSettings<PreTokenizer, WhitespacePre>},
    {"WhitespaceSplit", ParseWithoutSettings<PreTokenizer, WhitespaceSplitPre>},
    {"Punctuation", ParsePunctuation},
    {"BertPreTokenizer", ParseWithoutSettings<PreTokenizer, BertPre>},
    {"Sequence", ParseSequence},
};

}  // namespace

Result<PreTokenizer> ParsePreTokenizer(Json json) {
  return ParseComponent(json, "pre_tokenizer", kPreTokenizerTypes);
}

}  // namespace tunepack::tokenize::hf
