// The export dialog: wires the inputs, the options form (built from the server's options
// schema), the template editor, the preview, the running job and the job list together.

import { byId, debounce } from "./dom.js";
import { takeTokenFromAddress, request, upload, ApiError } from "./api.js";
import { OptionsForm } from "./options_form.js";
import { Inputs } from "./inputs.js";
import { TemplateEditor } from "./template_editor.js";
import { showPreview, previewBusy } from "./preview.js";
import { RunView } from "./run.js";
import { JobList } from "./jobs.js";
import { Browser } from "./browse.js";

const PREVIEW_LIMIT = 20;
// Request fields the page fills from its own panels rather than from the options form.
const PANEL_FIELDS = ["inputs", "limit"];
// The option naming the template file; the editor's text is uploaded and passed as its id.
const TEMPLATE_FIELD = "template";

function say(message) {
  byId("messages").textContent = message;
}

function names(list, key) {
  const items = Array.isArray(list) ? list : (list && list[key]) || [];
  return items.map((item) => (typeof item === "string" ? item : item.name)).filter(Boolean);
}

class Dialog {
  async start() {
    if (!takeTokenFromAddress()) {
      byId("no-token").hidden = false;
      byId("dialog").hidden = true;
      return;
    }
    const [schema, formats, tokenizers] = await Promise.all([
      request("GET", "options"),
      request("GET", "formats").catch(() => []),
      request("GET", "tokenizers").catch(() => []),
    ]);
    const properties = schema.properties || {};
    this.hasTemplate = TEMPLATE_FIELD in properties;
    byId("template-panel").hidden = !this.hasTemplate;
    this.templateUpload = { text: null, id: null };

    this.previewShown = false;
    const previewSoon = debounce(() => this.preview(), 600);
    const optionsChanged = (name, decidesOutput) => {
      if (this.previewShown && decidesOutput) previewSoon();
    };
    this.options = new OptionsForm(byId("options"), schema, {
      hidden: this.hasTemplate ? [...PANEL_FIELDS, TEMPLATE_FIELD] : PANEL_FIELDS,
      onChange: optionsChanged,
    });
    this.options.setChoices("format", names(formats, "formats"));
    this.options.setChoices("tokenizer", names(tokenizers, "tokenizers"));

    this.inputs = new Inputs({
      onChange: () => {
        this.updateButtons();
        if (this.previewShown) previewSoon();
      },
      onError: say,
    });
    this.browser = new Browser({ onAdd: (path) => this.inputs.addPath(path), onError: say });
    this.browser.start();
    this.template = new TemplateEditor({ onChange: () => this.previewShown && previewSoon() });
    this.run = new RunView({ onStatus: () => this.jobs.refresh(), onError: say });
    this.jobs = new JobList({ onShow: (id) => this.showJob(id), onError: say });

    byId("preview-button").addEventListener("click", () => this.preview());
    byId("start-button").addEventListener("click", () => this.startExport());
    this.updateButtons();
    this.jobs.refresh();
    byId("dialog").setAttribute("aria-busy", "false");
  }

  updateButtons() {
    const ready = this.inputs.values().length > 0 && !this.inputs.busy();
    byId("preview-button").disabled = !ready;
    byId("start-button").disabled = !ready;
  }

  // The request body shared by preview and export: inputs plus the changed options. The
  // template option names a file, so the editor's text is uploaded (again only once changed).
  async body() {
    this.options.clearErrors();
    const body = { ...this.options.values(), inputs: this.inputs.values() };
    const text = this.hasTemplate ? this.template.value() : "";
    if (text.trim() !== "") {
      if (this.templateUpload.text !== text) {
        const stored = await upload(new File([text], "template.j2", { type: "text/plain" }));
        this.templateUpload = { text, id: stored.id };
      }
      body[TEMPLATE_FIELD] = this.templateUpload.id;
    }
    return body;
  }

  // Shows a refused request at the option it names, if any.
  report(error, what) {
    if (error instanceof ApiError) {
      const option = error.details && error.details.option;
      if (option && this.options.showError(option, error.message)) {
        say(`${what}: ${option}: ${error.message}`);
        this.options.control(option).focus();
        return;
      }
      say(`${what}: ${error.message}`);
      return;
    }
    say(`${what}: ${error.message}`);
  }

  async preview() {
    let body;
    try {
      body = await this.body();
    } catch (error) {
      this.report(error, "Preview");
      return;
    }
    if (body.inputs.length === 0) return;
    const sequence = (this.previewSequence = (this.previewSequence || 0) + 1);
    previewBusy("Loading the preview…");
    try {
      const result = await request("POST", "preview", { json: { ...body, limit: PREVIEW_LIMIT } });
      if (sequence !== this.previewSequence) return;
      this.previewShown = true;
      showPreview(result);
      say("");
    } catch (error) {
      if (sequence !== this.previewSequence) return;
      previewBusy("No preview: the server refused the request.");
      this.report(error, "Preview");
    }
  }

  async startExport() {
    let body;
    try {
      body = await this.body();
    } catch (error) {
      this.report(error, "Start");
      return;
    }
    byId("start-button").disabled = true;
    try {
      const job = await request("POST", "exports", { json: body });
      say("");
      await this.showJob(job.id);
    } catch (error) {
      this.report(error, "Start");
    } finally {
      this.updateButtons();
    }
  }

  async showJob(id) {
    try {
      await this.run.show(id);
      byId("run-panel").scrollIntoView({ block: "nearest" });
    } catch (error) {
      say(`Job ${id}: ${error.message}`);
    }
  }
}

new Dialog().start().catch((error) => {
  say(error instanceof ApiError && error.status === 401
    ? "The server refused the token. Open the address tunepack serve printed."
    : `The dialog could not start: ${error.message}`);
});
