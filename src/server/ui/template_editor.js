// The template editor: a text area with line numbers whose text is checked by the server
// (POST templates/check) a moment after the user stops typing. Errors are listed as
// "line L, column C: message"; each one moves the caret to its place.

import { h, fill, byId, debounce } from "./dom.js";
import { request, ApiError } from "./api.js";

const CHECK_DELAY_MS = 300;

// The server answers {errors: [{line, column, message}]}; a refused request carries the
// same facts in error.details.
function errorsOf(result) {
  if (!result) return [];
  if (Array.isArray(result.errors)) return result.errors;
  if (Array.isArray(result.diagnostics)) return result.diagnostics;
  return [];
}

export class TemplateEditor {
  constructor({ onChange = () => {} } = {}) {
    this.text = byId("template-text");
    this.gutter = byId("template-gutter");
    this.status = byId("template-status");
    this.list = byId("template-errors");
    this.errors = [];
    this.sequence = 0;
    this.onChange = onChange;
    const check = debounce(() => this.check(), CHECK_DELAY_MS);
    this.text.addEventListener("input", () => {
      this.renderGutter();
      check();
      this.onChange();
    });
    this.text.addEventListener("scroll", () => {
      this.gutter.scrollTop = this.text.scrollTop;
    });
    this.renderGutter();
  }

  value() {
    return this.text.value;
  }

  hasErrors() {
    return this.errors.length > 0;
  }

  async check() {
    const sequence = ++this.sequence;
    const template = this.text.value;
    if (template.trim() === "") {
      this.show([], "");
      return;
    }
    this.status.textContent = "Checking…";
    let errors;
    try {
      errors = errorsOf(await request("POST", "templates/check", { json: { template } }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const details = error.details || {};
      errors = errorsOf(details).length ? errorsOf(details)
        : [{ line: details.line, column: details.column, message: error.message }];
    }
    if (sequence !== this.sequence) return;  // the user typed again meanwhile
    this.show(errors, errors.length ? "" : "Template OK.");
  }

  show(errors, statusText) {
    this.errors = errors;
    this.status.textContent = errors.length
      ? `${errors.length} error${errors.length === 1 ? "" : "s"} in the template.` : statusText;
    this.text.setAttribute("aria-invalid", errors.length ? "true" : "false");
    fill(this.list, errors.map((error) => h("li", {},
      h("button", {
        type: "button", class: "link template-error",
        onclick: () => this.goTo(error.line, error.column),
      }, error.line ? `Line ${error.line}, column ${error.column || 1}: ${error.message}` : error.message))));
    this.renderGutter();
  }

  renderGutter() {
    const lines = this.text.value.split("\n").length;
    const errorLines = new Set(this.errors.map((error) => error.line));
    const numbers = [];
    for (let line = 1; line <= lines; line++) {
      numbers.push(h("span", { class: errorLines.has(line) ? "line error-line" : "line" }, String(line)));
    }
    fill(this.gutter, numbers);
    this.gutter.scrollTop = this.text.scrollTop;
  }

  // Puts the caret at line:column (both 1-based).
  goTo(line, column) {
    if (!line) return;
    const lines = this.text.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, (column || 1) - 1);
    this.text.focus();
    this.text.setSelectionRange(offset, offset);
  }
}
