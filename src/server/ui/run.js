// One export job on screen: live progress from its event stream (a bar, records written and
// rejected, rate and time left), a Cancel button, and when it ends the download links and the
// report.

import { h, fill, byId } from "./dom.js";
import { request, streamEvents } from "./api.js";
import { formatBytes, formatDuration, formatCount } from "./units.js";

const ACTIVE = new Set(["queued", "running"]);
const FINAL_EVENTS = new Set(["run_finished", "finished"]);

export class RunView {
  constructor({ onStatus = () => {}, onError = () => {} } = {}) {
    this.onStatus = onStatus;
    this.onError = onError;
    this.job = null;
    this.watch = null;  // AbortController of the event stream being read
    this.bar = byId("run-progress");
    this.cancelButton = byId("cancel-export");
    this.cancelButton.addEventListener("click", () => this.cancel());
  }

  // Shows job `id`; follows its events while it runs.
  async show(id) {
    if (this.watch) this.watch.abort();
    this.watch = null;
    byId("run-panel").hidden = false;
    fill(byId("run-files"));
    fill(byId("run-report"));
    fill(byId("run-notes"));
    byId("run-stats").textContent = "";
    byId("run-stage").textContent = "";
    this.bar.max = 1;
    this.bar.value = 0;
    byId("run-job").textContent = `Job ${id}`;
    this.progress = { started: performance.now() };
    const job = await request("GET", `exports/${encodeURIComponent(id)}`);
    this.render(job);
    if (ACTIVE.has(job.status)) this.follow(id);
  }

  follow(id) {
    const watch = new AbortController();
    this.watch = watch;
    streamEvents(`exports/${encodeURIComponent(id)}/events`, (event) => this.onEvent(event), watch.signal)
      .then(() => this.refresh(id), (error) => {
        if (watch.signal.aborted) return;
        this.onError(`Events of job ${id}: ${error.message}`);
        return this.refresh(id);
      })
      .catch((error) => this.onError(error.message));
  }

  async refresh(id) {
    if (!this.job || this.job.id !== id) return;
    const job = await request("GET", `exports/${encodeURIComponent(id)}`);
    this.render(job);
    // The stream can end while the job is still being finalised; look again shortly.
    if (ACTIVE.has(job.status) && !(this.watch && !this.watch.signal.aborted)) {
      setTimeout(() => this.refresh(id), 500);
    }
  }

  onEvent(event) {
    const data = event.data || {};
    if (event.event === "warning") this.note(`Warning: ${data.message || ""}`);
    if (data.bytes_total !== undefined || data.written !== undefined) this.renderProgress(data);
    if (event.event === "stage" && data.stage) {
      byId("run-stage").textContent = `Stage: ${data.stage}` + (data.total ? ` (${formatCount(data.done)} of ${formatCount(data.total)})` : "");
    }
    if (event.event === "input_started" && data.path) {
      byId("run-stage").textContent = `Reading ${String(data.path).split("/").pop()}`;
    }
    if (FINAL_EVENTS.has(event.event)) {
      this.watch = null;
      this.refresh(this.job.id);
    }
  }

  note(text) {
    byId("run-notes").append(h("li", {}, text));
  }

  renderProgress(data) {
    const done = data.bytes_done ?? 0;
    const total = data.bytes_total ?? 0;
    if (total > 0) {
      this.bar.max = total;
      this.bar.value = Math.min(done, total);
      this.bar.setAttribute("aria-valuetext", `${Math.floor((100 * Math.min(done, total)) / total)}%`);
    }
    const elapsed = data.elapsed_seconds ?? (performance.now() - this.progress.started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const parts = [
      `${formatBytes(done)} of ${formatBytes(total)}`,
      `${formatCount(data.written ?? 0)} written`,
      `${formatCount(data.rejected ?? 0)} rejected`,
    ];
    if (data.inputs !== undefined) parts.push(`${formatCount(data.inputs)} inputs`);
    if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
    if (rate > 0 && total > done) parts.push(`about ${formatDuration((total - done) / rate)} left`);
    byId("run-stats").textContent = parts.join(" · ");
  }

  render(job) {
    this.job = job;
    const status = job.status;
    byId("run-status").textContent = statusText(job);
    byId("run-status").dataset.status = status;
    this.cancelButton.hidden = !ACTIVE.has(status);
    if (job.progress) this.renderProgress({ ...job.progress, elapsed_seconds: job.progress.elapsed_seconds });
    if (status === "succeeded" && !(job.progress && job.progress.bytes_total)) {
      this.bar.max = 1;
      this.bar.value = 1;
    }
    this.renderFiles(job);
    this.onStatus(job);
  }

  // Each file's URL carries the job's download key (not the token), so downloads and the
  // report are plain links; the token never appears in an address.
  renderFiles(job) {
    const files = (job.files || []).filter((file) => file.url);
    fill(byId("run-files"), files.map((file) => h("li", {},
      h("a", { href: file.url, download: file.name }, `Download ${file.name}`),
      file.bytes !== undefined ? h("span", { class: "file-size" }, ` ${formatBytes(file.bytes)}`) : null)));
    // The report opens as its own page: the server sends it sandboxed, with its own policy.
    const report = files.find((file) => file.name === "report.html");
    fill(byId("run-report"), report
      ? h("a", { href: report.url, target: "_blank", rel: "noopener noreferrer", class: "button" }, "Open the report")
      : null);
  }

  async cancel() {
    if (!this.job) return;
    this.cancelButton.disabled = true;
    try {
      await request("POST", `exports/${encodeURIComponent(this.job.id)}/cancel`);
      await this.refresh(this.job.id);
    } catch (error) {
      this.onError(`Cancel: ${error.message}`);
    } finally {
      this.cancelButton.disabled = false;
    }
  }
}

export function statusText(job) {
  const counts = job.counts || {};
  const written = counts.written ?? job.progress?.written;
  switch (job.status) {
    case "succeeded":
      return `Succeeded: ${formatCount(written ?? 0)} examples written.`;
    case "failed":
      return `Failed: ${job.error?.message || job.error || "see the job's events"}.`;
    case "cancelled":
      return "Cancelled. Resume continues where it stopped.";
    case "interrupted":
      return "Interrupted (the server stopped). Resume continues where it stopped.";
    case "queued":
      return "Queued.";
    case "running":
      return "Running…";
    default:
      return job.status;
  }
}
