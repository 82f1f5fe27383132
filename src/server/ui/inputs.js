// The export's inputs: files uploaded from this computer (drag-and-drop or the file picker)
// and paths on the server (under one of its --root folders).

import { h, fill, byId } from "./dom.js";
import { upload } from "./api.js";
import { formatBytes } from "./units.js";

export class Inputs {
  constructor({ onChange = () => {}, onError = () => {} } = {}) {
    this.uploads = [];  // {file, id, state: "uploading" | "ready" | "failed", message}
    this.onChange = onChange;
    this.onError = onError;
    this.list = byId("upload-list");
    this.paths = byId("server-paths");
    const picker = byId("file-input");
    const zone = byId("drop-zone");
    picker.addEventListener("change", () => {
      this.add([...picker.files]);
      picker.value = "";
    });
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      this.add([...event.dataTransfer.files]);
    });
    this.paths.addEventListener("input", () => this.onChange());
  }

  add(files) {
    for (const file of files) {
      const entry = { file, id: null, state: "uploading", message: "" };
      this.uploads.push(entry);
      this.render();
      upload(file).then((result) => {
        entry.id = result.id;
        entry.state = "ready";
      }, (error) => {
        entry.state = "failed";
        entry.message = error.message;
        this.onError(`${file.name}: ${error.message}`);
      }).finally(() => {
        this.render();
        this.onChange();
      });
    }
  }

  // Adds a server path (from the browser) to the paths box, once.
  addPath(path) {
    const lines = this.paths.value.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    if (!lines.includes(path)) lines.push(path);
    this.paths.value = lines.join("\n");
    this.onChange();
  }

  remove(entry) {
    this.uploads = this.uploads.filter((other) => other !== entry);
    this.render();
    this.onChange();
  }

  busy() {
    return this.uploads.some((entry) => entry.state === "uploading");
  }

  // Upload ids and server paths, in the order the user gave them.
  values() {
    const ids = this.uploads.filter((entry) => entry.state === "ready").map((entry) => entry.id);
    const paths = this.paths.value.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    return [...ids, ...paths];
  }

  render() {
    fill(this.list, this.uploads.map((entry) => {
      const state = entry.state === "ready" ? formatBytes(entry.file.size)
        : entry.state === "uploading" ? "uploading…" : `failed: ${entry.message}`;
      return h("li", { class: `upload ${entry.state}` },
        h("span", { class: "upload-name" }, entry.file.name),
        h("span", { class: "upload-state" }, state),
        h("button", {
          type: "button", class: "quiet", "aria-label": `Remove ${entry.file.name}`,
          onclick: () => this.remove(entry),
        }, "Remove"));
    }));
  }
}
