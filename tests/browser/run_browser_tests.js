// Browser end-to-end tests of the export dialog: Debian's chromium, headless, driven by
// playwright-core against a real `tunepack serve` on an ephemeral loopback port.
//
// Usage: node run_browser_tests.js --tunepack BUILD/tunepack --artifacts DIR [--stub] [--only NAME]
// --stub runs the page against tests/browser/stub_server.js instead (working on the page
// without building the server).
// Exit status 0 all passed, 1 a test failed, 77 skipped (no chromium). Screenshots of every
// step are written to DIR (kept as test artefacts).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startServer, hasServeCommand } = require("./server.js");
const { scenarios } = require("./scenarios.js");

const SKIP = 77;
const CHROMIUM = process.env.TP_CHROMIUM || "/usr/bin/chromium";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`SKIP: no chromium at ${CHROMIUM}; scripts/setup installs Debian's chromium.`);
    return SKIP;
  }
  let chromium;
  try {
    ({ chromium } = require(path.join(__dirname, "../peers/node_modules/playwright-core")));
  } catch {
    console.error("browser tests: playwright-core is not installed; run scripts/test-peers.");
    return 1;
  }
  const tunepack = option("--tunepack", "build/tunepack");
  const artifacts = path.resolve(option("--artifacts", "build/browser-artifacts"));
  const only = option("--only", "");
  const stub = process.argv.includes("--stub");
  if (stub) {
    console.log("NOTE: --stub: testing the page against tests/browser/stub_server.js, not tunepack serve.");
  } else if (!hasServeCommand(tunepack)) {
    console.error(`browser tests: ${tunepack} has no serve command (src/server is not built in this checkout).`);
    return 1;
  }
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "tunepack-browser-"));
  const root = path.join(work, "root");
  fs.mkdirSync(root);
  const token = `t${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const server = await startServer({ tunepack, stub, dataDir: path.join(work, "data"), token, roots: [root] });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  let failures = 0;
  try {
    for (const scenario of scenarios) {
      if (only && scenario.name !== only) continue;
      const started = Date.now();
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const problems = watchPage(page, server.origin);
      let step = 0;
      const shot = (label) => page.screenshot({
        path: path.join(artifacts, `${scenario.name}-${String(++step).padStart(2, "0")}-${label}.png`), fullPage: true,
      });
      try {
        await scenario.run({ page, context, origin: server.origin, token, root, work, artifacts, shot, stub });
        if (problems.length) throw new Error(`the page reported problems:\n  ${problems.join("\n  ")}`);
        console.log(`ok   ${scenario.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failures += 1;
        await shot("failure").catch(() => {});
        console.log(`FAIL ${scenario.name}: ${error.stack || error.message}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    const stopped = await server.stop();
    if (!stopped.clean) {
      failures += 1;
      console.log("FAIL the server did not stop within 10 s of SIGTERM (killed)");
    }
    if (failures) console.log(`server log:\n${server.stderr()}`);
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`screenshots: ${artifacts}`);
  return failures ? 1 : 0;
}

// Script errors, refused Content-Security-Policy checks and failed requests to the page's own
// files are defects even when the flow under test happens to work.
function watchPage(page, origin) {
  const problems = [];
  if (process.env.TP_BROWSER_DEBUG) {
    page.on("response", async (response) => {
      if (response.url().includes("/api/")) console.log(`  ${response.status()} ${response.request().method()} ${response.url()}`);
    });
  }
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    // Refused requests (4xx a test provokes on purpose) are logged by chromium as console
    // errors too; they are checked by the tests themselves.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
  page.on("requestfailed", (request) => {
    if (!request.url().startsWith(origin)) return;
    const failure = request.failure()?.errorText || "";
    if (failure.includes("ERR_ABORTED")) return;  // a stream or download the page closed itself
    problems.push(`request failed: ${request.url()} ${failure}`);
  });
  return problems;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error.stack || error.message);
  process.exit(1);
});
