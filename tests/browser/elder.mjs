// The 适老模式 browser test of tests/home.rs: loads a page, reads the mode's button, the
// <html> classes and the computed font sizes, clicks the button, reads them again,
// reloads the page (the mode must be remembered) and opens a second page of the site
// (it must start in the mode); then clicks the article's 大 size and reloads it (the size
// must be remembered). Prints one JSON line per step. Node ≥ 20.10.
//
//   node --experimental-websocket elder.mjs plan.json
//   plan: {"chromium": "chromium", "url": "http://…/", "other": "http://…/2024/01/a/"}
import { readFileSync } from "node:fs";
import { launch } from "./cdp.mjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { call, finish } = await launch(plan.chromium, 90000);
const { targetId } = await call("Target.createTarget", { url: "about:blank" });
const { sessionId } = await call("Target.attachToTarget", { targetId, flatten: true });
await call("Page.enable", {}, sessionId);
await call("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);

async function evaluate(expression) {
  const reply = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId);
  if (reply.exceptionDetails) throw new Error(JSON.stringify(reply.exceptionDetails));
  return reply.result.value;
}
async function waitFor(expression) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try { if (await evaluate(expression)) return; } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${expression}`);
}
async function load(url) {
  await call("Page.navigate", { url }, sessionId);
  await waitFor(`document.readyState === "complete" && document.location.href === ${JSON.stringify(url)}`);
}
const READ = `(() => {
  const b = document.querySelector("[data-elder-toggle]");
  const style = b ? getComputedStyle(b) : null;
  const text = document.querySelector(".content p, .entry__summary, main p");
  return {
    url: location.pathname,
    html_class: document.documentElement.className,
    button_shown: !!b && style.display !== "none" && b.offsetWidth > 0,
    button_text: b ? b.textContent.trim() : null,
    pressed: b ? b.getAttribute("aria-pressed") : null,
    root_px: parseFloat(getComputedStyle(document.documentElement).fontSize),
    body_px: parseFloat(getComputedStyle(document.body).fontSize),
    text_px: text ? parseFloat(getComputedStyle(text).fontSize) : null,
    body_color: getComputedStyle(document.body).color,
    stored: localStorage.getItem("gazette-elder"),
    text_size: document.documentElement.getAttribute("data-text-size"),
    large_pressed: document.querySelector('[data-text-size-set="l"]')?.getAttribute("aria-pressed") ?? null,
  };
})()`;

try {
  await load(plan.url);
  console.log(JSON.stringify({ step: "before", ...(await evaluate(READ)) }));
  await evaluate(`document.querySelector("[data-elder-toggle]").click(); true`);
  console.log(JSON.stringify({ step: "clicked", ...(await evaluate(READ)) }));
  // A real reload: the old document is marked, and the new one must not have the mark.
  await evaluate(`window.__beforeReload = true`);
  await call("Page.reload", {}, sessionId);
  await waitFor(`!window.__beforeReload && document.readyState === "complete"`);
  console.log(JSON.stringify({ step: "reloaded", ...(await evaluate(READ)) }));
  await load(plan.other);
  console.log(JSON.stringify({ step: "other", ...(await evaluate(READ)) }));
  await evaluate(`document.querySelector("[data-elder-toggle]").click(); true`);
  console.log(JSON.stringify({ step: "off", ...(await evaluate(READ)) }));
  // The article's 大/中/小 switch: 大 clicked, then the article reloaded.
  await load(plan.url);
  console.log(JSON.stringify({ step: "article", ...(await evaluate(READ)) }));
  await evaluate(`document.querySelector('[data-text-size-set="l"]').click(); true`);
  console.log(JSON.stringify({ step: "large", ...(await evaluate(READ)) }));
  await evaluate(`window.__beforeReload = true`);
  await call("Page.reload", {}, sessionId);
  await waitFor(`!window.__beforeReload && document.readyState === "complete"`);
  console.log(JSON.stringify({ step: "large-reloaded", ...(await evaluate(READ)) }));
  finish(0);
} catch (e) {
  finish(1, String(e && e.stack || e));
}
