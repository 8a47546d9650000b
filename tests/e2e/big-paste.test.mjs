// Pasting a multi-megabyte task definition: prints the input-to-paint figure
// (the goal is 100 ms while the document is analysed) and checks that
// nothing pasted or typed afterwards is lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, assertClean, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

/** A task definition of about `bytes`: ten containers with many environment variables. */
function taskDefinitionOf(bytes) {
  const withVariables = (count) => {
    const containers = Array.from({ length: 10 }, (_, c) => ({
      name: `app-${c}`, image: `public.ecr.aws/nginx/nginx:1.${c}`, essential: c === 0, cpu: 64, memory: 256, environment: [],
    }));
    for (let i = 0; i < count; i++) {
      containers[i % 10].environment.push({ name: `SETTING_${String(i).padStart(6, "0")}`, value: `value-${i}-lorem-ipsum` });
    }
    return JSON.stringify({ family: "big-app", networkMode: "bridge", requiresCompatibilities: ["EC2"], containerDefinitions: containers }, null, 2);
  };
  const sample = 1000;
  return withVariables(Math.round((sample * bytes) / withVariables(sample).length));
}

/** Milliseconds from an input event to the next painted frame. */
function inputToPaint(page, text) {
  return page.evaluate((text) => new Promise((resolve) => {
    const area = document.querySelector("textarea");
    const t0 = performance.now();
    area.value = text;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
  }), text);
}

test("a 5 MB paste: input-to-paint figure, and nothing pasted or typed is lost", async () => {
  const { page, problems } = await openPlayground(served.browser, served.url);
  const text = taskDefinitionOf(5 * 1000 * 1000);
  const paste = await inputToPaint(page, text);
  // A keystroke right after the paste, while the document may still be analysed.
  const typed = text.replace('"big-app"', '"big-app-2"');
  const next = await inputToPaint(page, typed);
  console.log(`5 MB paste (${(text.length / 1e6).toFixed(2)} MB): input → next frame ${paste.toFixed(0)} ms; the next edit → next frame ${next.toFixed(0)} ms (goal: 100 ms)`);
  // Analysis is on the main thread today, so it is done when the frame is.
  console.log(`after the paste: ${await page.getByTestId("validation-status").textContent()}`);
  assert.equal(await page.locator("textarea").inputValue(), typed, "the text is what was pasted and typed");
  await assertClean(page, problems);
});
