// The run page: the gallery, playback and scrubbing of a recorded scenario,
// breaking a deployment and watching the circuit breaker roll back, asking
// why a task is where it is, and a reload that keeps the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground, assertClean, assertAccessible, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

/** Opens the run page at `fragment` and waits for the app to render. */
async function openRun(fragment, options = {}) {
  const opened = await openPlayground(served.browser, served.url, { path: `run/${options.query ?? ""}${fragment}`, waitFor: null, ...options });
  return opened;
}

async function scrubTo(page, seconds) {
  await page.getByRole("slider", { name: "Virtual time" }).fill(String(seconds));
}

function readout(page) {
  return page.getByTestId("time-readout");
}

test("the gallery lists guided scenarios, filters by topic and opens one", async () => {
  const { page, problems } = await openRun("#gallery");
  await page.getByRole("heading", { name: "Scenario gallery" }).waitFor();
  const cards = page.locator(".card");
  await cards.first().waitFor();
  const all = await cards.count();
  assert.ok(all >= 9, `at least nine scenarios in the gallery, got ${all}`);
  await page.getByRole("group", { name: "Filter by topic" }).getByRole("button", { name: "Failures" }).click();
  const failures = await cards.count();
  assert.ok(failures > 0 && failures < all, `the Failures chip narrows the list (${failures} of ${all})`);
  await assertAccessible(page, "gallery");
  await page.screenshot({ path: join(screenshots, "run-gallery.png"), fullPage: true });
  await page.getByRole("group", { name: "Filter by topic" }).getByRole("button", { name: "All" }).click();
  await page.locator(".card", { hasText: "circuit breaker" }).first().getByRole("link", { name: /^Open / }).click();
  await page.getByRole("slider", { name: "Virtual time" }).waitFor();
  assert.match(page.url(), /#gallery=circuit-breaker-rollback$/);
  await assertClean(page, problems);
  await page.context().close();
});

test("a gallery scenario plays, scrubs and shows the exact state at each moment", async () => {
  const { page, problems } = await openRun("#gallery=rolling-default");
  const slider = page.getByRole("slider", { name: "Virtual time" });
  await slider.waitFor();
  assert.match(await readout(page).textContent(), /^00:00\.000 \/ 08:00\.000$/);

  // Playing moves virtual time; pausing stops it.
  await page.getByRole("combobox", { name: "Speed" }).selectOption("300");
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => !document.querySelector("[data-testid=time-readout]").textContent.startsWith("00:00.000"));
  await page.getByRole("button", { name: "Pause" }).click();
  const paused = await readout(page).textContent();
  await page.waitForTimeout(300);
  assert.equal(await readout(page).textContent(), paused, "paused playback stays put");

  // Before the update: four api:1 tasks running, one deployment.
  await scrubTo(page, 120);
  assert.match(await readout(page).textContent(), /^02:00\.000/);
  const service = page.getByTestId("service");
  assert.equal(await service.getByTestId("running-count").textContent(), "4");
  assert.equal(await service.getByTestId("desired-count").textContent(), "4");
  assert.equal(await page.getByTestId("deployments").locator("tbody tr").count(), 1);
  assert.match(await page.getByTestId("service-events").textContent(), /\(service api\) has reached a steady state\./);
  const taskRows = page.getByTestId("task-list").locator("tbody tr");
  assert.equal(await taskRows.count(), 4);
  for (const row of await taskRows.all()) assert.match(await row.textContent(), /api \(rev 1\)RUNNINGRUNNING/);

  // During the rolling deployment: two deployments, new tasks on their way.
  await scrubTo(page, 185);
  const rows = page.getByTestId("deployments").locator("tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().textContent(), /PRIMARY/);
  assert.match(await page.getByTestId("service-events").textContent(), /has started 4 tasks/);

  // Stepping to the next and previous event with the keyboard.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  const before = await readout(page).textContent();
  await page.keyboard.press("ArrowRight");
  const after = await readout(page).textContent();
  assert.notEqual(after, before, "→ steps to the next event");
  await page.keyboard.press("ArrowLeft");
  assert.ok((await readout(page).textContent()) <= after, "← steps back");

  // At the end: steady state on api:2 with four running.
  await scrubTo(page, 480);
  assert.equal(await service.getByTestId("running-count").textContent(), "4");
  assert.match(await rows.first().textContent(), /api:2/);
  assert.match(await rows.first().textContent(), /COMPLETED/);
  await assertAccessible(page, "run page");
  await page.screenshot({ path: join(screenshots, "run-rolling.png"), fullPage: true });
  await assertClean(page, problems);
  await page.context().close();
});

test("breaking a deployment trips the circuit breaker, which rolls back; reload keeps the run", async () => {
  const { page, problems, context } = await openRun("#gallery=circuit-breaker-rollback");
  await page.getByRole("slider", { name: "Virtual time" }).waitFor();
  // After the scenario's own rollback, deploy a version that cannot start.
  await scrubTo(page, 300);
  await page.getByRole("textbox", { name: "New image", exact: true }).fill("api:3");
  await page.getByRole("combobox", { name: "New image behaviour" }).selectOption("fail");
  await page.getByRole("button", { name: "Deploy new revision" }).click();
  await page.getByTestId("action-log").getByText(/Deploy api:3 to api/).waitFor();
  assert.match(await readout(page).textContent(), /^05:00\.000/, "the action is added at the current time");

  // The new deployment is PRIMARY and in progress; the old one still runs.
  await scrubTo(page, 303);
  const deployments = page.getByTestId("deployments");
  const rows = deployments.locator("tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().textContent(), /PRIMARY.*IN_PROGRESS.*api:3/);
  assert.match(await rows.nth(1).textContent(), /ACTIVE.*COMPLETED.*api:1/);

  // Its tasks fail to start: the circuit breaker fails it and rolls back.
  await scrubTo(page, 900);
  const events = await page.getByTestId("service-events").textContent();
  assert.match(events, /\(service api\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start/);
  const markers = await page.locator("details.chart-data").first().textContent();
  assert.match(markers, /failed tasks of a threshold of 3/);
  assert.match(markers, /ECS deployment circuit breaker: tasks failed to start/);
  assert.match(markers, /Rolled back to api:1/);
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /PRIMARY.*COMPLETED.*api:1/, "the service rolled back to api:1");
  assert.equal(await page.getByTestId("service").getByTestId("running-count").textContent(), "4");
  await page.screenshot({ path: join(screenshots, "run-circuit-breaker.png"), fullPage: true });
  await assertAccessible(page, "after the rollback");

  // A reload keeps the run, its action and where playback stood.
  await page.reload();
  await page.getByTestId("action-log").getByText(/Deploy api:3 to api/).waitFor();
  assert.match(await readout(page).textContent(), /^15:00\.000/);
  // Undo takes the action back out.
  await page.getByRole("button", { name: "Undo last action" }).click();
  await page.getByText("None yet: the run is the scenario as written.").waitFor();
  // The user's workspace was never touched.
  const stored = await page.evaluate(() => localStorage.getItem("ecs-playground.workspace"));
  assert.equal(stored, null);
  await assertClean(page, problems);
  await context.close();
});

test("an embed is compact and read-only, with a reset", async () => {
  const { page, problems } = await openRun("#gallery=rolling-default", { query: "?embed" });
  await page.getByRole("slider", { name: "Virtual time" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Actions" }).count(), 0);
  await scrubTo(page, 200);
  await page.getByRole("button", { name: "Reset" }).click();
  assert.match(await readout(page).textContent(), /^00:00\.000/);
  await assertAccessible(page, "embed");
  await page.screenshot({ path: join(screenshots, "run-embed.png") });
  await assertClean(page, problems);
  await page.context().close();
});

test("the authoring page's Run link runs the workspace", async () => {
  const { page, problems } = await openPlayground(served.browser, served.url);
  await page.getByRole("link", { name: "Run" }).click();
  await page.getByRole("slider", { name: "Virtual time" }).waitFor();
  await page.getByRole("heading", { name: "Services" }).waitFor();
  await assertAccessible(page, "workspace run");
  await assertClean(page, problems);
  await page.context().close();
});
