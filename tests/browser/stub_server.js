// A stand-in for `tunepack serve` with the same command line and the few endpoints the dialog
// uses, for working on the page without building the C++ server
// (run_browser_tests.js --stub). The tests in CTest run against the real server.
//
// Usage: node stub_server.js --port 0 --data-dir DIR --token T
"use strict";
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const token = arg("--token", "stub");
const dataDir = arg("--data-dir", fs.mkdtempSync("/tmp/tunepack-stub-"));
const uiDir = path.resolve(__dirname, "../../src/server/ui");
const roots = args.flatMap((value, i) => (args[i - 1] === "--root" ? [path.resolve(value)] : []));
fs.mkdirSync(dataDir, { recursive: true });

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".jsonl": "application/jsonl", ".json": "application/json" };

// Shaped like the real schema (GET options): JSON names, x-group, x-decides-output.
const OPTIONS = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    inputs: { type: "array", items: { type: "string" }, description: "Upload ids or paths under a root", "x-group": "Input" },
    from: { type: "string", enum: ["", "openai", "sharegpt", "alpaca"], default: "",
      description: "Read records as this dataset format instead of detecting it", "x-group": "Input", "x-decides-output": true },
    template: { type: "string", default: "", description: "Jinja2 template file", "x-group": "Mapping", "x-decides-output": true },
    map: { type: "array", items: { type: "string" }, default: [], description: "Records: build a conversation turn ROLE=FIELD",
      "x-group": "Mapping", "x-decides-output": true },
    tokenizer: { type: "string", default: "", description: "Tokenizer for chunking and token counts",
      "x-group": "Chunking and tokens", "x-decides-output": true },
    max_tokens: { type: "integer", default: 0, minimum: 0, description: "Split text examples into chunks of at most N tokens",
      "x-group": "Chunking and tokens", "x-decides-output": true },
    overlap: { type: "number", default: 0, description: "Tokens repeated from the previous chunk",
      "x-group": "Chunking and tokens", "x-decides-output": true },
    redact_pii: { type: "boolean", default: false, description: "Replace e-mail addresses and phone numbers",
      "x-group": "Cleaning and filters", "x-decides-output": true },
    pii_kinds: { type: "array", items: { type: "string", enum: ["email", "phone", "ip", "secret"] },
      default: ["email", "phone", "ip", "secret"], description: "With redact-pii, only these kinds",
      "x-group": "Cleaning and filters", "x-decides-output": true },
    dedup: { type: "string", enum: ["off", "exact", "near", "both"], default: "exact", description: "Drop duplicates",
      "x-group": "Deduplication", "x-decides-output": true },
    format: { type: "string", enum: ["jsonl", "openai", "sharegpt", "alpaca", "text", "chat-template"], default: "jsonl",
      description: "Output format", "x-group": "Output", "x-decides-output": true },
    split: { type: "string", default: "train=1", description: "Splits by content hash", "x-group": "Output", "x-decides-output": true },
    slow: { type: "boolean", default: false, description: "Stub only: run for ten seconds", "x-group": "Run" },
  },
  additionalProperties: false,
};

const uploads = new Map();
const jobs = new Map();
let nextJob = 1;

function send(res, status, body, headers = {}) {
  const text = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(text);
}
function fail(res, status, code, message, details = {}) {
  send(res, status, { error: { code, message, details } });
}
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

function examplesOf(request) {
  const examples = [];
  const rejections = [];
  for (const id of request.inputs || []) {
    const upload = uploads.get(id);
    if (!upload) continue;
    upload.body.toString("utf8").split("\n").forEach((line, record) => {
      if (!line.trim()) return;
      try {
        JSON.parse(line);
        examples.push({ split: "train", source: upload.name, record, data: line,
          tokens: request.tokenizer ? line.split(/\s+/).length : null });
      } catch {
        rejections.push({ source: upload.name, record, reason: "malformed_json", detail: "not JSON" });
      }
    });
  }
  return { examples, rejections };
}

function checkTemplate(template) {
  const errors = [];
  template.split("\n").forEach((line, i) => {
    for (const [open, close] of [["{{", "}}"], ["{%", "%}"]]) {
      const at = line.indexOf(open);
      if (at >= 0 && line.indexOf(close, at) < 0) {
        errors.push({ line: i + 1, column: at + 1, message: `unclosed '${open}'` });
      }
    }
  });
  return errors;
}

function publicJob(job) {
  const { timer, listeners, events, key, request, ...rest } = job;
  return rest;
}

function emit(job, event, data) {
  const entry = { id: job.events.length + 1, event, data };
  job.events.push(entry);
  for (const res of job.listeners) writeEvent(res, entry);
  if (event === "run_finished") {
    for (const res of job.listeners) res.end();
    job.listeners.clear();
  }
}
function writeEvent(res, entry) {
  res.write(`id: ${entry.id}\nevent: ${entry.event}\ndata: ${JSON.stringify(entry.data)}\n\n`);
}

function runJob(job, steps) {
  const dir = path.join(dataDir, job.id);
  fs.mkdirSync(dir, { recursive: true });
  const { examples } = examplesOf(job.request);
  const total = job.inputs.reduce((n, id) => n + (uploads.get(id)?.body.length || 0), 0);
  let step = 0;
  job.status = "running";
  emit(job, "run_started", { inputs: job.inputs.length, bytes_total: total });
  const tick = () => {
    if (job.status !== "running") return;
    step += 1;
    const done = Math.round((total * step) / steps);
    job.progress = { inputs: job.inputs.length, bytes_done: done, bytes_total: total,
      written: Math.round((examples.length * step) / steps), rejected: 0, elapsed_seconds: step * 0.1 };
    emit(job, "progress", job.progress);
    if (step < steps) {
      job.timer = setTimeout(tick, 100);
      return;
    }
    fs.writeFileSync(path.join(dir, "train.jsonl"), examples.map((e) => e.data + "\n").join(""));
    fs.writeFileSync(path.join(dir, "report.html"),
      "<!doctype html><title>stub report</title><style>h1{color:rgb(200, 0, 0)}</style><h1>Stub report</h1>");
    job.status = "succeeded";
    job.counts = { written: examples.length, rejected: 0 };
    job.files = ["train.jsonl", "report.html"].map((name) => ({ name,
      bytes: fs.statSync(path.join(dir, name)).size, url: `/api/v1/exports/${job.id}/files/${name}?key=${job.key}` }));
    emit(job, "run_finished", { ...job.progress, status: "succeeded" });
  };
  job.timer = setTimeout(tick, 100);
}

async function api(req, res, route, query) {
  const parts = route.split("/").filter(Boolean);
  const keyed = parts[0] === "exports" && parts[2] === "files" && jobs.get(parts[1])?.key === query.get("key");
  if (!keyed && req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, "unauthorized", "missing or wrong token");
  const body = req.method === "POST" ? await readBody(req) : Buffer.alloc(0);
  const json = () => JSON.parse(body.toString("utf8") || "{}");
  const key = `${req.method} ${parts[0]}`;
  if (key === "GET options") return send(res, 200, OPTIONS);
  if (key === "GET formats") return send(res, 200, { formats: OPTIONS.properties.format.enum.map((name) => ({ name })) });
  if (key === "GET tokenizers") return send(res, 200, { tokenizers: [{ name: "cl100k_base" }, { name: "o200k_base" }] });
  if (key === "POST uploads") {
    const id = `u${uploads.size + 1}`;
    uploads.set(id, { name: query.get("name"), body });
    return send(res, 201, { id, name: query.get("name"), bytes: body.length });
  }
  if (key === "POST templates") {
    const errors = checkTemplate(json().template || "");
    return send(res, 200, { ok: errors.length === 0, errors });
  }
  if (key === "GET roots") return send(res, 200, { roots });
  if (key === "GET browse") {
    const dir = query.get("path");
    if (!roots.some((root) => dir === root || dir.startsWith(`${root}/`))) return fail(res, 403, "permission_denied", "not under a root");
    const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith(".")).sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((e) => ({ name: e.name, path: path.join(dir, e.name), type: e.isDirectory() ? "folder" : "file",
        ...(e.isDirectory() ? {} : { bytes: fs.statSync(path.join(dir, e.name)).size }) }));
    return send(res, 200, { path: dir, entries });
  }
  if (key === "POST preview") {
    const request = json();
    if (request.max_tokens !== undefined && request.max_tokens < 1) {
      return fail(res, 400, "invalid_option", "max_tokens must be at least 1", { option: "max_tokens" });
    }
    const { examples, rejections } = examplesOf(request);
    const limit = request.limit || 20;
    return send(res, 200, { format: request.format || "jsonl", tokenizer: request.tokenizer || "",
      examples: examples.slice(0, limit), rejections, more: examples.length > limit });
  }
  if (key === "POST exports" && parts.length === 1) {
    const request = json();
    const unknown = Object.keys(request).find((name) => !(name in OPTIONS.properties));
    if (unknown) return fail(res, 400, "invalid_argument", `${unknown}: unknown option`, { option: unknown });
    const job = { id: `job${nextJob++}`, key: Math.random().toString(36).slice(2), status: "queued", inputs: request.inputs, request, created_at: new Date().toISOString(),
      progress: {}, counts: {}, files: [], events: [], listeners: new Set() };
    jobs.set(job.id, job);
    runJob(job, request.slow ? 100 : 8);
    return send(res, 202, { id: job.id, status: job.status });
  }
  if (key === "GET exports" && parts.length === 1) return send(res, 200, { exports: [...jobs.values()].reverse().map(publicJob) });
  const job = jobs.get(parts[1]);
  if (!job) return fail(res, 404, "not_found", "no such job");
  if (req.method === "GET" && parts.length === 2) return send(res, 200, publicJob(job));
  if (req.method === "DELETE" && parts.length === 2) {
    jobs.delete(job.id);
    return send(res, 200, { id: job.id, deleted: true });
  }
  if (req.method === "POST" && parts[2] === "cancel") {
    clearTimeout(job.timer);
    job.status = "cancelled";
    emit(job, "run_finished", { ...job.progress, status: "cancelled" });
    return send(res, 200, publicJob(job));
  }
  if (req.method === "GET" && parts[2] === "events") {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });
    const after = Number(req.headers["last-event-id"] || 0);
    for (const entry of job.events.filter((e) => e.id > after)) writeEvent(res, entry);
    if (job.status === "running" || job.status === "queued") {
      job.listeners.add(res);
      req.on("close", () => job.listeners.delete(res));
    } else {
      res.end();
    }
    return;
  }
  if (req.method === "GET" && parts[2] === "files") {
    const file = path.join(dataDir, job.id, path.basename(parts[3]));
    if (!fs.existsSync(file)) return fail(res, 404, "not_found", "no such file");
    return send(res, 200, fs.readFileSync(file), { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
  }
  return fail(res, 404, "not_found", `no route ${req.method} ${route}`);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname.startsWith("/api/v1/")) {
    api(req, res, url.pathname.slice("/api/v1/".length), url.searchParams)
      .catch((error) => fail(res, 400, "bad_request", error.message));
    return;
  }
  const name = url.pathname === "/" ? "index.html" : url.pathname.slice(1);
  const file = path.join(uiDir, path.basename(name));
  if (name.includes("/") || !fs.existsSync(file)) return fail(res, 404, "not_found", "no such page");
  res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "text/plain", "Content-Security-Policy": CSP });
  res.end(fs.readFileSync(file));
});
server.listen(Number(arg("--port", "0")), "127.0.0.1", () => {
  process.stderr.write(`tunepack serve (stub): http://127.0.0.1:${server.address().port}/?token=${token}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
