// A workspace larger than the origin's localStorage quota (a 5 MB paste) is
// saved in IndexedDB, with a marker in localStorage (www/js/page.js), and is
// back after a reload; the newest save wins, and the copy it makes stale is
// deleted (never a newer one, whatever order the saves finish in); a tab
// closed while a write is in flight keeps the previous save; the backup of a
// damaged 5 MB workspace is kept in IndexedDB too; when IndexedDB refuses
// too the page says plainly that the work could not be saved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openPlayground, assertClean, root, taskDefinitionOf, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();
const KEY = "ecs-playground.workspace";
const BACKUP_KEY = "ecs-playground.workspace.unreadable";
const MARKER = "ecs-playground: saved in IndexedDB";
/** How long after a save that fits localStorage the copy it made stale is deleted (page.js's staleCopyDelayMs), and some. */
const STALE_COPY_WAIT_MS = 5000 + 3000;
const FIXED_V1_LINK = readFileSync(join(root, "crates/ecs-engine/src/share/fixed-v1-link.txt"), "utf8").trim();

/** Pastes `text` over the open document, as a user does: clipboard, Ctrl+A, Ctrl+V. */
async function paste(context, page, text, editor = "textarea") {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(served.url).origin });
  await page.evaluate((text) => navigator.clipboard.writeText(text), text);
  await page.locator(editor).focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+V");
}

/** The copy under `key` in IndexedDB (a string), or undefined when there is none. */
function copyInDatabase(page, key = KEY) {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open("ecs-playground", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("saved");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction("saved").objectStore("saved").get(key);
      get.onsuccess = () => { resolve(get.result); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }), key);
}

/** Whether the copy of the workspace in IndexedDB holds `needle`. */
async function savedInDatabaseHolds(page, needle) {
  const copy = await copyInDatabase(page);
  return typeof copy == "string" && copy.includes(needle);
}

/** Waits until `check()` is true (polling), failing with `what` after `timeout` ms. */
async function eventually(page, check, what, timeout = 30_000) {
  for (const end = Date.now() + timeout; !(await check()); ) {
    assert.ok(Date.now() < end, what);
    await page.waitForTimeout(200);
  }
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
  await eventually(page, () => savedInDatabaseHolds(page, '"big-app234"'), "the typed text reaches IndexedDB");
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
  // The copy in IndexedDB it made stale is deleted, a few seconds later.
  await eventually(page, async () => (await copyInDatabase(page)) === undefined, "the stale copy in IndexedDB is deleted");
  await page.reload();
  await page.getByTestId("validation-status").waitFor();
  assert.ok((await documentTexts(page)).includes(small), "after the reload the document is the newer, small one");
  await assertClean(page, problems);
  await context.close();
});

test("saves finishing in any order: the stale copy is deleted, a newer copy never", async () => {
  const { context, page, problems } = await openPlayground(served.browser, served.url);
  // The page's own module (the same instance: modules are cached by address), on a key of its own.
  const result = await page.evaluate(async ({ marker, wait }) => {
    const address = performance.getEntriesByType("resource").map((e) => e.name).find((n) => n.endsWith("/www/js/page.js"));
    const { saveWorkspace, loadSavedWorkspace } = await import(address);
    const key = "ecs-playground.test-order";
    const large = (tag) => tag + "x".repeat(6 * 1000 * 1000); // more than localStorage takes
    const copy = () => new Promise((resolve, reject) => {
      const open = indexedDB.open("ecs-playground");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction("saved").objectStore("saved").get(key);
        get.onsuccess = () => { resolve(get.result?.slice(0, 8)); open.result.close(); };
      };
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, wait));
    const seen = {};
    // A large save, then a small one asked before the first has committed: the small one wins and the copy goes.
    await Promise.all([saveWorkspace(key, large("first")), saveWorkspace(key, "small-1")]);
    seen.smallAfterLarge = { stored: localStorage.getItem(key), copyAtOnce: await copy() };
    await settle();
    seen.smallAfterLarge.copyLater = await copy();
    // A small save, then a large one: the large one wins; the small one's deletion must not take its copy.
    await Promise.all([saveWorkspace(key, "small-2"), saveWorkspace(key, large("second"))]);
    await settle();
    seen.largeAfterSmall = { marked: localStorage.getItem(key) === marker, copy: await copy(), loaded: (await loadSavedWorkspace(key)).slice(0, 8) };
    // A small save whose deletion is still waiting when a large one is saved: the deletion is called off.
    await saveWorkspace(key, "small-3");
    await saveWorkspace(key, large("third"));
    await settle();
    seen.largeWhileWaiting = { marked: localStorage.getItem(key) === marker, copy: await copy() };
    localStorage.removeItem(key);
    return seen;
  }, { marker: MARKER, wait: STALE_COPY_WAIT_MS });
  assert.deepEqual(result.smallAfterLarge, { stored: "small-1", copyAtOnce: "firstxxx", copyLater: undefined },
    "the small save is kept; the large copy stays a few seconds, then is deleted");
  assert.deepEqual(result.largeAfterSmall, { marked: true, copy: "secondxx", loaded: "secondxx" }, "the newer large copy is kept and read");
  assert.deepEqual(result.largeWhileWaiting, { marked: true, copy: "thirdxxx" }, "the waiting deletion does not take the newer copy");
  await assertClean(page, problems);
  await context.close();
});

test("hidden, the page starts saving at once; a tab closed before that write commits keeps the previous save", async () => {
  const context = await served.browser.newContext({ viewport: { width: 1360, height: 900 } });
  // Lets the test record the page's writes to IndexedDB and hold one open
  // (never committed, as a write in flight when a tab is closed).
  await context.addInitScript(() => {
    window.__puts = [];
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      const request = put.call(this, value, key);
      window.__puts.push(typeof value == "string" ? value : "");
      if (window.__holdWrites) {
        // Requests keep the transaction alive; its commit() is made to wait.
        const store = this;
        const spin = () => { store.get("held").onsuccess = spin; };
        spin();
        this.transaction.commit = () => {};
      }
      return request;
    };
  });
  const { page } = await openPlayground(served.browser, served.url, { context });
  const text = taskDefinitionOf(5 * 1000 * 1000);
  await paste(context, page, text);
  await page.getByText('"family": "big-app"').waitFor();
  await page.waitForFunction((key) => localStorage.getItem(key) === "ecs-playground: saved in IndexedDB", KEY, { timeout: 30_000 });
  await eventually(page, () => savedInDatabaseHolds(page, '"big-app"'), "the pasted text reaches IndexedDB");

  // Typed, then hidden at once (well within the editor's 400 ms pause): the
  // write holding what was typed has begun before the next task runs.
  await page.locator(".cm-content").focus();
  for (const key of ["Control+Home", "ArrowDown", "End", "ArrowLeft", "ArrowLeft"]) await page.keyboard.press(key);
  await page.evaluate(() => {
    window.__holdWrites = true;
    window.__puts = [];
  });
  await page.keyboard.type("-lost");
  const startedAtOnce = await page.evaluate(async () => {
    dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    return window.__puts.some((put) => put.includes('"big-app-lost"'));
  });
  assert.ok(startedAtOnce, "the write of the typed text to IndexedDB starts in the task that hid the page");
  // The tab is closed while that write is in flight.
  await page.close();

  const reopened = await context.newPage();
  await reopened.goto(served.url);
  await reopened.getByText('"family": "big-app"').waitFor({ timeout: 30_000 });
  assert.ok((await documentTexts(reopened)).includes(text), "the previous save is there, whole");
  assert.equal(await reopened.getByText("could not be saved").count(), 0);
  assert.equal(await reopened.getByText("could not read saved work").count(), 0);
  await context.close();
});

test("the backup of a damaged 5 MB workspace is kept in IndexedDB and can be read back whole", async () => {
  const { context, page, problems } = await openPlayground(served.browser, served.url);
  // A saved workspace with a 5 MB document first, cut off at its end (damaged), kept in IndexedDB.
  const damagedLength = await page.evaluate(async ({ key, marker, big }) => {
    const envelope = JSON.parse(localStorage.getItem(key));
    const [first] = envelope.workspace.documents;
    envelope.workspace.documents.unshift({ ...first, id: "big-document", text: big });
    const saved = JSON.stringify(envelope);
    const damaged = saved.slice(0, saved.length - 30);
    await new Promise((resolve, reject) => {
      const open = indexedDB.open("ecs-playground", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("saved");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const transaction = open.result.transaction("saved", "readwrite");
        transaction.objectStore("saved").put(damaged, key);
        transaction.oncomplete = () => { open.result.close(); resolve(); };
        transaction.onerror = () => reject(transaction.error);
      };
    });
    localStorage.setItem(key, marker);
    return damaged.length;
  }, { key: KEY, marker: MARKER, big: taskDefinitionOf(5 * 1000 * 1000) });
  const damaged = await copyInDatabase(page);
  assert.equal(damaged.length, damagedLength);

  await page.reload();
  await page.getByText("Your saved workspace was damaged").waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText("Saving is paused").count(), 0, "saving is not paused: the backup was kept");
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), BACKUP_KEY), MARKER, "the backup is in IndexedDB");
  assert.ok((await copyInDatabase(page, BACKUP_KEY)) === damaged, "the backup is the damaged copy, byte for byte");
  // The recovered workspace (the 5 MB document was complete) is saved over the damaged copy; the backup stays.
  await page.getByText('"family": "big-app"').waitFor({ timeout: 30_000 });
  await eventually(page, async () => (await copyInDatabase(page)) !== damaged, "the recovered workspace is saved");
  await page.reload();
  await page.getByText('"family": "big-app"').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText("Your saved workspace was damaged").count(), 0, "the saved workspace reads whole now");
  assert.ok((await copyInDatabase(page, BACKUP_KEY)) === damaged, "the backup is still the damaged copy");
  // And it reads back through the page's own loader.
  const readBack = await page.evaluate(async (key) => {
    const address = performance.getEntriesByType("resource").map((e) => e.name).find((n) => n.endsWith("/www/js/page.js"));
    return (await (await import(address)).loadSavedWorkspace(key)).length;
  }, BACKUP_KEY);
  assert.equal(readBack, damaged.length);
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
