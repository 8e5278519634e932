// Runs search queries in headless Chromium through the search page and prints, per query,
// what the page showed: data-state, data-total, data-ms, the result links, the marked
// text, and every file the page fetched after its HTML and CSS (name and bytes).
// Used by tests/search.rs and benches/search.py. Node ≥ 20.10 (built-in WebSocket).
//
//   node --experimental-websocket search.mjs plan.json
//   plan: {"chromium": "chromium", "queries": [{"url": "...", "fresh": true}, ...]}
// A fresh query opens a new browser context (empty cache, as a first visit); otherwise the
// query runs in the page of the previous one (a refined or repeated search).
import { readFileSync } from "node:fs";
import { launch } from "./cdp.mjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { call, finish } = await launch(plan.chromium, plan.timeout_ms || 240000);
async function evaluate(sessionId, expression) {
  const reply = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId);
  if (reply.exceptionDetails) throw new Error(JSON.stringify(reply.exceptionDetails));
  return reply.result.value;
}
async function waitUntil(sessionId, expression, what) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    try { if (await evaluate(sessionId, expression)) return; } catch {}
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const READ = `(() => {
  const list = document.getElementById("search-results");
  const entries = performance.getEntriesByType("resource").filter((e) => !e.name.endsWith(".css"));
  return {
    state: list.getAttribute("data-state"),
    total: Number(list.getAttribute("data-total")),
    ms: Number(list.getAttribute("data-ms")),
    results: [...list.querySelectorAll(".search-result")].map((r) => r.querySelector("a[href]").getAttribute("href")),
    titles: [...list.querySelectorAll(".search-result__title")].map((t) => t.textContent),
    marks: [...list.querySelectorAll("mark")].map((m) => m.textContent),
    snippets: [...list.querySelectorAll(".search-result__snippet")].map((p) => p.textContent),
    filters: [...document.querySelectorAll("#search-filters a")].map((a) => a.textContent + (a.nextSibling ? a.nextSibling.textContent : "")),
    status: document.getElementById("search-status").textContent,
    fetched: entries.map((e) => [new URL(e.name).pathname, e.encodedBodySize || e.transferSize || 0, e.startTime]),
  };
})()`;

let session = null;
let context = null;
// The fetches already reported, by path and start time: the browser lists resources in
// the order they started, so one that started before a step's reading but ended after it
// is listed among the old ones, and a count of entries would report an old one again.
let seen = new Set();
for (const q of plan.queries) {
  if (q.fresh || !session) {
    if (context) await call("Target.disposeBrowserContext", { browserContextId: context });
    ({ browserContextId: context } = await call("Target.createBrowserContext", {}));
    const { targetId } = await call("Target.createTarget", { url: "about:blank", browserContextId: context });
    ({ sessionId: session } = await call("Target.attachToTarget", { targetId, flatten: true }));
    await call("Page.enable", {}, session);
    await call("Page.navigate", { url: q.url }, session);
    seen = new Set();
    await waitUntil(session, `document.getElementById("search-results") && ["done", "error"].includes(document.getElementById("search-results").getAttribute("data-state"))`, q.url);
  } else {
    await evaluate(session, `document.getElementById("search-results").setAttribute("data-state", "stale"); history.pushState(null, "", ${JSON.stringify(q.url)}); dispatchEvent(new PopStateEvent("popstate")); true`);
    await waitUntil(session, `["done", "error"].includes(document.getElementById("search-results").getAttribute("data-state"))`, q.url);
  }
  const out = await evaluate(session, READ);
  out.fetched = out.fetched.filter((f) => !seen.has(f[0] + "@" + f[2]));
  out.fetched.forEach((f) => seen.add(f[0] + "@" + f[2]));
  out.fetched = out.fetched.map((f) => [f[0], f[1]]);
  out.url = q.url;
  out.fresh = !!q.fresh;
  console.log(JSON.stringify(out));
}
finish(0);
