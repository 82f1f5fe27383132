// --shard I/N: parsing it, the slice of the inputs a rank takes, and what a rank cannot do.
#include <charconv>

#include "tunepack/core/option_ref.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {
namespace {

constexpr uint32_t kMaxRanks = 100000;
// What one input file weighs beside its bytes: opening and reading a file costs something,
// and without it a run of empty files would all fall to one rank.
constexpr uint64_t kFileWeight = 4096;

bool ParseNumber(std::string_view text, uint32_t& out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<ShardSpec> ParseShardSpec(std::string_view text, std::string_view option) {
  if (text.empty()) return ShardSpec{};
  const size_t slash = text.find('/');
  ShardSpec spec;
  if (slash == std::string_view::npos || !ParseNumber(text.substr(0, slash), spec.index) ||
      !ParseNumber(text.substr(slash + 1), spec.count)) {
    return InvalidArgumentError(OptionRef(option) + " wants I/N (I of N, counted from 0), e.g. 0/4; got '" +
                                std::string(text) + "'");
  }
  if (spec.count == 0 || spec.count > kMaxRanks || spec.index >= spec.count) {
    return InvalidArgumentError(OptionRef(option) + " " + std::string(text) + ": N must be 1 to " +
                                std::to_string(kMaxRanks) + " and I from 0 to N-1");
  }
  return spec;
}

namespace {

// Returns where rank `rank`'s share of the inputs starts: the point at the first weight
// position of its 1/N of the total weight, moved to the end of the file it falls in unless
// that file may be cut there. Monotonic in `rank`, so the slices are contiguous and in rank
// order; every rank computes the boundaries alike.
ShardPoint Boundary(const std::vector<uint64_t>& sizes, unsigned __int128 total, uint32_t rank, uint32_t count,
                    const std::function<bool(size_t)>& can_cut) {
  if (rank == 0) return {0, 0};
  if (rank >= count) return {sizes.size(), 0};
  const unsigned __int128 first = (static_cast<unsigned __int128>(rank) * total + count - 1) / count;
  unsigned __int128 start = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (start >= first) return {i, 0};
    const unsigned __int128 weight = sizes[i] + kFileWeight;
    if (start + weight > first) {  // the boundary falls inside file i
      // The file's weight comes first, then its bytes: a boundary in the weight leaves the
      // file whole to the rank it starts in.
      if (first > start + kFileWeight && can_cut(i)) return {i, static_cast<uint64_t>(first - start - kFileWeight)};
      return {i + 1, 0};
    }
    start += weight;
  }
  return {sizes.size(), 0};
}

}  // namespace

ShardSlice ShardSliceOf(const std::vector<uint64_t>& sizes, ShardSpec spec,
                        const std::function<bool(size_t)>& can_cut) {
  if (!spec.enabled()) return {{0, 0}, {sizes.size(), 0}};
  unsigned __int128 total = 0;
  for (const uint64_t size : sizes) total += size + kFileWeight;
  return {Boundary(sizes, total, spec.index, spec.count, can_cut),
          Boundary(sizes, total, spec.index + 1, spec.count, can_cut)};
}

std::pair<size_t, size_t> ShardRange(const std::vector<uint64_t>& sizes, ShardSpec spec) {
  const ShardSlice slice = ShardSliceOf(sizes, spec, [](size_t) { return false; });
  return {slice.begin.input, slice.end.input};
}

Status RefuseUnshardable(const ExportOptions& options) {
  auto refuse = [&](const std::string& what) {
    return InvalidArgumentError(OptionRef("shard") + " cannot be combined with " + what +
                                " yet: a rank sees only its slice of the inputs, so the result would differ "
                                "from one machine's; run it in one process");
  };
  if (!options.dedup_plan.empty() && options.dedup == DedupMode::kOff) {
    return InvalidArgumentError(OptionRef("dedup-plan") + " gives the verdicts of a sharded " + OptionRef("dedup") +
                                ": give the same " + OptionRef("dedup") + " as the signature stage");
  }
  for (const std::string& input : options.inputs) {
    if (input == "-") return refuse("standard input '-' (ranks must be able to read the same inputs)");
  }
  const Result<const format::Format*> format = format::FindFormat(options.output_format);
  if (options.max_records_per_file > 0 && format.has_value() && (*format)->extension != ".jsonl") {
    return refuse(OptionRef("max-records-per-file") + " for a format that is not JSON Lines (the merge re-cuts "
                  "files at record boundaries, which it finds only in JSON Lines)");
  }
  return Status::Ok();
}

}  // namespace tunepack::pipeline
