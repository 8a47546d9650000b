// A workspace larger than the origin's localStorage quota (a 5 MB paste) is
// saved in IndexedDB, with a marker in localStorage (www/js/page.js), and is
// back after a reload; the newest save wins; when IndexedDB refuses too the
// page says plainly that the work could not be saved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openPlayground, assertClean, root, taskDefinitionOf, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();
const KEY = "ecs-playground.workspace";
const FIXED_V1_LINK = readFileSync(join(root, "crates/ecs-engine/src/share/fixed-v1-link.txt"), "utf8").trim();

/** Pastes `text` over the open document, as a user does: clipboard, Ctrl+A, Ctrl+V. */
async function paste(context, page, text, editor = "textarea") {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(served.url).origin });
  await page.evaluate((text) => navigator.clipboard.writeText(text), text);
  await page.locator(editor).focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+V");
}

/** Whether the copy of the workspace in IndexedDB holds `needle`. */
function savedInDatabaseHolds(page, needle) {
  return page.evaluate(({ key, needle }) => new Promise((resolve, reject) => {
    const open = indexedDB.open("ecs-playground");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction("saved").objectStore("saved").get(key);
      get.onsuccess = () => { resolve(typeof get.result == "string" && get.result.includes(needle)); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }), { key: KEY, needle });
}

/** The texts of the workspace's documents, from the workspace file the Share panel downloads. */
async function documentTexts(page) {
  await page.getByRole("button", { name: "Share" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download workspace file" }).click(),
  ]);
  await page.getByRole("button", { name: "Share" }).click();
  return JSON.parse(readFileSync(await download.path(), "utf8")).workspace.documents.map((d) => d.text);
}

test("a 5 MB paste and typing are saved in IndexedDB and back after a reload; a later small save wins", async () => {
  const { context, page, problems } = await openPlayground(served.browser, served.url);
  const text = taskDefinitionOf(5 * 1000 * 1000);
  await paste(context, page, text);
  await page.getByText('"family": "big-app"').waitFor();
  // "big-app" becomes "big-app234" (line 2 is `  "family": "big-app",`).
  await page.locator(".cm-content").focus();
  for (const key of ["Control+Home", "ArrowDown", "End", "ArrowLeft", "ArrowLeft"]) await page.keyboard.press(key);
  await page.keyboard.type("234");
  const at = text.indexOf('"big-app"') + '"big-app'.length;
  const typed = text.slice(0, at) + "234" + text.slice(at);

  // Saved once typing pauses: too large for localStorage, so in IndexedDB.
  await page.waitForFunction((key) => localStorage.getItem(key) === "ecs-playground: saved in IndexedDB", KEY, { timeout: 30_000 });
  for (let i = 0; !(await savedInDatabaseHolds(page, '"big-app234"')); i++) {
    assert.ok(i < 100, "the typed text reaches IndexedDB");
    await page.waitForTimeout(200);
  }
  await page.getByTestId("save-state").waitFor();
  assert.equal(await page.locator(".save-error").count(), 0, "no 'could not be saved' notice");

  await page.reload();
  await page.getByText('"family": "big-app234"').waitFor({ timeout: 30_000 });
  assert.ok((await documentTexts(page)).includes(typed), "after the reload the document is exactly what was pasted and typed");
  assert.equal(await page.getByText("could not be saved").count(), 0, "no 'could not be saved' notice after the reload");

  // A share link opened on a fresh load still asks before replacing the work kept in IndexedDB.
  await page.goto("about:blank");
  await page.goto(served.url + FIXED_V1_LINK);
  const dialog = page.getByRole("dialog", { name: "Open the shared workspace?" });
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.getByRole("button", { name: "Keep my work" }).click();
  await page.getByText('"family": "big-app234"').waitFor({ timeout: 30_000 });

  // Made small again, the workspace fits localStorage: that newer save wins over the copy in IndexedDB.
  const small = JSON.stringify({ family: "small-again", containerDefinitions: [] }, null, 2);
  await paste(context, page, small, ".cm-content");
  await page.waitForFunction(([key, family]) => localStorage.getItem(key)?.includes(family), [KEY, "small-again"], { timeout: 30_000 });
  await page.reload();
  await page.getByTestId("validation-status").waitFor();
  assert.ok((await documentTexts(page)).includes(small), "after the reload the document is the newer, small one");
  await assertClean(page, problems);
  await context.close();
});

test("when IndexedDB refuses too, the page says the work could not be saved", async () => {
  const context = await served.browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException("refused by the test", "UnknownError");
    };
  });
  const { page } = await openPlayground(served.browser, served.url, { context });
  await paste(context, page, taskDefinitionOf(5 * 1000 * 1000));
  await page.locator(".save-error").filter({ hasText: /Your work could not be saved: this browser's storage for the page is full \(\d+ KB needed\)/ }).waitFor({ timeout: 30_000 });
  await context.close();
});
