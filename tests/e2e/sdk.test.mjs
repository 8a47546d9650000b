// End-to-end: the SDK's example page (dist/sdk/example.html, built by
// scripts/build-sdk.sh) loads the SDK under the site's CSP and shows the
// AWS-shaped results the engine returned.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, assertClean, assertAccessible, useServedPlayground } from "./support.mjs";

const served = useServedPlayground("/docs/ecs-playground/");

test("the SDK example drives the simulated ECS and shows its responses", async () => {
  const { context, page, problems } = await openPlayground(served.browser, served.url, { path: "sdk/example.html", waitFor: "sdk-status" });
  const status = page.getByTestId("sdk-status");
  await page.waitForFunction(() => document.getElementById("status").dataset.ready === "true");
  assert.equal(await status.textContent(), "Ready: virtual time 300 s.");

  const steps = page.getByTestId("sdk-steps").locator(":scope > li");
  assert.equal(await steps.count(), 7);
  const line = async (n) => (await steps.nth(n).locator("p").textContent()).trim();
  assert.equal(await line(0), "clusterArn: arn:aws:ecs:us-east-1:123456789012:cluster/demo");
  assert.equal(await line(1), "containerInstanceArns: 3");
  assert.equal(await line(2), "taskDefinitionArn: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
  assert.equal(await line(3), "serviceArn: arn:aws:ecs:us-east-1:123456789012:service/demo/web");
  assert.equal(await line(4), "now: 300 s");
  assert.equal(await line(5), "runningCount: 3, rolloutState: COMPLETED");
  assert.match(await line(6), /^ClusterNotFoundException: Cluster not found/);

  // A call of the reader's own, through the form.
  await page.getByRole("textbox", { name: "Operation" }).fill("CreateService");
  await page.getByRole("textbox", { name: "Request (JSON)" }).fill('{"cluster": "nowhere", "serviceName": "api", "taskDefinition": "web:1", "desiredCount": 1}');
  await page.getByRole("button", { name: "Call" }).click();
  const response = page.getByTestId("sdk-response");
  await page.waitForFunction(() => document.getElementById("response").textContent !== "");
  const error = JSON.parse(await response.textContent());
  assert.deepEqual(Object.keys(error), ["__type", "message"]);
  assert.equal(error.__type, "ClusterNotFoundException");
  assert.match(error.message, /^Cluster not found/);

  await page.getByRole("textbox", { name: "Operation" }).fill("DescribeServices");
  await page.getByRole("textbox", { name: "Request (JSON)" }).fill('{"cluster": "demo", "services": ["web"]}');
  await page.getByRole("button", { name: "Call" }).click();
  await page.waitForFunction(() => document.getElementById("response").textContent.includes("runningCount"));
  const described = JSON.parse(await response.textContent());
  assert.equal(described.services[0].runningCount, 3);
  assert.equal(described.services[0].taskDefinition, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");

  await assertAccessible(page, "the SDK example");
  await assertClean(page, problems);
  await context.close();
});

test("the SDK is not part of the app's first load", async () => {
  const { context, page, problems } = await openPlayground(served.browser, served.url);
  const loaded = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name));
  assert.deepEqual(loaded.filter((name) => name.includes("/sdk/")), []);
  await assertClean(page, problems);
  await context.close();
});
