#include "tunepack/pipeline/options.h"

#include <cmath>
#include <cstdlib>

#include "tunepack/core/json_writer.h"

namespace tunepack::pipeline {

Result<std::vector<SplitSpec>> ParseSplits(std::string_view spec) {
  std::vector<SplitSpec> splits;
  double total = 0;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string_view part = spec.substr(start, comma - start);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return InvalidArgumentError("--split wants NAME=FRACTION,..., e.g. train=0.9,validation=0.1; got '" +
                                  std::string(part) + "'");
    }
    const std::string name(part.substr(0, eq));
    const std::string number(part.substr(eq + 1));
    char* end = nullptr;
    const double fraction = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(fraction > 0) || fraction > 1) {
      return InvalidArgumentError("--split: the fraction of '" + name +
                                  "' must be a number in (0, 1], not '" + number + "'");
    }
    for (const SplitSpec& existing : splits) {
      if (existing.name == name) return InvalidArgumentError("--split: '" + name + "' named twice");
    }
    splits.push_back({name, fraction});
    total += fraction;
    start = comma + 1;
  }
  if (std::fabs(total - 1.0) > 1e-9) {
    return InvalidArgumentError("--split: fractions must add up to 1, they add up to " +
                                std::to_string(total));
  }
  return splits;
}

Result<ProgressMode> ParseProgressMode(std::string_view name) {
  if (name == "auto") return ProgressMode::kAuto;
  if (name == "bar") return ProgressMode::kBar;
  if (name == "json") return ProgressMode::kJson;
  if (name == "none") return ProgressMode::kNone;
  return InvalidArgumentError("--progress must be auto, bar, json or none, not '" +
                              std::string(name) + "'");
}

Result<DedupMode> ParseDedupMode(std::string_view name) {
  if (name == "off") return DedupMode::kOff;
  if (name == "exact") return DedupMode::kExact;
  if (name == "near") return DedupMode::kNear;
  if (name == "both") return DedupMode::kBoth;
  return InvalidArgumentError("--dedup must be off, exact, near or both, not '" +
                              std::string(name) + "'");
}

Result<RepeatedRemoval> ParseRepeatedRemoval(std::string_view name) {
  if (name == "off") return RepeatedRemoval::kOff;
  if (name == "lines") return RepeatedRemoval::kLines;
  if (name == "paragraphs") return RepeatedRemoval::kParagraphs;
  return InvalidArgumentError("--remove-repeated must be off, lines or paragraphs, not '" +
                              std::string(name) + "'");
}

Result<OverlongPolicy> ParseOverlongPolicy(std::string_view name) {
  if (name == "drop") return OverlongPolicy::kDrop;
  if (name == "split") return OverlongPolicy::kSplit;
  if (name == "truncate") return OverlongPolicy::kTruncate;
  return InvalidArgumentError("--on-overlong must be drop, split or truncate, not '" +
                              std::string(name) + "'");
}

std::string_view OverlongPolicyName(OverlongPolicy policy) {
  switch (policy) {
    case OverlongPolicy::kDrop: return "drop";
    case OverlongPolicy::kSplit: return "split";
    case OverlongPolicy::kTruncate: return "truncate";
  }
  return "drop";
}

namespace {

std::string_view DedupModeName(DedupMode mode) {
  switch (mode) {
    case DedupMode::kOff: return "off";
    case DedupMode::kExact: return "exact";
    case DedupMode::kNear: return "near";
    case DedupMode::kBoth: return "both";
  }
  return "off";
}

void AppendStringArray(std::string& out, const std::vector<std::string>& values) {
  out.push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(out, values[i]);
  }
  out.push_back(']');
}

// Appends the per-example steps that are on as "steps": {...}; nothing when all are off,
// so that exports without them keep the options they always had.
void AppendSteps(JsonObjectWriter& object, const ExampleStepOptions& steps) {
  const bool any = steps.remove_repeated != RepeatedRemoval::kOff || steps.redact_pii ||
                   steps.detect_language || !steps.languages.empty() ||
                   !steps.decontaminate_files.empty();
  if (!any) return;
  JsonObjectWriter out(object.Key("steps"));
  if (steps.remove_repeated != RepeatedRemoval::kOff) {
    out.String("remove_repeated",
               steps.remove_repeated == RepeatedRemoval::kLines ? "lines" : "paragraphs");
  }
  if (steps.redact_pii) {
    std::vector<std::string> kinds;
    for (size_t kind = 0; kind < quality::kPiiKinds; ++kind) {
      if (steps.pii.enabled[kind]) {
        kinds.emplace_back(quality::PiiKindName(static_cast<quality::PiiKind>(kind)));
      }
    }
    AppendStringArray(out.Key("redact_pii"), kinds);
  }
  if (steps.detect_language) out.Bool("detect_language", true);
  if (!steps.languages.empty()) out.String("languages", steps.languages);
  if (!steps.decontaminate_files.empty()) {
    AppendStringArray(out.Key("decontaminate"), steps.decontaminate_files);
    out.Int("decontaminate_ngram", steps.decontaminate_ngram);
  }
  out.Close();
}

std::string_view PolicyName(InvalidUtf8Policy policy) {
  switch (policy) {
    case InvalidUtf8Policy::kReplace: return "replace";
    case InvalidUtf8Policy::kSkip: return "skip";
    case InvalidUtf8Policy::kFail: return "fail";
  }
  return "replace";
}

std::string_view FormName(normalize::UnicodeForm form) {
  switch (form) {
    case normalize::UnicodeForm::kNone: return "none";
    case normalize::UnicodeForm::kNfc: return "nfc";
    case normalize::UnicodeForm::kNfkc: return "nfkc";
  }
  return "nfc";
}

}  // namespace

std::string CanonicalOptionsJson(const ExportOptions& o) {
  std::string out;
  JsonObjectWriter object(out);
  AppendStringArray(object.Key("inputs"), o.inputs);
  AppendStringArray(object.Key("include"), o.include_globs);
  AppendStringArray(object.Key("exclude"), o.exclude_globs);
  object.String("input_format", o.input_format);
  object.String("text_field", o.mapping.text_field);
  {
    std::string& maps = object.Key("map");
    maps.push_back('[');
    for (size_t i = 0; i < o.mapping.fields.size(); ++i) {
      if (i) maps.push_back(',');
      AppendJsonString(maps, std::string(RoleName(o.mapping.fields[i].role)) + "=" +
                                 o.mapping.fields[i].path);
    }
    maps.push_back(']');
  }
  AppendStringArray(object.Key("meta_fields"), o.mapping.metadata_fields);
  if (o.example_template) {
    // The source hash, so that --resume refuses to continue with an edited template.
    std::string& t = object.Key("template");
    JsonObjectWriter tmpl(t);
    tmpl.String("path", o.example_template->path());
    tmpl.String("hash", o.example_template->source_hash());
    tmpl.Close();
  }
  if (!o.format_params.model_dir.empty()) object.String("model", o.format_params.model_dir);
  if (!o.format_params.tokenizer.empty()) object.String("format_tokenizer", o.format_params.tokenizer);
  if (o.format_params.strip_generation_prompt) object.Bool("strip_generation_prompt", true);
  {
    std::string& meta = object.Key("meta");
    JsonObjectWriter pairs(meta);
    for (const auto& [key, value] : o.meta) pairs.String(key, value);
    pairs.Close();
  }
  object.String("on_invalid_utf8", PolicyName(o.on_invalid_utf8));
  {
    std::string& n = object.Key("normalize");
    JsonObjectWriter norm(n);
    norm.Bool("enabled", o.normalize_text);
    norm.Bool("records", o.normalize_records);
    norm.String("form", FormName(o.normalize.form));
    norm.Bool("newlines", o.normalize.newlines);
    norm.Bool("control_chars", o.normalize.control_chars);
    norm.Bool("trailing_spaces", o.normalize.trailing_spaces);
    norm.Bool("blank_lines", o.normalize.blank_lines);
    norm.Close();
  }
  if (o.chunk) {
    std::string& c = object.Key("chunk");
    JsonObjectWriter chunk(c);
    chunk.String("tokenizer", o.tokenizer);
    chunk.Int("max_tokens", static_cast<int64_t>(o.chunk_options.max_tokens));
    chunk.Int("overlap_tokens", static_cast<int64_t>(o.chunk_options.overlap_tokens));
    chunk.Key("overlap_fraction") += std::to_string(o.chunk_options.overlap_fraction);
    chunk.Int("min_tokens", static_cast<int64_t>(o.chunk_options.min_tokens));
    chunk.Bool("heading_context", o.chunk_options.heading_context);
    chunk.Close();
  }
  {
    std::string& d = object.Key("dedup");
    JsonObjectWriter dedup(d);
    dedup.String("mode", DedupModeName(o.dedup));
    if (o.dedup == DedupMode::kNear || o.dedup == DedupMode::kBoth) {
      dedup.Key("threshold") += std::to_string(o.near_dedup.threshold);
      dedup.Int("ngram", o.near_dedup.ngram);
      dedup.Int("num_hashes", o.near_dedup.num_hashes);
      dedup.Int("seed", static_cast<int64_t>(o.near_dedup.seed));
      dedup.Int("verification", static_cast<int64_t>(o.near_dedup.verification));
    }
    dedup.Close();
  }
  {
    std::string& q = object.Key("quality_filter");
    if (!o.quality_filter) {
      q += "false";
    } else {
      JsonObjectWriter rules(q);
      for (const quality::QualityRule& rule : o.quality_rules) {
        if (rule.enabled) rules.Key(rule.name) += std::to_string(rule.threshold);
      }
      rules.Close();
    }
  }
  AppendSteps(object, o.steps);
  // Written only when set, so that the options (and manifests) of exports without them
  // stay what they were.
  if (!o.tokenizer.empty()) object.String("tokenizer", o.tokenizer);
  if (o.max_example_tokens > 0) {
    object.Int("max_example_tokens", static_cast<int64_t>(o.max_example_tokens));
    object.String("on_overlong", OverlongPolicyName(o.on_overlong));
  }
  object.Int("max_record_bytes", static_cast<int64_t>(o.max_record_bytes));
  object.Int("max_document_bytes", static_cast<int64_t>(o.max_document_bytes));
  object.String("format", o.output_format);
  object.Bool("include_metadata", o.include_metadata);
  {
    std::string& s = object.Key("split");
    JsonObjectWriter splits(s);
    for (const SplitSpec& split : o.splits) splits.Key(split.name) += std::to_string(split.fraction);
    splits.Close();
  }
  object.Int("max_records_per_file", static_cast<int64_t>(o.max_records_per_file));
  if (o.pack_seq_len > 0) object.Int("pack", static_cast<int64_t>(o.pack_seq_len));
  object.Bool("strict", o.strict);
  object.Close();
  return out;
}

}  // namespace tunepack::pipeline
