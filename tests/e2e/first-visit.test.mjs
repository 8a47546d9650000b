// A first visit: the "start here" that leads to the first lesson, the
// gallery and the editor; and both pages on a phone (390 × 844), in every
// state, without sideways scrolling of the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground, assertClean, assertAccessible, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();
const PHONE = { width: 390, height: 844 };

/** The page is no wider than the viewport: wide content scrolls in its own box. */
async function assertNoSidewaysScroll(page, state) {
  const { scrollWidth, wide } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // The elements that stick out, to say what to fix when this fails.
    const clipped = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !clipped(e))
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });
  assert.ok(scrollWidth <= PHONE.width, `${state}: the page is ${scrollWidth} px wide at ${PHONE.width} px (${wide.join(", ")})`);
}

async function phoneState(page, state) {
  await page.screenshot({ path: join(screenshots, `phone-${state}.png`), fullPage: true });
  await assertNoSidewaysScroll(page, state);
  await assertAccessible(page, `${state} at ${PHONE.width} px`);
}

test("a first visit offers the first lesson, the gallery and the editor, until dismissed", async () => {
  const { page, problems } = await openPlayground(served.browser, served.url);
  const start = page.locator("#start-here");
  await start.waitFor();
  const lesson = start.getByRole("link", { name: "First lesson" });
  assert.equal(await lesson.getAttribute("href"), "run/#lesson=first-task-definition");
  assert.equal(await start.getByRole("link", { name: "Gallery" }).getAttribute("href"), "run/#gallery");
  // The header links to the gallery on every visit, not only the first.
  assert.equal(await page.getByRole("toolbar", { name: "Workspace" }).getByRole("link", { name: "Gallery" }).getAttribute("href"), "run/#gallery");
  await assertAccessible(page, "start here");
  await page.screenshot({ path: join(screenshots, "start-here.png") });

  // The editor link leads to the editor.
  await start.getByRole("link", { name: "Editor" }).click();
  assert.equal(new URL(page.url()).hash, "#editor-heading");

  // The first lesson's id is the lesson path's start.
  const index = await (await page.request.get(new URL("lessons/index.json", page.url()).href)).json();
  assert.equal(`run/#lesson=${index.start}`, "run/#lesson=first-task-definition");

  // No internal names in what a visitor reads.
  assert.doesNotMatch(await page.locator("body").innerText(), /Engine I|ecs_engine|ecs-engine/);

  await start.getByRole("button", { name: "Dismiss" }).click();
  assert.equal(await start.isVisible(), false, "dismissed");
  await page.reload();
  await page.getByTestId("validation-status").waitFor();
  assert.equal(await page.locator("#start-here").isVisible(), false, "dismissed stays dismissed in this browser");
  await assertClean(page, problems);
});

test("the authoring page fits a phone: start here, documents, findings and an empty workspace", async () => {
  const { page, problems } = await openPlayground(served.browser, served.url, { viewport: PHONE });
  await page.locator("#start-here").waitFor();
  await phoneState(page, "author-start");

  // With findings: an error in the task definition.
  const editor = page.getByRole("textbox", { name: "Task definition JSON" });
  const text = await editor.inputValue();
  await editor.fill(text.replace(/"cpu": "?\d+"?/, '"cpu": "lots"'));
  await page.getByTestId("validation-status").getByText(/error/).waitFor();
  await phoneState(page, "author-findings");

  await page.getByRole("button", { name: "Share" }).click();
  await phoneState(page, "author-share");
  await page.getByRole("button", { name: "Share" }).click();

  // Empty: every document deleted.
  for (let i = 0; i < 10; i++) {
    const del = page.getByRole("button", { name: /^Delete / });
    if ((await del.count()) === 0) break;
    await del.first().click();
  }
  await page.getByRole("region", { name: "No document open" }).waitFor();
  await phoneState(page, "author-empty");
  await assertClean(page, problems);
});

test("the run page fits a phone: gallery, map, tables and explanations", async () => {
  const { page, problems } = await openPlayground(served.browser, served.url, { viewport: PHONE, path: "run/#gallery", waitFor: null });
  await page.getByRole("heading", { name: "Scenario gallery" }).waitFor();
  await page.locator(".card").first().waitFor();
  await phoneState(page, "run-gallery");

  await page.goto(`${served.url}run/#gallery=rolling-default`);
  await page.reload();
  await page.getByRole("slider", { name: "Virtual time" }).waitFor({ timeout: 120_000 });
  await page.getByTestId("cluster-map").waitFor();
  await page.getByRole("slider", { name: "Virtual time" }).fill("120");
  await page.getByTestId("task-list").waitFor();
  await phoneState(page, "run-scenario");

  // One form of an instance id in every view: the map, the task list and the explainer.
  const task = page.getByTestId("cluster-map").getByRole("button", { name: /^Task \w+ \(service api, revision 1\): RUNNING/ }).first();
  const card = task.locator("xpath=ancestor::article[1]");
  const fullId = await card.getAttribute("data-instance-id");
  const shown = await card.locator(".map-instance-id").textContent();
  assert.match(shown, /^[0-9a-f]{8,}$/, "a prefix of the container instance id");
  assert.ok(fullId.startsWith(shown) && shown.length < fullId.length);
  await task.click();
  const explain = page.getByTestId("explain");
  await explain.getByTestId("explain-placed").waitFor();
  assert.equal(await explain.getByTestId("explain-chosen").textContent(), shown);
  assert.equal(await explain.getByTestId("explain-chosen").getAttribute("title"), fullId);
  const where = page.getByTestId("task-list").locator(`td[title="${fullId}"]`).first();
  assert.match(await where.textContent(), new RegExp(`^${shown} \\(`));
  await phoneState(page, "run-explain");
  await assertClean(page, problems);
});
