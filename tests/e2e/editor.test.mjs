// End-to-end: the JSON editor. Highlighting, problems at the cursor, quick
// fixes with undo, suggestions by keyboard, the shortcut sheet, themes, the
// plain-textarea fallback and typing latency on a 64 KiB document.
// Run after `trunk build --release`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground as open, assertClean, assertAccessible, typeAt, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

const openPlayground = (options) => open(served.browser, served.url, options);
const editorOf = (page) => page.getByRole("textbox", { name: "Task definition JSON" });
const valueOf = (page) => editorOf(page).inputValue();

/** Selects the first occurrence of `needle` in the editor (no keyboard). */
async function selectText(page, needle) {
  await editorOf(page).focus();
  await page.evaluate((needle) => {
    const area = document.querySelector("textarea");
    const at = area.value.indexOf(needle);
    area.setSelectionRange(at, at + needle.length);
  }, needle);
}

/** Puts the caret `offset` characters into the first `needle`, the way a key press would. */
async function caretInto(page, needle, offset = 1) {
  await editorOf(page).focus();
  await page.evaluate(([needle, offset]) => {
    const area = document.querySelector("textarea");
    const at = area.value.indexOf(needle) + offset + 1;
    area.setSelectionRange(at, at);
  }, [needle, offset]);
  // ArrowLeft moves the caret onto the wanted offset and fires keyup, which the editor listens to.
  await page.keyboard.press("ArrowLeft");
}

test("JSON is highlighted from the engine's tokens, and the bracket at the caret is matched", async () => {
  const { context, page, problems } = await openPlayground();
  const layer = page.getByTestId("highlight-layer");
  const keys = layer.locator(".tok-key");
  assert.ok((await keys.count()) > 10, "keys are highlighted");
  assert.equal(await keys.first().textContent(), '"family"');
  assert.equal(await layer.locator(".tok-string").first().textContent(), '"web-app"');
  assert.equal(await layer.locator(".tok-number").first().textContent(), "256");
  assert.equal(await layer.locator(".tok-literal").first().textContent(), "true");
  // The layer shows exactly the text (line by line) under the textarea.
  const layerText = await layer.locator(".code-line").allTextContents();
  assert.deepEqual(layerText, (await valueOf(page)).split("\n"));

  // The caret just inside `"healthCheck": {` matches its closing brace.
  await caretInto(page, '"healthCheck": {', '"healthCheck": {'.length - 1);
  const matched = layer.locator(".bracket-match");
  assert.equal(await matched.count(), 2);
  assert.deepEqual(await matched.allTextContents(), ["{", "}"]);
  await assertAccessible(page, "highlighted editor");
  await assertClean(page, problems);
  await context.close();
});

test("hovering a gutter mark or moving the caret onto a problem shows its message", async () => {
  const { context, page, problems } = await openPlayground();
  await selectText(page, "bridge");
  await page.keyboard.type("BRIDGE");
  const mark = page.locator(".gutter-line.has-error");
  await mark.waitFor();
  assert.equal(await mark.textContent(), "3");
  assert.match(await mark.getAttribute("title"), /error\[enum-value\]: Invalid value "BRIDGE" for networkMode/);
  assert.match(await page.locator(".squiggle-error").first().textContent(), /"BRIDGE"/);
  // Hovering the underlined text shows the message as the editor's tooltip.
  const box = await page.locator(".squiggle-error").first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => /Invalid value "BRIDGE"/.test(document.querySelector("textarea").title));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 4);
  await page.waitForFunction(() => !document.querySelector("textarea").hasAttribute("title"));

  // Keyboard: the caret on the value shows the message, in a polite live region.
  const info = page.getByRole("status", { name: "Problem at the cursor" });
  await caretInto(page, '"BRIDGE"', 2);
  await info.getByText(/Invalid value "BRIDGE"/).waitFor();
  assert.equal(await info.getAttribute("aria-live"), "polite");
  assert.equal(await info.getByRole("button", { name: 'Quick fix: Use "bridge"' }).count(), 1);
  await page.screenshot({ path: join(screenshots, "editor-01-problem-at-caret.png") });
  await assertAccessible(page, "a problem at the caret");
  // Moving away clears it.
  await caretInto(page, '"family"', 2);
  assert.equal(await info.textContent(), "");
  await assertClean(page, problems);
  await context.close();
});

test("a quick fix applies as one edit, and undo and redo restore the text", async () => {
  const { context, page, problems } = await openPlayground();
  const original = await valueOf(page);
  await selectText(page, "bridge");
  await page.keyboard.type("BRIDGE");
  const broken = await valueOf(page);
  const fixButton = page.getByTestId("problems").getByRole("button", { name: 'Fix: Use "bridge"' });
  await fixButton.click();
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  assert.equal(await valueOf(page), original);

  // The fix went through the textarea's own history.
  await editorOf(page).focus();
  await page.keyboard.press("Control+z");
  await page.getByTestId("problems").waitFor();
  assert.equal(await valueOf(page), broken);
  await page.keyboard.press("Control+Shift+z");
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  assert.equal(await valueOf(page), original);

  // Ctrl+. fixes the problem at the caret.
  await page.keyboard.press("Control+z");
  await caretInto(page, '"BRIDGE"', 3);
  await page.keyboard.press("Control+.");
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  assert.equal(await valueOf(page), original);

  // Fix all applies every non-overlapping fix, as one undoable step.
  await selectText(page, '["EC2"]');
  await page.keyboard.type('["ec2"]');
  await selectText(page, "bridge");
  await page.keyboard.type("BRIDGE");
  const twoProblems = await valueOf(page);
  const fixAll = page.getByRole("button", { name: "Fix all (2)" });
  await page.screenshot({ path: join(screenshots, "editor-02-fixes.png"), fullPage: true });
  await assertAccessible(page, "problems with fixes");
  await fixAll.click();
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  assert.equal(await valueOf(page), original);
  await editorOf(page).focus();
  await page.keyboard.press("Control+z");
  await page.getByRole("button", { name: "Fix all (2)" }).waitFor();
  assert.equal(await valueOf(page), twoProblems);
  await assertClean(page, problems);
  await context.close();
});

test("suggestions open with Ctrl+Space and are driven by the keyboard", async () => {
  const { context, page, problems } = await openPlayground();
  const editor = editorOf(page);
  await typeAt(page, '\n      "portMappings"', '\n      "st');
  await page.keyboard.press("Control+Space");
  const list = page.getByRole("listbox", { name: "Suggestions" });
  await list.waitFor();
  const labels = await list.getByRole("option").allTextContents();
  assert.ok(labels.some((l) => l.startsWith("stopTimeout")), `stopTimeout offered: ${labels}`);
  assert.ok(!labels.some((l) => l.startsWith("essential")), "only matching names");
  // The textarea keeps focus and points at the active option.
  const activeId = await editor.getAttribute("aria-activedescendant");
  assert.equal(await list.getByRole("option", { selected: true }).getAttribute("id"), activeId);
  assert.equal(await editor.getAttribute("aria-controls"), await list.getAttribute("id"));
  await page.screenshot({ path: join(screenshots, "editor-03-suggestions.png") });
  await assertAccessible(page, "suggestions open");

  // Escape closes without changing the text.
  const before = await valueOf(page);
  await page.keyboard.press("Escape");
  await list.waitFor({ state: "hidden" });
  assert.equal(await valueOf(page), before);
  assert.equal(await editor.getAttribute("aria-activedescendant"), null);

  // Arrow down to stopTimeout and accept with Enter.
  await page.keyboard.press("Control+Space");
  await list.waitFor();
  for (let i = 0; i < labels.length; i++) {
    const active = await list.getByRole("option", { selected: true }).textContent();
    if (active.startsWith("stopTimeout")) break;
    await page.keyboard.press("ArrowDown");
  }
  assert.equal(await editor.getAttribute("aria-activedescendant"), await list.getByRole("option", { selected: true }).getAttribute("id"));
  await page.keyboard.press("Enter");
  await list.waitFor({ state: "hidden" });
  await page.keyboard.type("30,");
  assert.match(await valueOf(page), /"memoryReservation": 384,\n {6}"stopTimeout": 30,\n {6}"portMappings"/);
  await page.getByText("Valid: AWS would accept this task definition").waitFor();

  // Enum values are suggested too; and undo takes the accepted suggestion back.
  await selectText(page, '"bridge"');
  await page.keyboard.type('"aw');
  await page.keyboard.press("Control+Space");
  await list.getByRole("option", { name: /awsvpc/ }).waitFor();
  await page.keyboard.press("Enter");
  assert.match(await valueOf(page), /"networkMode": "awsvpc",/);
  await page.keyboard.press("Control+z");
  assert.match(await valueOf(page), /"networkMode": "aw,/);
  await assertClean(page, problems);
  await context.close();
});

test("? opens the shortcut sheet outside text fields, and Escape closes it", async () => {
  const { context, page, problems } = await openPlayground();
  // In the editor, ? is just a character.
  await typeAt(page, '"web-app"', "?");
  assert.equal(await page.getByRole("dialog").count(), 0);
  await page.keyboard.press("Backspace");

  await page.getByRole("heading", { name: "ECS Playground" }).click();
  await page.keyboard.press("Shift+Slash");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await sheet.waitFor();
  for (const action of ["Suggest field names and values in the editor", "Apply the quick fix for the problem at the cursor", "Go to the next problem", "Show this sheet (outside text fields)"]) {
    assert.equal(await sheet.getByRole("row", { name: new RegExp(action.replace(/[().]/g, "\\$&")) }).count(), 1, action);
  }
  await page.screenshot({ path: join(screenshots, "editor-04-shortcut-sheet.png") });
  await assertAccessible(page, "shortcut sheet");
  await page.keyboard.press("Escape");
  await sheet.waitFor({ state: "hidden" });
  // The header button opens it too, and its Close button closes it.
  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await sheet.waitFor();
  await sheet.getByRole("button", { name: "Close" }).click();
  await sheet.waitFor({ state: "hidden" });
  await assertClean(page, problems);
  await context.close();
});

test("F8 walks through the problems", async () => {
  const { context, page, problems } = await openPlayground();
  await selectText(page, "bridge");
  await page.keyboard.type("BRIDGE");
  await selectText(page, '["EC2"]');
  await page.keyboard.type('["ec2"]');
  await caretInto(page, '"family"', 0);
  const selected = () => page.evaluate(() => { const a = document.querySelector("textarea"); return a.value.slice(a.selectionStart, a.selectionEnd); });
  await page.keyboard.press("F8");
  assert.equal(await selected(), '"BRIDGE"');
  await page.keyboard.press("F8");
  assert.equal(await selected(), '"ec2"');
  await page.keyboard.press("Shift+F8");
  assert.equal(await selected(), '"BRIDGE"');
  await assertClean(page, problems);
  await context.close();
});

test("themes: system by default, a switch in the header, remembered", async () => {
  const { context, page, problems } = await openPlayground({ colorScheme: "dark" });
  const html = page.locator("html");
  const switcher = page.getByRole("combobox", { name: "Theme" });
  assert.equal(await switcher.inputValue(), "system");
  assert.equal(await html.getAttribute("data-theme"), null);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await background(), "rgb(15, 18, 22)", "the system's dark scheme is followed");
  await selectText(page, "bridge");
  await page.keyboard.type("BRIDGE");
  for (const [value, expected] of [["light", "rgb(246, 247, 249)"], ["dark", "rgb(15, 18, 22)"], ["contrast", "rgb(0, 0, 0)"]]) {
    await switcher.selectOption(value);
    assert.equal(await html.getAttribute("data-theme"), value);
    assert.equal(await background(), expected, value);
    await page.screenshot({ path: join(screenshots, `editor-05-theme-${value}.png`), fullPage: true });
    await assertAccessible(page, `${value} theme`);
  }
  await page.reload();
  await page.getByTestId("validation-status").waitFor();
  assert.equal(await html.getAttribute("data-theme"), "contrast");
  assert.equal(await page.getByRole("combobox", { name: "Theme" }).inputValue(), "contrast");
  await page.getByRole("combobox", { name: "Theme" }).selectOption("system");
  assert.equal(await html.getAttribute("data-theme"), null);
  await assertClean(page, problems);
  await context.close();

  // prefers-contrast: more selects high contrast when no choice was made.
  const ctx = await served.browser.newContext({ viewport: { width: 1360, height: 900 }, contrast: "more" });
  const { page: hc } = await open(served.browser, served.url, { context: ctx });
  assert.equal(await hc.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(0, 0, 0)");
  await ctx.close();
});

test("the plain-textarea fallback drops the layers and is remembered for the tab", async () => {
  const { context, page, problems } = await openPlayground({ viewport: { width: 420, height: 860 } });
  const toggle = page.getByRole("button", { name: "Plain text editor" });
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator(".highlight-layer, .gutter").count(), 0);
  // Still the same labelled editor, still validated.
  await selectText(page, "bridge");
  await page.keyboard.type("BRIDGE");
  await page.getByTestId("problems").waitFor();
  await caretInto(page, '"BRIDGE"', 2);
  await page.getByRole("status", { name: "Problem at the cursor" }).getByText(/Invalid value "BRIDGE"/).waitFor();
  await page.screenshot({ path: join(screenshots, "editor-06-plain-mobile.png"), fullPage: true });
  await assertAccessible(page, "plain editor");
  await page.reload();
  await page.getByTestId("validation-status").waitFor();
  assert.equal(await page.getByRole("button", { name: "Plain text editor" }).getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator(".highlight-layer").count(), 0);
  await page.getByRole("button", { name: "Plain text editor" }).click();
  assert.equal(await page.locator(".highlight-layer").count(), 1);
  await assertClean(page, problems);
  await context.close();
});

/** A valid task definition of about 64 KiB: ten containers with many environment variables. */
function bigTaskDefinition(targetBytes = 64 * 1024) {
  const containers = [];
  for (let c = 0; c < 10; c++) {
    containers.push({ name: `app-${c}`, image: `public.ecr.aws/nginx/nginx:1.${c}`, essential: c === 0, cpu: 64, memory: 256, environment: [] });
  }
  let text = "";
  for (let i = 0; (text = JSON.stringify({ family: "big-app", networkMode: "bridge", requiresCompatibilities: ["EC2"], containerDefinitions: containers }, null, 2)).length < targetBytes; i++) {
    containers[i % 10].environment.push({ name: `SETTING_${String(i).padStart(4, "0")}`, value: `value-${i}-lorem-ipsum` });
  }
  return text;
}

test("typing latency on a 64 KiB task definition (keystroke to updated diagnostics)", async () => {
  const { context, page, problems } = await openPlayground();
  const text = bigTaskDefinition();
  // As a paste does: one input event with the whole text.
  await page.evaluate((text) => {
    const area = document.querySelector("textarea");
    area.value = text;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  const lines = text.split("\n").length;
  await page.evaluate(() => {
    window.__latency = [];
    let t0 = 0;
    document.addEventListener("keydown", () => { t0 = performance.now(); }, true);
    const status = document.querySelector("[data-testid=validation-status]");
    new MutationObserver(() => {
      if (!t0) return;
      const dom = performance.now() - t0;
      const start = t0;
      t0 = 0;
      requestAnimationFrame(() => window.__latency.push({ dom, frame: performance.now() - start }));
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const runs = 20;
  /** Presses `keys` in turn (each changes the diagnostics) and reports the latencies. */
  async function measure(where, keys) {
    await page.evaluate(() => { window.__latency = []; });
    for (let i = 0; i < runs; i++) {
      await page.keyboard.press(keys[i % keys.length]);
      await page.waitForFunction((n) => window.__latency.length >= n, i + 1);
    }
    const samples = await page.evaluate(() => window.__latency);
    const dom = samples.map((s) => s.dom);
    const frame = samples.map((s) => s.frame);
    console.log(`64 KiB typing latency (${where}): ${text.length} bytes, ${lines} lines, ${runs} keystrokes; keystroke → diagnostics in the DOM: median ${median(dom).toFixed(1)} ms, max ${Math.max(...dom).toFixed(1)} ms; → next frame: median ${median(frame).toFixed(1)} ms, max ${Math.max(...frame).toFixed(1)} ms`);
    assert.equal(samples.length, runs);
  }
  // At the top: a space in the family name makes it invalid, Backspace makes it valid again.
  await typeAt(page, '"big-app"', "");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await measure("top, family name", ["Space", "Backspace"]);
  // In the middle, where the layer renders a window far from the top:
  // removing and retyping a comma breaks and mends the JSON.
  const middle = await page.evaluate(() => {
    const a = document.querySelector("textarea");
    const at = a.value.indexOf("},", a.value.length / 2) + 2;
    a.setSelectionRange(at, at);
    a.blur();
    a.focus();
    return at;
  });
  assert.ok(middle > text.length / 2);
  await page.keyboard.press("Backspace");
  await page.getByText(/^1 error/).waitFor();
  await page.keyboard.type(",");
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  assert.ok(await page.evaluate(() => document.querySelector("textarea").scrollTop) > 10000, "the editor scrolled to the middle");
  await measure("middle, a comma", ["Backspace", ","]);
  assert.ok(text.length >= 64 * 1024);
  // The layer renders a window of lines, not the whole document.
  assert.ok((await page.locator(".code-line").count()) < 200);
  await page.screenshot({ path: join(screenshots, "editor-07-64k.png") });
  await assertClean(page, problems);
  await context.close();
});
