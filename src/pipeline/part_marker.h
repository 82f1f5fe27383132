// PartMarker: the completion marker of a rank's part folder (kPartMarkerFile). Written last,
// by an atomic rename, once the part is published: its presence means "this rank is done".
// It says which rank of which run the part is, so that the merge can check that the parts
// belong together (same options, same input listing) and cover the inputs once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tunepack/core/hash.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/shard.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {

struct PartMarker {
  ShardSpec shard;
  std::string options_json;   ///< the rank's canonical options ("shard" included)
  Hash128 listing_hash;       ///< InputListingHash of all the inputs (not only the slice)
  uint64_t sources_total = 0;
  ShardSlice slice;           ///< the slice of the inputs this rank took
  uint64_t walk_warnings = 0; ///< the manifest's first warnings, from the walk (same for every rank)
  std::string first_rejection;
  Hash128 manifest_hash;      ///< of the part's manifest.json
};

// Returns the hash of the ordered input list (names, sizes, modification times): ranks that
// walked the inputs differently (a file added between two ranks) cannot be merged.
Hash128 InputListingHash(const std::vector<SourceFile>& sources);

std::string PartMarkerJson(const PartMarker& marker);
Result<PartMarker> ParsePartMarker(const std::string& json);

// Reads the marker of part folder `dir`; nullopt when it has none.
Result<std::optional<PartMarker>> ReadPartMarker(const std::string& dir);

}  // namespace tunepack::pipeline
