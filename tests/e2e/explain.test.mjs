// The cluster map and the explainer on the run page: why a task was placed
// (the candidate table and the chosen instance), why a service's task is not
// placed (plain words beside ECS's own event), and the map at 3, 50 and 5,000
// instances (screenshots artifacts/screenshots/map-*.png).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground, assertClean, assertAccessible, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

/** A rolling deployment on `size` m5.large instances, web:1 → web:2 at 10 minutes. */
function rollingScenario(size) {
  const taskDefinition = (image) => ({
    family: "web",
    containerDefinitions: [{ name: "app", image, cpu: 256, memory: 512, portMappings: [{ containerPort: 80 }] }],
  });
  return {
    format: "ecs-playground-scenario/1",
    name: `Rolling deployment on ${size} instances`,
    seed: 7,
    steps: [
      { at: 0, call: "CreateCluster", input: {} },
      { at: 0, call: "Simulator.LaunchInstances", input: { instanceType: "m5.large", count: size } },
      { at: 0, call: "RegisterTaskDefinition", input: taskDefinition("web:1") },
      { at: "5s", call: "CreateService", input: { serviceName: "web", taskDefinition: "web:1", desiredCount: size } },
      { at: "10m", call: "RegisterTaskDefinition", input: taskDefinition("web:2") },
      { at: "10m", call: "UpdateService", input: { service: "web", taskDefinition: "web:2" } },
    ],
    until: "40m",
  };
}

/** Opens the run page on a gallery scenario; `generated` serves a scenario of our own under that name. */
async function openRun(name, { generated, viewport } = {}) {
  const context = await served.browser.newContext({ viewport: viewport ?? { width: 1440, height: 1000 }, colorScheme: "light" });
  if (generated) {
    await context.route(`**/scenarios/${name}.json`, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(generated) }));
  }
  const opened = await openPlayground(served.browser, served.url, { path: `run/#gallery=${name}`, waitFor: null, context });
  await opened.page.getByRole("slider", { name: "Virtual time" }).waitFor({ timeout: 120_000 });
  await opened.page.getByTestId("cluster-map").waitFor({ timeout: 120_000 });
  return opened;
}

async function scrubTo(page, seconds) {
  await page.getByRole("slider", { name: "Virtual time" }).fill(String(seconds));
}

test("asking why a task was placed shows every candidate by check and the chosen instance", async () => {
  const { page, problems, context } = await openRun("rolling-default");
  await scrubTo(page, 120);
  const map = page.getByTestId("cluster-map");
  // Four instances, each with its api:1 task.
  await map.locator(".map-instance").first().waitFor();
  assert.equal(await map.locator(".map-instance").count(), 4);
  const task = map.getByRole("button", { name: /^Task \w+ \(service api, revision 1\): RUNNING/ }).first();
  const hostId = await task.locator("xpath=ancestor::article[1]").getAttribute("data-instance-id");
  await task.click();
  assert.equal(await task.getAttribute("aria-pressed"), "true");

  const explain = page.getByTestId("explain");
  await explain.getByTestId("explain-placed").waitFor();
  // The instance as the map shows it (one short form everywhere), the full id in the tooltip.
  const hostShown = await task.locator("xpath=ancestor::article[1]").locator(".map-instance-id").textContent();
  assert.equal(await explain.getByTestId("explain-chosen").textContent(), hostShown, "the explainer names the instance the map shows the task on");
  assert.equal(await explain.getByTestId("explain-chosen").getAttribute("title"), hostId);
  const table = explain.getByRole("table", { name: /Candidate instances by check/ });
  const rows = table.locator("tbody tr");
  assert.equal(await rows.count(), 4, "every instance of the cluster is a candidate");
  const chosen = table.locator("tbody tr.chosen");
  assert.equal(await chosen.count(), 1);
  assert.equal(await chosen.getAttribute("data-instance-id"), hostId);
  assert.match(await chosen.locator("td.verdict").textContent(), /chosen/);
  // The checks carry the engine's numbers: CPU and memory columns with units.
  const headers = await table.locator("thead th").allTextContents();
  for (const check of ["cpu", "memory", "ports"]) assert.ok(headers.includes(check), `a ${check} column in ${headers}`);
  assert.match(await explain.getByTestId("explain-counters").textContent(), /evaluated 4/);
  assert.ok(await explain.getByTestId("explain-strategy").count() >= 1, "the strategy's scores are shown");
  assert.match(await explain.textContent(), /Approximation: /, "modelling choices are labelled");

  await page.screenshot({ path: join(screenshots, "map-explain-placed.png"), fullPage: true });
  await assertAccessible(page, "placed explanation");
  await assertClean(page, problems);
  await context.close();
});

test("asking why a task is pending shows plain words beside ECS's event", async () => {
  const { page, problems, context } = await openRun("port-conflict");
  await scrubTo(page, 60);
  const map = page.getByTestId("cluster-map");
  const why = map.getByRole("button", { name: /^web: desired 3, running 2, pending 0\s*Why\?$/ });
  await why.click();
  const explain = page.getByTestId("explain");
  await explain.getByTestId("explain-pending").waitFor();
  const summary = await explain.getByTestId("explain-summary").textContent();
  assert.match(summary, /8080/, `the plain words name the port: ${summary}`);
  const event = await explain.getByTestId("explain-ecs-event").textContent();
  assert.match(event, /^service web was unable to place a task because no container instance met all of its requirements\./);
  assert.match(event, /already using a port required by your task/);

  await page.screenshot({ path: join(screenshots, "map-explain-pending.png"), fullPage: true });
  await assertAccessible(page, "pending explanation");
  await assertClean(page, problems);
  await context.close();
});

test("the map reads at 3, 50 and 5,000 instances, with a table of the same data", async () => {
  for (const [size, mode, at] of [[3, "cards", 615], [50, "cards", 615], [5000, "heat map", 900]]) {
    const started = Date.now();
    const { page, problems, context } = await openRun(`map-${size}`, { generated: rollingScenario(size) });
    await scrubTo(page, at);
    const map = page.getByTestId("cluster-map");
    await page.waitForFunction((n) => document.querySelector("[data-testid=map-summary]")?.textContent.includes(`${n.toLocaleString("en-US")} EC2 instance`), size, { timeout: 120_000 });
    if (mode === "cards") {
      assert.equal(await map.locator(".map-instance").count(), size);
    } else {
      assert.equal(await map.locator(".map-instance").count(), 0, "no cards at 5,000");
      assert.equal(await map.locator("canvas.map-heat-canvas").count(), 3, "one heat map per Availability Zone");
    }
    await page.screenshot({ path: join(screenshots, `map-${size}.png`), fullPage: false });

    // The text alternative: the same instances as table rows (a page of 100 at most).
    await map.getByRole("button", { name: "Show the map as a table" }).click();
    const table = map.getByRole("table", { name: /Instances and tasks at this time/ });
    assert.equal(await table.locator("tbody tr").count(), Math.min(size, 100));
    await assertAccessible(page, `map at ${size}`);

    if (mode === "heat map") {
      // Zoom into a zone, then into an instance with the keyboard.
      await map.getByRole("button", { name: "Zoom in to us-east-1a" }).click();
      const canvas = map.getByRole("img", { name: /^Heat map of/ });
      await canvas.focus();
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Enter");
      await map.locator(".map-instance").first().waitFor();
      assert.equal(await map.locator(".map-instance").count(), 1, "zoomed into one instance");
      await page.screenshot({ path: join(screenshots, `map-${size}-zoomed.png`), fullPage: false });
    }
    await assertClean(page, problems);
    await context.close();
    console.log(`map at ${size} instances: opened, scrubbed and checked in ${Date.now() - started} ms`);
  }
});
