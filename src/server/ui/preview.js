// The preview pane: the first examples exactly as the export would write them (`data`: the
// JSONL line; for chat-template, the rendered text), each with its token count, and the
// inputs the export would reject among them, with the reason.

import { h, fill, byId } from "./dom.js";
import { formatCount } from "./units.js";

function baseName(path) {
  return String(path).split("/").pop();
}

function exampleText(example) {
  return typeof example.data === "string" ? example.data : JSON.stringify(example, null, 2);
}

// `record` is 0-based in the API; people count from 1.
function place(item) {
  return [item.source && baseName(item.source), Number.isInteger(item.record) && `record ${item.record + 1}`]
    .filter(Boolean).join(", ");
}

function rejectionText(rejection) {
  const where = place(rejection);
  const detail = rejection.detail ? ` (${rejection.detail})` : "";
  return `${where ? `${where}: ` : ""}${rejection.reason || "rejected"}${detail}`;
}

export function showPreview(result) {
  const examples = result.examples || [];
  const rejections = result.rejections || [];
  const summary = `${result.more ? "The first " : ""}${examples.length} example${examples.length === 1 ? "" : "s"}` +
    (rejections.length ? `, ${rejections.length} rejected` : "") +
    (result.tokenizer ? `; tokens counted with ${result.tokenizer}` : "; choose a tokenizer to see token counts") + ".";
  byId("preview-status").textContent = examples.length || rejections.length
    ? summary : "The inputs gave no examples with these options.";
  fill(byId("preview-examples"), examples.map((example, index) => {
    const where = [example.split, place(example)].filter(Boolean).join(" · ");
    return h("li", { class: "example" },
      h("div", { class: "example-head" },
        h("span", {}, `Example ${index + 1}`, where ? ` · ${where}` : ""),
        Number.isInteger(example.tokens) ? h("span", { class: "tokens" }, `${formatCount(example.tokens)} tokens`) : null),
      h("pre", { class: "example-text", tabindex: "0", "aria-label": `Example ${index + 1} text` },
        exampleText(example)));
  }));
  fill(byId("preview-rejections"), rejections.map((rejection) =>
    h("li", { class: "rejection" }, rejectionText(rejection))));
}

export function previewBusy(message) {
  byId("preview-status").textContent = message;
}
