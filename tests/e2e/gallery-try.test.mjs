// Every gallery scenario's "Try" suggestion carried out through the run
// page's actions, with the promised outcome read from what the page shows;
// the circuit-breaker story as ECS tells it; "Edit this scenario".
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground, assertClean, assertAccessible, screenshots, useServedPlayground, runLine } from "./support.mjs";

const served = useServedPlayground();

async function openScenario(name) {
  const opened = await openPlayground(served.browser, served.url, { path: `run/#gallery=${name}`, waitFor: null });
  await opened.page.getByRole("slider", { name: "Virtual time" }).waitFor();
  return opened;
}

async function scrubTo(page, seconds) {
  await page.getByRole("slider", { name: "Virtual time" }).fill(String(seconds));
}

/** Runs `act` (which takes one action) and waits for it in the action log. */
async function act(page, label, act) {
  const before = await page.getByTestId("action-log").locator("li").count().catch(() => 0);
  await act();
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid=action-log] li").length > n,
    before,
  );
  await page.getByTestId("action-log").getByText(label).last().waitFor();
}

const figure = (page, id) => page.getByTestId("service").first().getByTestId(id).textContent();
const deploymentRows = (page) => page.getByTestId("deployments").first().locator("tbody tr");

/** The running count at each of `times` (virtual seconds). */
async function runningAt(page, times) {
  const out = [];
  for (const t of times) {
    await scrubTo(page, t);
    out.push(Number(await figure(page, "running-count")));
  }
  return out;
}

/** Tasks per capacity provider on the cluster map. */
function tasksPerProvider(page) {
  return page.evaluate(() => {
    const out = {};
    for (const group of document.querySelectorAll(".map-group")) {
      const name = group.querySelector(".map-group-name")?.lastChild?.textContent ?? "none";
      out[name] = (out[name] ?? 0) + group.querySelectorAll(".map-cells li").length;
    }
    return out;
  });
}

async function finish(page, problems, name) {
  await page.screenshot({ path: join(screenshots, `try-${name}.png`), fullPage: true });
  await assertClean(page, problems);
  await page.context().close();
}

test("the circuit-breaker story: failed count rising, FAILED kept until the rollback completes, ECS's texts", async () => {
  const { page, problems } = await openScenario("circuit-breaker-rollback");
  const rows = deploymentRows(page);
  const failedOf = async (n) => Number(await rows.nth(n).getByTestId("deployment-failed").textContent());
  // One api:2 task at a time fails to start; the count rises 1, 2 against the threshold of 3.
  await scrubTo(page, 190);
  assert.match(await rows.first().textContent(), /PRIMARY.*IN_PROGRESS.*api:2/);
  assert.equal(await failedOf(0), 0);
  await scrubTo(page, 210);
  assert.equal(await failedOf(0), 1);
  await scrubTo(page, 230);
  assert.equal(await failedOf(0), 2);
  assert.match(await rows.first().textContent(), /IN_PROGRESS/);
  // 4:03: FAILED with ECS's reason, still listed, while the rollback runs.
  await scrubTo(page, 244);
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /PRIMARY.*IN_PROGRESS.*api:1/);
  assert.match(await rows.nth(1).textContent(), /ACTIVE.*FAILED.*api:2/);
  assert.equal(await failedOf(1), 3);
  const reasons = await page.getByTestId("rollout-reasons").first().textContent();
  assert.match(reasons, /FAILED ECS deployment circuit breaker: tasks failed to start\./);
  assert.match(reasons, /IN_PROGRESS ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d+\./);
  const events = await page.getByTestId("service-events").textContent();
  assert.match(events, /\(service api\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start/);
  assert.match(events, /\(service api\) rolling back to deployment ecs-svc\/\d+\./);
  // The timeline draws the failed series and marks 1, 2, 3 of 3.
  assert.equal(await page.getByTestId("failed-series").count(), 1);
  const markers = await page.locator("details.chart-data").first().textContent();
  for (const n of [1, 2, 3]) assert.match(markers, new RegExp(`${n} failed tasks of a threshold of 3`));
  await page.screenshot({ path: join(screenshots, "circuit-breaker-failed.png"), fullPage: true });
  await assertAccessible(page, "circuit breaker tripped");
  // 4:43: the rollback completes; the FAILED deployment leaves the table.
  await scrubTo(page, 283);
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /PRIMARY.*COMPLETED.*api:1/);
  assert.match(await page.getByTestId("service-events").textContent(), /has reached a steady state/);
  await assertClean(page, problems);
  await page.context().close();
});

test("circuit breaker, Try: rollback off and api:2 again stays FAILED and launches nothing new", async () => {
  const { page, problems } = await openScenario("circuit-breaker-rollback");
  await scrubTo(page, 300);
  await act(page, /circuit breaker: enable true, rollback false/, async () => {
    await page.getByRole("checkbox", { name: "rollback", exact: true }).uncheck();
    await page.getByRole("button", { name: "Update circuit breaker" }).click();
  });
  await act(page, /Deploy api:broken to api/, async () => {
    await page.getByRole("textbox", { name: "New image", exact: true }).fill("api:broken");
    await page.getByRole("button", { name: "Deploy new revision" }).click();
  });
  await scrubTo(page, 900);
  const rows = deploymentRows(page);
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().textContent(), /PRIMARY.*FAILED.*api:3/);
  assert.equal(await rows.first().getByTestId("deployment-failed").textContent(), "3");
  assert.match(await rows.nth(1).textContent(), /ACTIVE.*COMPLETED.*api:1/);
  assert.equal(await figure(page, "running-count"), "4");
  assert.equal(await figure(page, "pending-count"), "0", "a FAILED deployment launches nothing new");
  const rollbacks = (await page.getByTestId("service-events").textContent()).match(/rolling back to deployment/g) ?? [];
  assert.equal(rollbacks.length, 1, "only the scenario's own rollback: this time none");
  await finish(page, problems, "circuit-breaker");
});

test("capacity providers, Try: spot weight 1 with forceNewDeployment evens the split", async () => {
  const { page, problems } = await openScenario("capacity-providers");
  await scrubTo(page, 600);
  const before = await tasksPerProvider(page);
  assert.deepEqual(before, { "on-demand": 4, spot: 6 }, "base 2, then 1:3");
  await act(page, /capacity provider strategy/, async () => {
    await page.getByRole("textbox", { name: "capacityProviderStrategy (JSON)" }).fill(
      '[{"capacityProvider": "on-demand", "base": 2, "weight": 1}, {"capacityProvider": "spot", "weight": 1}]',
    );
    await page.getByRole("button", { name: "Update strategy" }).click();
  });
  await scrubTo(page, 1200);
  const after = await tasksPerProvider(page);
  assert.deepEqual(after, { "on-demand": 6, spot: 4 }, "base 2, then 1:1");
  assert.match(await deploymentRows(page).first().textContent(), /PRIMARY.*COMPLETED/);
  await finish(page, problems, "capacity-providers");
});

test("an Auto Scaling group scales with SetDesiredCapacity, within its bounds", async () => {
  const { page, problems } = await openScenario("capacity-providers");
  await scrubTo(page, 10);
  const group = page.getByRole("combobox", { name: "Group" });
  const desired = page.getByRole("spinbutton", { name: "Desired capacity" });
  await group.selectOption("od-asg");
  await desired.fill("12");
  await page.getByRole("button", { name: "Set desired capacity" }).click();
  await page.getByText(/Refused: .*New SetDesiredCapacity value 12 is above max value 10 for the AutoScalingGroup\./).waitFor();
  await page.getByText("None yet: the run is the scenario as written.").waitFor();
  await act(page, /Set Auto Scaling group spot-asg's desired capacity to 2/, async () => {
    await group.selectOption("spot-asg");
    await desired.fill("2");
    await page.getByRole("button", { name: "Set desired capacity" }).click();
  });
  // The group's instances register launchSeconds (90 s) later, before managed scaling's.
  await scrubTo(page, 95);
  assert.match(await page.getByTestId("map-summary").textContent(), /^0 EC2 instances/);
  await scrubTo(page, 110);
  assert.match(await page.getByTestId("map-summary").textContent(), /^2 EC2 instances/);
  await finish(page, problems, "asg");
});

test("daemon, Try: draining an instance stops its daemon task", async () => {
  const { page, problems } = await openScenario("daemon");
  await scrubTo(page, 180);
  assert.equal(await figure(page, "running-count"), "4");
  await act(page, /Drain instance/, () => page.getByRole("button", { name: "Drain" }).click());
  await scrubTo(page, 300);
  assert.equal(await figure(page, "running-count"), "3");
  assert.equal(await page.locator(".map-status", { hasText: "DRAINING" }).count(), 1);
  await finish(page, problems, "daemon");
});

test("100% / 100%, Try: minimumHealthyPercent 50 lets the deployment finish", async () => {
  const { page, problems } = await openScenario("deployment-no-progress");
  await scrubTo(page, 240);
  assert.match(await deploymentRows(page).first().textContent(), /PRIMARY.*IN_PROGRESS.*api:2/);
  await act(page, /minimumHealthyPercent to 50 and maximumPercent to 100/, async () => {
    await page.getByRole("spinbutton", { name: "minimumHealthyPercent" }).fill("50");
    await page.getByRole("button", { name: "Update configuration" }).click();
  });
  const running = await runningAt(page, [241, 245, 250, 260, 280, 300]);
  assert.ok(running.some((n) => n === 2), `two old tasks stop first: ${running}`);
  await scrubTo(page, 840);
  assert.equal(await deploymentRows(page).count(), 1);
  assert.match(await deploymentRows(page).first().textContent(), /PRIMARY.*COMPLETED.*api:2/);
  assert.equal(await figure(page, "running-count"), "4");
  await finish(page, problems, "no-progress");
});

test("distinctInstance, Try: one more instance in us-east-1b places the fourth task", async () => {
  const { page, problems } = await openScenario("distinct-instance");
  await scrubTo(page, 60);
  assert.equal(await figure(page, "running-count"), "3");
  await act(page, /Launch 1 m5.large instance in us-east-1b/, async () => {
    await page.getByRole("combobox", { name: "Availability Zone" }).selectOption("us-east-1b");
    await page.getByRole("button", { name: "Launch" }).click();
  });
  await scrubTo(page, 240);
  assert.equal(await figure(page, "running-count"), "4");
  await finish(page, problems, "distinct-instance");
});

test("draining, Try: 50/100 then draining us-east-1b stops tasks before replacing them", async () => {
  const { page, problems } = await openScenario("draining");
  await scrubTo(page, 240);
  assert.equal(await figure(page, "running-count"), "6");
  await act(page, /minimumHealthyPercent to 50 and maximumPercent to 100/, async () => {
    await page.getByRole("spinbutton", { name: "minimumHealthyPercent" }).fill("50");
    await page.getByRole("spinbutton", { name: "maximumPercent" }).fill("100");
    await page.getByRole("button", { name: "Update configuration" }).click();
  });
  const instance = page.getByRole("combobox", { name: "Instance", exact: true });
  const option = await instance.locator("option", { hasText: "us-east-1b" }).first().getAttribute("value");
  await act(page, /Drain instance/, async () => {
    await instance.selectOption(option);
    await page.getByRole("button", { name: "Drain" }).click();
  });
  const running = await runningAt(page, [241, 243, 245, 250, 260]);
  assert.ok(running.some((n) => n < 6), `tasks stop before replacements start: ${running}`);
  assert.ok(running.every((n) => n <= 6), `never above the desired count with maximumPercent 100: ${running}`);
  await finish(page, problems, "draining");
});

test("Fargate Spot, Try: interrupting another FARGATE_SPOT task replaces it", async () => {
  const { page, problems } = await openScenario("fargate-spot-interruption");
  await scrubTo(page, 300);
  // The task's explanation names its capacity provider; pick a Spot one.
  const buttons = page.getByTestId("task-list").getByRole("button", { name: /^Task / });
  let chosen = null;
  for (const b of await buttons.all()) {
    await b.click();
    await page.waitForTimeout(100);
    if (/capacity AWS manages \(FARGATE_SPOT\)/.test(await page.locator("main").textContent())) { chosen = await b.textContent(); break; }
  }
  assert.ok(chosen, "a FARGATE_SPOT task is running");
  await act(page, /Interrupt Spot task/, () => page.getByRole("button", { name: "Spot interruption" }).click());
  await scrubTo(page, 480);
  assert.equal(await figure(page, "running-count"), "4");
  const events = await page.getByTestId("service-events").textContent();
  assert.equal((events.match(/has started 1 tasks/g) ?? []).length >= 2, true, "a second replacement started");
  await finish(page, problems, "fargate-spot");
});

test("port conflict, Try: one more instance, or hostPort 0 in a new revision", async () => {
  const { page, problems } = await openScenario("port-conflict");
  await scrubTo(page, 60);
  assert.equal(await figure(page, "running-count"), "2");
  await act(page, /Launch 1 m5.large instance/, () => page.getByRole("button", { name: "Launch" }).click());
  await scrubTo(page, 180);
  assert.equal(await figure(page, "running-count"), "3");
  await page.getByRole("button", { name: "Undo last action" }).click();
  await page.getByText("None yet: the run is the scenario as written.").waitFor();

  // The revision editor: the analyser's findings while typing, then hostPort 0.
  await scrubTo(page, 60);
  const editor = page.getByTestId("revision-editor");
  const text = await editor.inputValue();
  assert.match(text, /"hostPort": 8080/);
  await editor.fill(text.replace('"image": "nginx",', ""));
  await page.getByTestId("revision-findings").getByText(/error/).first().waitFor();
  assert.equal(await page.getByRole("button", { name: "Register revision" }).isDisabled(), true);
  await editor.fill(text.replace('"hostPort": 8080', '"hostPort": 0'));
  await page.waitForFunction(() => !document.querySelector("[data-testid=revision-editor]").getAttribute("aria-invalid").includes("true"));
  assert.doesNotMatch(await page.getByTestId("revision-findings").textContent(), /error/);
  await act(page, /Register a new revision of web and deploy it to web/, () => page.getByRole("button", { name: "Register revision" }).click());
  await scrubTo(page, 180);
  assert.equal(await figure(page, "running-count"), "3");
  assert.match(await deploymentRows(page).first().textContent(), /PRIMARY.*COMPLETED.*web:2/);
  await finish(page, problems, "port-conflict");
});

test("rolling 50/100, Try: 100/200 starts new tasks first", async () => {
  const { page, problems } = await openScenario("rolling-50-100");
  await scrubTo(page, 420);
  await act(page, /minimumHealthyPercent to 100 and maximumPercent to 200/, async () => {
    await page.getByRole("spinbutton", { name: "minimumHealthyPercent" }).fill("100");
    await page.getByRole("spinbutton", { name: "maximumPercent" }).fill("200");
    await page.getByRole("button", { name: "Update configuration" }).click();
  });
  await act(page, /Force a new deployment of api/, () => page.getByRole("button", { name: "Force new deployment" }).click());
  const running = await runningAt(page, [421, 425, 430, 440, 450, 460, 470, 480]);
  assert.ok(running.every((n) => n >= 4), `capacity never dips: ${running}`);
  assert.ok(running.some((n) => n > 4), `new tasks start first: ${running}`);
  await finish(page, problems, "rolling-50-100");
});

test("rolling defaults, Try: 50/100 and deploy again dips to two", async () => {
  const { page, problems } = await openScenario("rolling-default");
  await scrubTo(page, 420);
  await act(page, /minimumHealthyPercent to 50 and maximumPercent to 100/, async () => {
    await page.getByRole("spinbutton", { name: "minimumHealthyPercent" }).fill("50");
    await page.getByRole("spinbutton", { name: "maximumPercent" }).fill("100");
    await page.getByRole("button", { name: "Update configuration" }).click();
  });
  await act(page, /Force a new deployment of api/, () => page.getByRole("button", { name: "Force new deployment" }).click());
  const running = await runningAt(page, [421, 423, 425, 430, 440, 450, 460, 480]);
  assert.ok(running.every((n) => n <= 4), `never above four: ${running}`);
  assert.ok(running.some((n) => n === 2), `dips to two: ${running}`);
  await finish(page, problems, "rolling-default");
});

test("spread versus binpack, Try: three more tasks with binpack(cpu)", async () => {
  const { page, problems } = await openScenario("spread-vs-binpack");
  await scrubTo(page, 60);
  await act(page, /Run 3 tasks of worker with placement strategy/, async () => {
    await page.getByRole("textbox", { name: "Task definition", exact: true }).fill("worker");
    await page.getByRole("spinbutton", { name: "Count", exact: true }).first().fill("3");
    await page.getByRole("textbox", { name: "placementStrategy (JSON, optional)" }).fill('[{"type": "binpack", "field": "cpu"}]');
    await page.getByRole("button", { name: "Run task" }).click();
  });
  await scrubTo(page, 120);
  const perInstance = await page.evaluate(() =>
    [...document.querySelectorAll("[data-testid=cluster-map] .map-instance")].map((i) => i.querySelectorAll(".map-cells li").length).sort());
  assert.deepEqual(perInstance.reduce((a, b) => a + b, 0), 9, `nine tasks: ${perInstance}`);
  assert.ok(Math.max(...perInstance) >= 5, `binpack stacks the new tasks: ${perInstance}`);
  await finish(page, problems, "spread-vs-binpack");
});

test("Service Connect, Try: a third service without serviceConnectConfiguration is not in the namespace", async () => {
  const { page, problems } = await openScenario("service-connect");
  await scrubTo(page, 90);
  const before = await runLine(page, "aws ecs list-services-by-namespace --namespace shop");
  assert.match(before, /service\/back\/orders/);
  assert.match(before, /service\/front\/web/);
  const created = await runLine(
    page,
    "aws ecs create-service --cluster front --service-name admin --task-definition web --desired-count 1 --network-configuration awsvpcConfiguration={subnets=[subnet-1]}",
  );
  assert.match(created, /"serviceName": "admin"/);
  const after = await runLine(page, "aws ecs list-services-by-namespace --namespace shop");
  assert.match(after, /service\/front\/web/);
  assert.doesNotMatch(after, /admin/, "a service without serviceConnectConfiguration does not join the namespace");
  await finish(page, problems, "service-connect");
});

test("bad input is refused with the engine's errors", async () => {
  const { page, problems } = await openScenario("distinct-instance");
  await scrubTo(page, 60);
  await page.getByRole("textbox", { name: "placementStrategy (JSON)" }).fill("[{");
  await page.getByRole("button", { name: "Update placement" }).click();
  await page.getByText(/placementStrategy is not valid JSON/).waitFor();
  await page.getByRole("combobox", { name: "Instance type" }).fill("m5.huge");
  await page.getByRole("button", { name: "Launch" }).click();
  await page.getByText(/Refused: Launch 1 m5.huge instance.*unknown instance type m5.huge/).waitFor();
  await page.getByText("None yet: the run is the scenario as written.").waitFor();
  await assertClean(page, problems);
  await page.context().close();
});

test("Edit this scenario opens its documents in the authoring workspace", async () => {
  const { page, problems } = await openScenario("circuit-breaker-rollback");
  assert.match(await page.locator(".edit-scenario").textContent(), /Opens its 3 documents/);
  await page.getByRole("button", { name: "Edit this scenario" }).click();
  await page.getByText("Opened the shared workspace.").waitFor();
  assert.doesNotMatch(new URL(page.url()).pathname, /run/, "the authoring page");
  const text = await page.locator("body").textContent();
  for (const name of ["default", "api"]) assert.ok(text.includes(name), `${name} is in the workspace`);
  await page.screenshot({ path: join(screenshots, "edit-this-scenario.png"), fullPage: true });
  await assertClean(page, problems);
  await page.context().close();
});
