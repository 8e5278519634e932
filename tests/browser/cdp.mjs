// A headless Chromium driven over the DevTools protocol with Node's built-in WebSocket
// (Node ≥ 20.10): shared by the browser tests (live_reload.mjs, search.mjs).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/// Starts `chromium` with a fresh profile; gives `call(method, params, sessionId)` and
/// `finish(code, message)` (kills the browser, removes the profile, exits). The whole run
/// fails after `timeoutMs`.
export async function launch(chromium, timeoutMs) {
  const profile = mkdtempSync(join(tmpdir(), "gazette-chromium-"));
  const browser = spawn(chromium, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  function finish(code, message) {
    if (message) console.error(message);
    browser.kill("SIGKILL");
    try { rmSync(profile, { recursive: true, force: true }); } catch {}
    process.exit(code);
  }
  setTimeout(() => finish(1, "the browser run timed out"), timeoutMs);

  const endpoint = await new Promise((resolve, reject) => {
    let text = "";
    browser.stderr.on("data", (chunk) => {
      text += chunk;
      const found = text.match(/DevTools listening on (ws:\/\/\S+)/);
      if (found) resolve(found[1]);
    });
    browser.on("exit", (code) => reject(new Error(`chromium exited (${code}): ${text}`)));
  }).catch((e) => finish(1, e.message));

  const socket = new WebSocket(endpoint);
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  let lastId = 0;
  const waiting = new Map();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error) pending.reject(new Error(JSON.stringify(message.error)));
    else pending.resolve(message.result);
  });
  function call(method, params = {}, sessionId) {
    const id = ++lastId;
    socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
  }
  return { call, finish };
}
