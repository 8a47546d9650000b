// The authoring page's preview and the run page agree: the instance the
// preview names for the workspace's task is the one the run page places the
// service's first task on. Each page mints its own instance ids, so the
// instance is compared by its type and Availability Zone (one instance of
// each in the default workspace). The engine test workspace::agreement
// covers GPU, awsvpc, Fargate, constraints and strategies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, assertClean, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

test("the default workspace's preview names the instance of the run page's first task", async () => {
  const context = await served.browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: "light" });
  const author = await openPlayground(served.browser, served.url, { context });
  await author.page.getByTestId("placement-summary").waitFor();
  const chosen = author.page.locator(".instance.chosen");
  assert.equal(await chosen.count(), 1);
  const previewed = (await chosen.locator(".instance-meta").textContent()).trim();
  assert.match(previewed, /^[a-z0-9.]+ · us-east-1[a-c]$/);
  await assertClean(author.page, author.problems);

  const run = await openPlayground(served.browser, served.url, { context, path: "run/#workspace", waitFor: null });
  const { page } = run;
  await page.getByRole("slider", { name: "Virtual time" }).waitFor({ timeout: 120_000 });
  const map = page.getByTestId("cluster-map");
  await map.waitFor({ timeout: 120_000 });
  await page.getByRole("slider", { name: "Virtual time" }).fill("1");
  // The service's tasks in the order ECS started them, as its event lists them.
  const events = await page.getByTestId("service-events").textContent();
  const started = events.match(/has started \d+ tasks: \(task ([0-9a-f]+)\)/);
  assert.ok(started, `the service started its tasks: ${events}`);
  const task = map.getByRole("button", { name: new RegExp(`^Task ${started[1].slice(0, 8)} `) });
  const instance = task.locator("xpath=ancestor::article[1]");
  const type = (await instance.locator(".map-instance-type").textContent()).trim();
  const zone = (await task.locator("xpath=ancestor::section[contains(@class, 'map-zone')][1]").locator("h3").textContent()).trim();
  assert.equal(`${type} · ${zone}`, previewed, "the run page's first task is on the instance the preview named");
  await assertClean(page, run.problems);
  await context.close();
});
