// The browser tests, one scenario each; run_browser_tests.js gives every scenario a fresh
// page at 1280x800 and fails it on any script error or Content-Security-Policy refusal.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const EXAMPLES = path.resolve(__dirname, "../../examples");

async function openDialog(page, origin, token) {
  await page.goto(`${origin}/?token=${encodeURIComponent(token)}`);
  await page.locator("#dialog[aria-busy=false]").waitFor();
}

// Unfolds an options group (they start folded) by its summary.
async function openGroup(page, name) {
  const group = page.locator("details.option-group", { has: page.locator("summary", { hasText: name }) });
  if (!(await group.evaluate((details) => details.open))) await group.locator("summary").click();
}

async function uploadFiles(page, files) {
  await page.locator("#file-input").setInputFiles(files);
  const items = page.locator("#upload-list li");
  await page.waitForFunction((count) => {
    const rows = document.querySelectorAll("#upload-list li");
    return rows.length === count && [...rows].every((row) => !row.classList.contains("uploading"));
  }, files.length);
  return items;
}

// Every control has an accessible name: a <label>, aria-label or aria-labelledby; buttons their text.
async function unlabelledControls(page) {
  return page.evaluate(() => [...document.querySelectorAll("input, select, textarea, button")]
    .filter((control) => !control.closest("[hidden]"))
    .filter((control) => {
      if (control.labels && control.labels.length) return false;
      if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) return false;
      return !(control.tagName === "BUTTON" && control.textContent.trim());
    })
    .map((control) => control.id || control.outerHTML.slice(0, 80)));
}

const scenarios = [
  {
    // Upload, options, preview, start, progress, download and the report, on a bundled example.
    name: "export_flow",
    async run({ page, origin, token, artifacts, shot }) {
      await openDialog(page, origin, token);
      assert.equal(new URL(page.url()).search, "", "the token is removed from the address bar");
      assert.equal(await page.evaluate(() => sessionStorage.getItem("tunepack-token")), token);
      assert.ok(await page.locator("details.option-group").count() > 0, "the options form is built from the schema");
      assert.deepEqual(await unlabelledControls(page), [], "every control has an accessible name");
      await shot("loaded");

      await uploadFiles(page, [path.join(EXAMPLES, "records/support-qa.jsonl")]);
      await page.getByRole("button", { name: "Remove support-qa.jsonl" }).waitFor();
      // Records of questions and answers become chat examples through the map option (a list).
      await openGroup(page, "Output");
      await page.getByLabel(/^Format/).selectOption("openai");
      await openGroup(page, "Mapping");
      await page.getByRole("textbox", { name: /^Map map$/ }).fill("user=question, assistant=answer");
      await openGroup(page, "Chunking and tokens");
      await page.getByRole("combobox", { name: /^Tokenizer/ }).fill("cl100k_base");
      assert.match(await page.locator("summary", { hasText: "Mapping" }).textContent(), /1 changed/);
      await shot("uploaded");

      await page.getByRole("button", { name: "Preview" }).click();
      const examples = page.locator("#preview-examples li");
      await examples.first().waitFor();
      const count = await examples.count();
      assert.ok(count > 0 && count <= 20, `the preview shows 1 to 20 examples (${count})`);
      for (const text of await page.locator("#preview-examples .tokens").allTextContents()) {
        assert.match(text, /^\d[\d,]* tokens$/);
      }
      const firstExample = await page.locator("#preview-examples .example-text").first().textContent();
      await shot("preview");

      await page.getByRole("button", { name: "Start export" }).click();
      await page.locator("#run-status[data-status=succeeded]").waitFor();
      assert.match(await page.locator("#run-status").textContent(), /Succeeded: \d+ examples written/);
      const progress = await page.locator("#run-progress").evaluate((bar) => [bar.value, bar.max]);
      assert.equal(progress[0], progress[1], "the progress bar is full");
      assert.equal(await page.getByRole("button", { name: "Cancel", exact: true }).isHidden(), true);
      await shot("finished");

      const download = page.getByRole("link", { name: "Download train.jsonl" });
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
      const saved = path.join(artifacts, `export_flow-${file.suggestedFilename()}`);
      await file.saveAs(saved);
      const lines = fs.readFileSync(saved, "utf8").split("\n").filter(Boolean);
      assert.ok(lines.length > 0, "the downloaded file has records");
      lines.forEach((line) => JSON.parse(line));
      assert.equal(lines[0], firstExample.trim(), "the preview's first example is the export's first line");

      const [report] = await Promise.all([page.context().waitForEvent("page"),
        page.getByRole("link", { name: "Open the report" }).click()]);
      await report.waitForLoadState();
      assert.match(await report.title(), /report/i);
      assert.ok(await report.locator("h1").count() > 0, "the report has its heading");
      // An inline style a Content-Security-Policy refuses never becomes a style sheet.
      assert.ok(await report.evaluate(() => document.styleSheets.length) > 0, "the report's own styles apply");
      await report.screenshot({ path: path.join(artifacts, "export_flow-report.png"), fullPage: true });
      await report.close();

      await page.locator("#job-rows tr td.status-succeeded").first().waitFor();
    },
  },
  {
    // A template error is listed at its line and column as the user types, and goes away when fixed.
    name: "template_error",
    async run({ page, origin, token, shot }) {
      await openDialog(page, origin, token);
      const editor = page.getByRole("textbox", { name: "Template", exact: true });
      await editor.fill("{{ question }}\n{{ answer \n");
      const error = page.locator("#template-errors li").first();
      await error.waitFor();
      assert.match(await error.textContent(), /^Line 2, column \d+: /);
      assert.equal(await editor.getAttribute("aria-invalid"), "true");
      assert.deepEqual(await page.locator("#template-gutter .error-line").allTextContents(), ["2"]);
      await shot("error");

      await error.getByRole("button").click();
      const caret = await editor.evaluate((area) => area.value.slice(0, area.selectionStart).split("\n").length);
      assert.equal(caret, 2, "choosing the error puts the caret on its line");

      await editor.fill("{{ question }}\n{{ answer }}\n");
      await page.locator("#template-status", { hasText: "Template OK." }).waitFor();
      assert.equal(await page.locator("#template-errors li").count(), 0);
      await shot("fixed");
    },
  },
  {
    // Cancel stops a running export; the job list shows it cancelled.
    name: "cancel",
    async run({ page, origin, token, shot, stub, root }) {
      if (!stub) bigInput(root);
      await openDialog(page, origin, token);
      if (stub) {
        await uploadFiles(page, [path.join(EXAMPLES, "records/support-qa.jsonl")]);
        await openGroup(page, "Run");
        await page.getByLabel(/^Slow/).check();
      } else {
        // Near dedup and a tokenizer make the export of 400,000 records last several seconds.
        await page.getByRole("button", { name: "Add big.jsonl" }).click();
        await openGroup(page, "Mapping");
        await page.getByRole("textbox", { name: /^Map map$/ }).fill("user=question, assistant=answer");
        await openGroup(page, "Deduplication");
        await page.getByLabel(/^Dedup dedup$/).selectOption("near");
        await openGroup(page, "Chunking and tokens");
        await page.getByRole("combobox", { name: /^Tokenizer/ }).fill("cl100k_base");
      }
      await page.getByRole("button", { name: "Start export" }).click();
      const cancel = page.getByRole("button", { name: "Cancel", exact: true });
      await cancel.waitFor();
      await shot("running");
      await cancel.click();
      await page.locator("#run-status[data-status=cancelled]").waitFor();
      assert.match(await page.locator("#run-status").textContent(), /Cancelled/);
      await page.locator("#job-rows tr td.status-cancelled").first().waitFor();
      await shot("cancelled");
    },
  },
  {
    // The server's roots can be browsed folder by folder; "Add" puts a path in the inputs.
    name: "browse",
    async run({ page, origin, token, root, shot }) {
      fs.mkdirSync(path.join(root, "docs"), { recursive: true });
      fs.copyFileSync(path.join(EXAMPLES, "docs/support-faq.txt"), path.join(root, "docs/support-faq.txt"));
      await openDialog(page, origin, token);
      await page.getByRole("button", { name: "Open folder docs" }).click();
      await page.getByRole("button", { name: "Add support-faq.txt" }).click();
      assert.match(await page.locator("#server-paths").inputValue(), /\/docs\/support-faq\.txt$/);
      assert.equal(await page.getByRole("button", { name: "Preview" }).isEnabled(), true);
      await shot("added");
      await page.getByRole("button", { name: "Up to the parent folder" }).click();
      await page.getByRole("button", { name: "Open folder docs" }).waitFor();
    },
  },
  {
    // Names and record text are shown as text, never interpreted as markup.
    name: "escaping",
    async run({ page, origin, token, work, shot }) {
      await openDialog(page, origin, token);
      const hostile = path.join(work, '<img src=x onerror="window.__pwned=1">.jsonl');
      fs.writeFileSync(hostile, '{"text": "<script>window.__pwned = 2</script><b>bold</b>"}\n');
      await uploadFiles(page, [hostile]);
      assert.equal(await page.locator("#upload-list img").count(), 0);
      assert.match(await page.locator("#upload-list .upload-name").first().textContent(), /^<img src=x/);
      await page.getByRole("button", { name: "Preview" }).click();
      await page.locator("#preview-status").filter({ hasNotText: "Loading" }).waitFor();
      await page.waitForFunction(() => !document.querySelector("#preview-status").textContent.startsWith("Loading"));
      assert.equal(await page.locator("#preview-examples script, #preview-examples b").count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      await shot("escaped");
    },
  },
  {
    // The page works in a narrow window (nothing wider than the screen) and by keyboard alone.
    name: "narrow_keyboard",
    async run({ page, origin, token, shot }) {
      await page.setViewportSize({ width: 380, height: 800 });
      await openDialog(page, origin, token);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 380px window`);
      const reached = new Set();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        reached.add(await page.evaluate(() => document.activeElement && document.activeElement.id));
      }
      for (const id of ["file-input", "server-paths", "refresh-jobs"]) {
        assert.ok(reached.has(id), `Tab reaches #${id}`);
      }
      // An options group opens with Enter on its summary; Tab then reaches its first control.
      await page.locator("details.option-group summary").first().focus();
      await page.keyboard.press("Enter");
      await page.keyboard.press("Tab");
      assert.match(await page.evaluate(() => document.activeElement.id), /^opt-/, "Tab reaches the options");
      await shot("narrow");
    },
  },
  {
    // Without the token the page says how to get it; with a wrong one, that the server refused it.
    name: "token",
    async run({ page, origin, shot }) {
      await page.goto(`${origin}/`);
      await page.getByRole("heading", { name: "No access token" }).waitFor();
      await page.goto(`${origin}/?token=wrong`);
      await page.locator("#messages", { hasText: "refused the token" }).waitFor();
      await page.evaluate(() => sessionStorage.clear());
      await shot("refused");
    },
  },
];

// A JSONL file under the server's root big enough that an export is still running when the
// test presses Cancel; returns its path.
function bigInput(root) {
  const file = path.join(root, "big.jsonl");
  if (!fs.existsSync(file)) {
    const lines = [];
    for (let i = 0; i < 400_000; i++) {
      lines.push(JSON.stringify({ question: `Question number ${i} about queues and workers?`,
        answer: `Answer ${i}: retries, visibility timeouts and dead letters behave as documented.` }));
    }
    fs.writeFileSync(file, lines.join("\n") + "\n");
  }
  return file;
}

module.exports = { scenarios };
