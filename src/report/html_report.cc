#include "tunepack/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tunepack/core/html_escape.h"
#include "tunepack/report/stats_json.h"

namespace tunepack::report {
namespace {

// The page's only styling. System fonts only: a web font would need the network.
constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;background:#f6f8fa;margin:0}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:17px;margin:0 0 12px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
p.files{color:#57606a;margin:0;word-break:break-all}
p.note{color:#6e4b00;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
table{border-collapse:collapse}
td,th{padding:4px 16px 4px 0;text-align:left;vertical-align:top}
th{color:#57606a;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px}
.card{flex:0 1 160px;min-width:120px;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px}
.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.card .k{color:#57606a;font-size:12px}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#1f2328}
svg .bar{fill:#0969da}
svg .bar.red{fill:#cf222e}
svg .bar.green{fill:#1a7f37}
svg .axis{stroke:#8c959f;stroke-width:1}
svg .limit{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:4 3}
)";


// Formats a number exactly as stats.json does, so the page and the file agree byte for byte.
std::string Num(uint64_t value) { return std::to_string(value); }
std::string Num(double value) {
  return nlohmann::json(std::round(value * 10000.0) / 10000.0).dump();
}

// A value tagged with the stats.json path it mirrors.
template <typename T>
std::string Keyed(const std::string& key, T value) {
  return "<span data-key=\"" + EscapeHtml(key) + "\">" + Num(value) + "</span>";
}

std::string Card(const std::string& label, const std::string& value_html) {
  return "<div class=\"card\"><div class=\"v\">" + value_html + "</div><div class=\"k\">" +
         EscapeHtml(label) + "</div></div>";
}

std::string DistributionRow(const std::string& label, const std::string& key,
                            const LengthHistogram& h) {
  std::string row = "<tr><th>" + EscapeHtml(label) + "</th><td class=\"n\">" +
                    Keyed(key + ".min", h.min()) + "</td><td class=\"n\">" +
                    Keyed(key + ".mean", h.mean()) + "</td>";
  for (const auto& p : kPercentiles) {
    row += "<td class=\"n\">" + Keyed(key + "." + p.key, h.Percentile(p.fraction)) + "</td>";
  }
  return row + "<td class=\"n\">" + Keyed(key + ".max", h.max()) + "</td></tr>";
}

std::string DistributionHeader() {
  std::string row = "<tr><th></th><th>min</th><th>mean</th>";
  for (const auto& p : kPercentiles) row += std::string("<th>") + p.key + "</th>";
  return row + "<th>max</th></tr>";
}

// A horizontal bar chart: one labelled row per entry, values tagged with `key_prefix`.
std::string BarChart(const std::vector<std::pair<std::string, uint64_t>>& rows,
                     const std::string& key_prefix, const char* bar_class) {
  constexpr int kLabel = 180, kBar = 560, kRow = 26;
  uint64_t top = 1;
  for (const auto& [label, n] : rows) top = std::max(top, n);
  const int height = static_cast<int>(rows.size()) * kRow + 4;
  std::string svg = "<svg role=\"img\" width=\"" +
                    std::to_string(kLabel + kBar + 90) + "\" height=\"" + std::to_string(height) +
                    "\">";
  int y = 2;
  for (const auto& [label, n] : rows) {
    const double width = std::max(n ? 2.0 : 0.0, static_cast<double>(n) / static_cast<double>(top) * kBar);
    char bar[256];
    std::snprintf(bar, sizeof bar, "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                  bar_class, kLabel, y + 3, width, kRow - 8);
    svg += "<text x=\"" + std::to_string(kLabel - 8) + "\" y=\"" + std::to_string(y + 17) +
           "\" text-anchor=\"end\">" + EscapeHtml(label) + "</text>" + bar;
    char text_x[32];
    std::snprintf(text_x, sizeof text_x, "%.1f", kLabel + width + 6);
    svg += std::string("<text x=\"") + text_x + "\" y=\"" + std::to_string(y + 17) +
           "\" data-key=\"" + EscapeHtml(key_prefix + label) + "\">" + Num(n) + "</text>";
    y += kRow;
  }
  return svg + "</svg>";
}

// The token histogram: vertical bars, bin ranges on hover and under the axis, the context
// limit as a dashed red line when it falls inside the range.
std::string Histogram(const DatasetStats& s) {
  const std::vector<LengthHistogram::Bin> bins = s.tokens.Bins(kHistogramBins);
  if (bins.empty()) return "<p>No examples.</p>";
  constexpr int kLeft = 60, kTop = 12, kPlotW = 800, kPlotH = 220, kBottom = 44;
  uint64_t top = 1;
  for (const auto& bin : bins) top = std::max(top, bin.count);
  const double step = static_cast<double>(kPlotW) / static_cast<double>(bins.size());
  std::string svg = "<svg role=\"img\" width=\"" +
                    std::to_string(kLeft + kPlotW + 20) + "\" height=\"" +
                    std::to_string(kTop + kPlotH + kBottom) + "\">";
  char buf[512];
  const int base = kTop + kPlotH;
  std::snprintf(buf, sizeof buf,
                "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
                kLeft, base, kLeft + kPlotW, base, kLeft, kTop, kLeft, base, kLeft - 6, kTop + 10,
                static_cast<unsigned long long>(top), kLeft - 6, base);
  svg += buf;
  for (size_t i = 0; i < bins.size(); ++i) {
    const auto& bin = bins[i];
    const double h = static_cast<double>(bin.count) / static_cast<double>(top) * kPlotH;
    const double x = kLeft + i * step;
    std::snprintf(buf, sizeof buf,
                  "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "data-key=\"tokens.histogram.%zu.count\" data-value=\"%llu\"><title>%llu-%llu "
                  "tokens: %llu examples</title></rect>",
                  x + 1, base - h, std::max(1.0, step - 2), h, i,
                  static_cast<unsigned long long>(bin.count), static_cast<unsigned long long>(bin.from),
                  static_cast<unsigned long long>(bin.to), static_cast<unsigned long long>(bin.count));
    svg += buf;
  }
  // Axis labels at the first bin, the middle and the end, so they never overlap.
  std::vector<size_t> labelled = {0};
  if (bins.size() > 2) labelled.push_back(bins.size() / 2);
  for (size_t i : labelled) {
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%llu</text>",
                  kLeft + i * step, base + 16, static_cast<unsigned long long>(bins[i].from));
    svg += buf;
  }
  std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%llu</text>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">tokens per example</text>",
                kLeft + kPlotW, base + 16, static_cast<unsigned long long>(bins.back().to),
                kLeft + kPlotW / 2, base + 36);
  svg += buf;
  if (s.max_tokens > 0 && s.max_tokens >= bins.front().from && s.max_tokens <= bins.back().to) {
    const double span = static_cast<double>(bins.back().to + 1 - bins.front().from);
    const double x = kLeft + (static_cast<double>(s.max_tokens + 1 - bins.front().from) / span) * kPlotW;
    std::snprintf(buf, sizeof buf,
                  "<line class=\"limit\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                  "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" fill=\"#cf222e\">limit %llu</text>",
                  x, kTop, x, base, x - 4, kTop + 10, static_cast<unsigned long long>(s.max_tokens));
    svg += buf;
  }
  return svg + "</svg>";
}

std::vector<std::pair<std::string, uint64_t>> Rows(const std::map<std::string, uint64_t>& counts) {
  std::vector<std::pair<std::string, uint64_t>> rows(counts.begin(), counts.end());
  // Largest first; ties by name, so the order is deterministic.
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return rows;
}

}  // namespace

std::string HtmlReport(const DatasetStats& s) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>tunepack dataset report</title>\n<style>";
  html += kStyle;
  html += "</style>\n</head>\n<body>\n<main>\n<h1>Dataset report</h1>\n<p class=\"files\">";
  for (size_t i = 0; i < s.files.size(); ++i) {
    if (i) html += ", ";
    html += EscapeHtml(s.files[i].path) + " (" + EscapeHtml(s.files[i].format.empty() ? "empty" : s.files[i].format) + ")";
  }
  html += "</p>\n";

  // Summary cards.
  html += "<section>\n<h2>Summary</h2>\n<div class=\"cards\">";
  html += Card("records", Keyed("records", s.records));
  // A kind with no example is left out: a chat dataset has no "0 texts" card.
  if (s.conversations > 0) html += Card("conversations", Keyed("conversations", s.conversations));
  if (s.texts > 0) html += Card("texts", Keyed("texts", s.texts));
  html += Card("characters", Keyed("characters", s.characters));
  if (!s.tokenizer.empty()) {
    html += Card("tokens (" + s.tokenizer + ")", Keyed("tokens.total", s.tokens.sum()));
    if (s.max_tokens > 0) {
      html += Card("over " + Num(s.max_tokens) + " tokens",
                   Keyed("tokens.over_limit", s.tokens.CountAbove(s.max_tokens)));
    }
  }
  if (s.unreadable > 0) html += Card("unreadable records", Keyed("unreadable", s.unreadable));
  html += "</div>\n";
  if (s.tokenizer.empty()) {
    html += "<p class=\"note\">Token figures are omitted: no tokenizer was given "
            "(pass --tokenizer to count tokens).</p>\n";
  }
  const std::optional<double> cost = s.EstimatedCost();
  if (cost) {
    html += "<p>Estimated training cost: " + Keyed("cost.estimated", *cost) + " (" +
            Keyed("cost.billed_tokens", s.BilledTokens()) + " billed tokens = tokens with OpenAI's per-message overhead, up to " +
            Keyed("billing.cap", s.billing_cap) + " per example, &times; " +
            Keyed("cost.epochs", static_cast<uint64_t>(s.epochs)) + " epochs, at " +
            Keyed("cost.price_per_million", *s.price_per_million) + " per million tokens).</p>\n";
  }
  if (!s.tokenizer.empty() || s.conversations > 0) {
    html += "<table>" + DistributionHeader();
    if (!s.tokenizer.empty()) html += DistributionRow("tokens per example", "tokens.per_example", s.tokens);
    if (s.conversations > 0) html += DistributionRow("turns per conversation", "turns", s.turns);
    html += "</table>\n";
  }
  html += "</section>\n";

  if (s.files.size() > 1) {
    const bool splits = std::any_of(s.files.begin(), s.files.end(),
                                    [](const FileSummary& f) { return !f.split.empty(); });
    html += "<section>\n<h2>Files</h2>\n<table><tr><th>file</th><th>format</th>";
    if (splits) html += "<th>split</th>";
    html += "<th>records</th>";
    if (!s.tokenizer.empty()) html += "<th>tokens</th>";
    html += "</tr>";
    for (size_t i = 0; i < s.files.size(); ++i) {
      const FileSummary& f = s.files[i];
      const std::string key = "files." + std::to_string(i) + ".";
      html += "<tr><td>" + EscapeHtml(f.path) + "</td><td>" + EscapeHtml(f.format) + "</td>";
      if (splits) html += "<td>" + EscapeHtml(f.split) + "</td>";
      html += "<td class=\"n\">" + Keyed(key + "records", f.records) + "</td>";
      if (!s.tokenizer.empty()) html += "<td class=\"n\">" + Keyed(key + "tokens", f.tokens) + "</td>";
      html += "</tr>";
    }
    html += "</table>\n</section>\n";
  }

  if (!s.tokenizer.empty()) {
    html += "<section>\n<h2>Tokens per example</h2>\n" + Histogram(s) + "\n</section>\n";
    html += "<section>\n<h2>Tokens by role</h2>\n";
    html += s.tokens_by_role.empty() ? std::string("<p>No tokens.</p>")
                                     : BarChart(Rows(s.tokens_by_role), "tokens.by_role.", "green");
    html += "\n</section>\n";
  }

  if (s.export_counts) {
    const ExportCounts& e = *s.export_counts;
    html += "<section>\n<h2>Export ledger</h2>\n<div class=\"cards\">";
    html += Card("inputs", Keyed("export.inputs", e.inputs));
    html += Card("written", Keyed("export.written", e.written));
    html += Card("filtered", Keyed("export.filtered", e.filtered));
    html += Card("rejected", Keyed("export.rejected", e.rejected));
    html += Card("duplicates", Keyed("export.duplicates", e.duplicates()));
    if (e.examples_truncated > 0) html += Card("truncated", Keyed("export.examples_truncated", e.examples_truncated));
    html += "</div>\n<h2>Rejections by reason</h2>\n";
    html += e.rejected_by_reason.empty() ? std::string("<p>Nothing was rejected.</p>")
                                         : BarChart(Rows(e.rejected_by_reason), "export.rejected_by_reason.", "red");
    if (!e.filtered_by_reason.empty()) {
      html += "\n<h2>Filtered as asked, by reason</h2>\n";
      html += BarChart(Rows(e.filtered_by_reason), "export.filtered_by_reason.", "green");
    }
    html += "\n</section>\n";
  }

  html += "<section>\n<h2>Languages</h2>\n";
  html += s.languages.empty()
              ? std::string("<p>No record carries a language in its metadata (a <code>language</code> "
                            "field holding a code, or an object with a <code>code</code>).</p>")
              : BarChart(Rows(s.languages), "languages.", "");
  html += "\n</section>\n";

  if (!s.quality.empty()) {
    html += "<section>\n<h2>Quality scores</h2>\n<p>" + Keyed("quality.records", s.quality_records) +
            " records carry scores.</p>\n<table><tr><th>score</th><th>min</th><th>mean</th><th>max</th></tr>";
    for (const auto& [name, score] : s.quality) {
      const std::string key = "quality.scores." + name;
      html += "<tr><th>" + EscapeHtml(name) + "</th><td class=\"n\">" + Keyed(key + ".min", score.min) +
              "</td><td class=\"n\">" + Keyed(key + ".mean", score.mean()) + "</td><td class=\"n\">" +
              Keyed(key + ".max", score.max) + "</td></tr>";
    }
    html += "</table>\n</section>\n";
  }
  html += "</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace tunepack::report
