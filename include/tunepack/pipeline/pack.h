// Packing a written dataset: the examples of JSONL data files are tokenized (or their token
// ids read), grouped into sequences of at most `seq_len` tokens by first-fit-decreasing, and
// written one sequence per line as padding-free trainers read them:
//   {"input_ids":[...],"position_ids":[0,1,..,0,1,..],"labels":[-100,..],"lengths":[..]}
// `tunepack pack` runs it on any files; `tunepack export --pack N` on each split it wrote.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

struct PackOptions {
  std::shared_ptr<const tokenize::Tokenizer> tokenizer;  ///< for records without input_ids
  size_t seq_len = 0;        ///< tokens per packed sequence
  bool add_special = false;  ///< add BOS/EOS to tokenized text as the tokenizer does
};

// PackSummary: what a packing run did.
struct PackSummary {
  uint64_t examples = 0;   ///< records read
  uint64_t packed = 0;     ///< examples placed in a sequence
  uint64_t overlong = 0;   ///< examples longer than seq_len, left out (still in the dataset)
  uint64_t sequences = 0;  ///< lines written
  uint64_t tokens = 0;     ///< tokens in the sequences
  double efficiency = 0;   ///< tokens / (sequences x seq_len)
  std::vector<std::string> overlong_examples;  ///< "file:line (N tokens)" of the first 20
};

// Packs the records of the JSONL files `inputs`, in order, into `output` (written through a
// temporary file and a rename). A record gives its tokens as "input_ids" (with an optional
// 0/1 "assistant_masks" of the same length: only those tokens are trained), or as "text",
// tokenized with options.tokenizer and trained on whole. Anything else, such as chat
// "messages", is InvalidArgument naming the file and line: chat examples are packed from
// `--format chat-template` output, which holds the exact ids the model trains on.
// Memory: 5 bytes per token plus about 100 per example, held until the sequences are written.
Result<PackSummary> PackJsonlFiles(const std::vector<std::string>& inputs,
                                   const PackOptions& options, const std::string& output);

}  // namespace tunepack::pipeline
