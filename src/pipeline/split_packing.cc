// --pack after the data files are complete: by the export, and by `tunepack merge` for a
// sharded one (a rank sees only its slice of each split, and packing bins all of a split).
#include "pipeline/split_packing.h"

#include "pipeline/file_hash.h"
#include "tunepack/pipeline/pack.h"

namespace tunepack::pipeline {

Result<std::vector<PackedOutput>> PackSplits(const ExportOptions& options, const std::string& dir,
                                             std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                             const std::vector<OutputFileSummary>& files) {
  PackOptions pack;
  pack.tokenizer = std::move(tokenizer);
  pack.seq_len = options.pack_seq_len;
  std::vector<PackedOutput> packed;
  for (const SplitSpec& split : options.splits) {
    std::vector<std::string> inputs;
    for (const OutputFileSummary& file : files) {
      if (file.split == split.name) inputs.push_back(dir + "/" + file.path);
    }
    PackedOutput out;
    out.path = split.name + ".packed.jsonl";
    out.split = split.name;
    TP_ASSIGN_OR_RETURN(out.summary, PackJsonlFiles(inputs, pack, dir + "/" + out.path));
    TP_ASSIGN_OR_RETURN(out.hash, HashFile(dir + "/" + out.path));
    packed.push_back(std::move(out));
  }
  return packed;
}

}  // namespace tunepack::pipeline
