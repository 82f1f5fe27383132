#include "tunepack/report/file_stats.h"

#include "tunepack/report/dataset_reader.h"

namespace tunepack::report {

Result<DatasetStats> ComputeFileStats(const std::vector<std::string>& paths,
                                      const format::Format* forced, const StatsOptions& options,
                                      std::optional<ExportCounts> export_counts) {
  StatsCollector collector(options);
  for (const std::string& path : paths) {
    collector.BeginFile(path, forced ? forced->name : "");
    DatasetVisitor visitor;
    std::string format_name;
    visitor.on_format = [&](const format::Format& format) { format_name = format.name; };
    visitor.on_example = [&](const Example& example, uint64_t) { return collector.Add(example); };
    visitor.on_unreadable = [&](uint64_t, const std::string&) {
      collector.AddUnreadable();
      return Status::Ok();
    };
    TP_RETURN_IF_ERROR(ReadDataset(path, forced, visitor));
    // The summary was opened before the format was known; name it now.
    collector.NameLastFileFormat(format_name);
  }
  if (export_counts) collector.SetExportCounts(std::move(*export_counts));
  return std::move(collector).Finish();
}

}  // namespace tunepack::report
