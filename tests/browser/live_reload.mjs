// The live-reload browser test of tests/serve.rs: an open page follows edits by itself.
// It marks the page (`window.__notReloaded`) before each edit, so seeing the new title
// with the mark gone proves the page reloaded itself, and a kept mark proves a failed
// build did not reload it.
import { readFileSync, writeFileSync } from "node:fs";
import { launch } from "./cdp.mjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { call, finish } = await launch(plan.chromium, 90000);

const { targetId } = await call("Target.createTarget", { url: "about:blank" });
const { sessionId } = await call("Target.attachToTarget", { targetId, flatten: true });
async function evaluate(expression) {
  const reply = await call("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
  return reply.result.value;
}
async function waitUntil(expression, what) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try { if (await evaluate(expression)) return Date.now(); } catch {}
    await new Promise((r) => setTimeout(r, 10));
  }
  let title = "?";
  try { title = await evaluate("document.title"); } catch {}
  finish(1, `gave up waiting for ${what}; the page title is ${title}`);
}
const titleHas = (text) => `document.title.includes(${JSON.stringify(text)})`;
const overlay = `document.getElementById("gazette-error-overlay")`;

await call("Page.navigate", { url: plan.url }, sessionId);
await waitUntil(titleHas(plan.title), `the first title ${plan.title}`);
for (const step of plan.steps) {
  await evaluate("window.__notReloaded = true");
  const saved = Date.now();
  writeFileSync(step.file, step.content);
  if (step.title) {
    const seen = await waitUntil(`!window.__notReloaded && ${titleHas(step.title)} && !${overlay}`, `the title ${step.title}`);
    console.log(`reloaded with "${step.title}" ${seen - saved} ms after saving`);
  } else {
    await waitUntil(`${overlay} && ${overlay}.textContent.includes(${JSON.stringify(step.overlay)})`, `an overlay naming ${step.overlay}`);
    if (!(await evaluate("window.__notReloaded === true"))) finish(1, "a failed build reloaded the page");
    console.log(`the overlay names ${step.overlay}`);
  }
}
finish(0);
