// The preview pane: the first examples exactly as the export would write them (for chat
// templates, the rendered text), each with its token count, and the inputs the export would
// reject among them, with the reason.

import { h, fill, byId } from "./dom.js";
import { formatCount } from "./units.js";

// An example's text as the export writes it: the rendered text, or its JSON record.
function exampleText(example) {
  if (typeof example.text === "string") return example.text;
  if (typeof example.line === "string") return example.line;
  if (example.record !== undefined) return JSON.stringify(example.record, null, 2);
  return JSON.stringify(example, null, 2);
}

function tokenCount(example) {
  const tokens = example.tokens ?? example.token_count;
  return Array.isArray(tokens) ? tokens.length : tokens;
}

function rejectionText(rejection) {
  const where = [rejection.input || rejection.source || rejection.file, rejection.line && `line ${rejection.line}`]
    .filter(Boolean).join(", ");
  const reason = rejection.reason || rejection.message || JSON.stringify(rejection);
  const detail = rejection.detail || rejection.details;
  return `${where ? `${where}: ` : ""}${reason}${typeof detail === "string" ? ` (${detail})` : ""}`;
}

export function showPreview(result) {
  const examples = result.examples || [];
  const rejections = result.rejected || result.rejections || [];
  const summary = `${examples.length} example${examples.length === 1 ? "" : "s"}` +
    (rejections.length ? `, ${rejections.length} rejected` : "");
  byId("preview-status").textContent = examples.length || rejections.length
    ? summary : "The inputs gave no examples with these options.";
  fill(byId("preview-examples"), examples.map((example, index) => {
    const count = tokenCount(example);
    return h("li", { class: "example" },
      h("div", { class: "example-head" },
        h("span", {}, `Example ${index + 1}`),
        count === undefined ? null : h("span", { class: "tokens" }, `${formatCount(count)} tokens`)),
      h("pre", { class: "example-text", tabindex: "0", "aria-label": `Example ${index + 1} text` },
        exampleText(example)));
  }));
  fill(byId("preview-rejections"), rejections.map((rejection) =>
    h("li", { class: "rejection" }, rejectionText(rejection))));
}

export function previewBusy(message) {
  byId("preview-status").textContent = message;
}
