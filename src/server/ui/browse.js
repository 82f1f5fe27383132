// Picking inputs on the server: the folders under its --root options (GET roots), browsed one
// folder at a time (GET browse?path=). "Add" puts an entry's path in the server paths box.

import { h, fill, byId } from "./dom.js";
import { request } from "./api.js";
import { formatBytes } from "./units.js";

export class Browser {
  constructor({ onAdd = () => {}, onError = () => {} } = {}) {
    this.onAdd = onAdd;
    this.onError = onError;
    this.roots = [];
    this.path = "";
  }

  async start() {
    const result = await request("GET", "roots").catch(() => ({ roots: [] }));
    this.roots = result.roots || [];
    byId("browse-panel").hidden = this.roots.length === 0;
    byId("uploads-only").hidden = this.roots.length > 0;
    if (this.roots.length) await this.open(this.roots[0]);
  }

  rootOf(path) {
    return this.roots.find((root) => path === root || path.startsWith(`${root}/`));
  }

  async open(path) {
    let listing;
    try {
      listing = await request("GET", `browse?path=${encodeURIComponent(path)}`);
    } catch (error) {
      this.onError(`${path}: ${error.message}`);
      return;
    }
    this.path = listing.path;
    byId("browse-path").textContent = listing.path;
    const root = this.rootOf(listing.path);
    const up = root && listing.path !== root ? listing.path.slice(0, listing.path.lastIndexOf("/")) : null;
    const rows = [];
    if (up) {
      rows.push(h("li", { class: "entry" }, h("button", {
        type: "button", class: "link", "aria-label": "Up to the parent folder", onclick: () => this.open(up),
      }, "..")));
    }
    for (const entry of listing.entries || []) {
      const folder = entry.type === "folder";
      rows.push(h("li", { class: `entry ${folder ? "folder" : "file"}` },
        folder
          ? h("button", { type: "button", class: "link", "aria-label": `Open folder ${entry.name}`, onclick: () => this.open(entry.path) }, `${entry.name}/`)
          : h("span", { class: "entry-name" }, entry.name),
        folder ? null : h("span", { class: "entry-size" }, formatBytes(entry.bytes)),
        h("button", { type: "button", class: "quiet", "aria-label": `Add ${entry.name}`, onclick: () => this.onAdd(entry.path) }, "Add")));
    }
    if (!rows.length) rows.push(h("li", { class: "entry empty" }, "This folder is empty."));
    fill(byId("browse-entries"), rows);
    if (this.roots.length > 1) this.renderRoots();
  }

  renderRoots() {
    fill(byId("browse-roots"), this.roots.map((root) => h("button", {
      type: "button", class: "quiet", "aria-pressed": String(this.rootOf(this.path) === root), onclick: () => this.open(root),
    }, root)));
  }
}
