// Batch tokenization: a shared work counter hands the texts out in index order to a few
// threads; each result lands in its own slot, so the output does not depend on scheduling.
#include "tunepack/tokenize/batch.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

namespace tunepack::tokenize {
namespace {

// Runs `work(i)` for every i in [0, count) on up to `jobs` threads and returns the error of
// the lowest index that failed, prefixed with "`what` i". Indices are handed out in
// increasing order and workers stop taking new ones after an error, so every index below a
// failed one has run: the error returned is the same at any thread count.
Status ForEachIndex(size_t count, int jobs, std::string_view what,
                    const std::function<Status(size_t)>& work) {
  size_t workers = jobs > 0 ? static_cast<size_t>(jobs) : std::thread::hardware_concurrency();
  workers = std::clamp<size_t>(workers, 1, std::max<size_t>(count, 1));

  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  size_t first_failed = std::numeric_limits<size_t>::max();
  Status first_error;
  auto run = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const size_t index = next.fetch_add(1, std::memory_order_relaxed);
      if (index >= count) return;
      Status status = work(index);
      if (status.ok()) continue;
      std::lock_guard lock(mutex);
      if (index < first_failed) {
        first_failed = index;
        first_error = status.WithContext(std::string(what) + " " + std::to_string(index));
      }
      failed.store(true, std::memory_order_relaxed);
    }
  };
  if (workers == 1) {
    run();
  } else {
    std::vector<std::jthread> threads;
    threads.reserve(workers - 1);
    for (size_t i = 1; i < workers; ++i) threads.emplace_back(run);
    run();
  }  // the jthreads join here
  return first_error;
}

template <typename Text>
Result<std::vector<std::vector<TokenId>>> EncodeTexts(const Tokenizer& tokenizer,
                                                      std::span<const Text> texts,
                                                      const BatchOptions& options) {
  std::vector<std::vector<TokenId>> ids(texts.size());
  TP_RETURN_IF_ERROR(ForEachIndex(texts.size(), options.jobs, "text", [&](size_t i) {
    return tokenizer.Encode(texts[i], options.encode, &ids[i]);
  }));
  return ids;
}

template <typename Text>
Result<std::vector<size_t>> CountTexts(const Tokenizer& tokenizer, std::span<const Text> texts,
                                       const BatchOptions& options) {
  std::vector<size_t> counts(texts.size());
  TP_RETURN_IF_ERROR(ForEachIndex(texts.size(), options.jobs, "text", [&](size_t i) -> Status {
    TP_ASSIGN_OR_RETURN(counts[i], tokenizer.Count(texts[i], options.encode));
    return Status::Ok();
  }));
  return counts;
}

}  // namespace

Result<std::vector<std::vector<TokenId>>> EncodeBatch(const Tokenizer& tokenizer,
                                                      std::span<const std::string_view> texts,
                                                      const BatchOptions& options) {
  return EncodeTexts(tokenizer, texts, options);
}

Result<std::vector<std::vector<TokenId>>> EncodeBatch(const Tokenizer& tokenizer,
                                                      std::span<const std::string> texts,
                                                      const BatchOptions& options) {
  return EncodeTexts(tokenizer, texts, options);
}

Result<std::vector<size_t>> CountBatch(const Tokenizer& tokenizer,
                                       std::span<const std::string_view> texts,
                                       const BatchOptions& options) {
  return CountTexts(tokenizer, texts, options);
}

Result<std::vector<size_t>> CountBatch(const Tokenizer& tokenizer, std::span<const std::string> texts,
                                       const BatchOptions& options) {
  return CountTexts(tokenizer, texts, options);
}

Result<std::vector<std::string>> DecodeBatch(const Tokenizer& tokenizer,
                                             std::span<const std::vector<TokenId>> batch, int jobs) {
  std::vector<std::string> texts(batch.size());
  TP_RETURN_IF_ERROR(ForEachIndex(batch.size(), jobs, "ids", [&](size_t i) -> Status {
    TP_ASSIGN_OR_RETURN(texts[i], tokenizer.Decode(batch[i]));
    return Status::Ok();
  }));
  return texts;
}

}  // namespace tunepack::tokenize
