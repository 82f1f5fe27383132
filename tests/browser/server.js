// Starts `tunepack serve --port 0` (or the stub) for the browser tests and reads the port it
// chose from its stderr.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const path = require("node:path");

const PORT_PATTERN = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)/;

// Whether the binary lists a `serve` subcommand in its help.
function hasServeCommand(tunepack) {
  const result = spawnSync(tunepack, ["--help"], { encoding: "utf8", timeout: 10_000 });
  return result.status === 0 && /^\s+serve\s/m.test(result.stdout);
}

// -> {url, port, stop(), stderr()} once the server listens.
function startServer({ tunepack, stub, dataDir, token, roots = [] }) {
  const args = ["serve", "--port", "0", "--data-dir", dataDir, "--token", token];
  for (const root of roots) args.push("--root", root);
  const child = stub
    ? spawn(process.execPath, [path.join(__dirname, "stub_server.js"), ...args.slice(1)], { stdio: ["ignore", "ignore", "pipe"] })
    : spawn(tunepack, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  let listening = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no address within 15 s:\n${log}`)), 15_000);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const match = PORT_PATTERN.exec(log);
      if (match && !listening) {
        listening = true;
        clearTimeout(timer);
        const port = Number(match[1]);
        resolve({
          port,
          origin: `http://127.0.0.1:${port}`,
          stderr: () => log,
          // SIGTERM, as a user's Ctrl-C; a server still running 10 s later is killed and
          // the stop reported as failed.
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done({ code: child.exitCode, clean: true });
            const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
            child.once("exit", (code, signal) => {
              clearTimeout(killer);
              done({ code: code ?? signal, clean: signal !== "SIGKILL" });
            });
            child.kill("SIGTERM");
          }),
        });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${log}`));
    });
  });
}

module.exports = { startServer, hasServeCommand };
