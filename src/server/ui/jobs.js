// The list of export jobs the server knows (GET exports), newest first, with what can be done
// to each: show, cancel, resume, delete.

import { h, fill, byId } from "./dom.js";
import { request } from "./api.js";
import { formatCount } from "./units.js";

const ACTIVE = new Set(["queued", "running"]);
const RESUMABLE = new Set(["cancelled", "interrupted", "failed"]);
const POLL_MS = 3000;

export class JobList {
  constructor({ onShow = () => {}, onError = () => {} } = {}) {
    this.onShow = onShow;
    this.onError = onError;
    this.body = byId("job-rows");
    byId("refresh-jobs").addEventListener("click", () => this.refresh());
    this.timer = 0;
  }

  async refresh() {
    clearTimeout(this.timer);
    try {
      const result = await request("GET", "exports");
      const jobs = Array.isArray(result) ? result : result.exports || result.jobs || [];
      this.render(jobs);
      // Poll only while something is still moving.
      if (jobs.some((job) => ACTIVE.has(job.status))) {
        this.timer = setTimeout(() => this.refresh(), POLL_MS);
      }
    } catch (error) {
      this.onError(`Jobs: ${error.message}`);
    }
  }

  render(jobs) {
    byId("jobs-empty").hidden = jobs.length > 0;
    fill(this.body, jobs.map((job) => {
      const counts = job.counts || {};
      const written = counts.written ?? job.progress?.written;
      const rejected = counts.rejected ?? job.progress?.rejected;
      const actions = [
        h("button", { type: "button", class: "quiet", "aria-label": `Show job ${job.id}`, onclick: () => this.onShow(job.id) }, "Show"),
      ];
      if (ACTIVE.has(job.status)) actions.push(this.action("Cancel", job, "POST", "cancel"));
      if (RESUMABLE.has(job.status)) actions.push(this.action("Resume", job, "POST", "resume"));
      if (!ACTIVE.has(job.status)) actions.push(this.action("Delete", job, "DELETE", ""));
      return h("tr", { "data-job": job.id },
        h("td", {}, h("code", {}, job.id)),
        h("td", { class: `status status-${job.status}` }, job.status),
        h("td", {}, job.created_at ? new Date(job.created_at).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) : ""),
        h("td", { class: "number" }, written === undefined ? "" : formatCount(written)),
        h("td", { class: "number" }, rejected === undefined ? "" : formatCount(rejected)),
        h("td", { class: "actions" }, actions));
    }));
  }

  action(label, job, method, verb) {
    return h("button", {
      type: "button", class: "quiet", "aria-label": `${label} job ${job.id}`,
      onclick: async () => {
        if (label === "Delete" && !window.confirm(`Delete job ${job.id} and its files?`)) return;
        try {
          await request(method, `exports/${encodeURIComponent(job.id)}${verb ? `/${verb}` : ""}`);
          if (label === "Resume") this.onShow(job.id);
        } catch (error) {
          this.onError(`${label} job ${job.id}: ${error.message}`);
        }
        this.refresh();
      },
    }, label);
  }
}
