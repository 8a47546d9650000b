// Lessons and the `aws ecs` console on the run page: a learner does a whole
// lesson through the console (one wrong prediction, one hint), a trainer's
// presenter mode, and the console's calls, output, errors, completion and
// history; axe-core and no sideways scrolling at 390 px in each new state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground, assertClean, assertAccessible, screenshots, useServedPlayground, consoleInput, runLine } from "./support.mjs";

const served = useServedPlayground();

async function openRun(fragment, options = {}) {
  return openPlayground(served.browser, served.url, { path: `run/${fragment}`, waitFor: null, ...options });
}

async function assertNoSidewaysScroll(page, label) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${label}: the page is ${width} px wide at 390 px`);
}

test("a learner does a whole lesson through the console, with a wrong prediction and a hint", async () => {
  const { page, problems, context } = await openRun("#lessons");
  await page.getByRole("heading", { name: "Learn ECS by doing" }).waitFor();
  const cards = page.getByTestId("lesson-card");
  await cards.first().waitFor();
  assert.equal(await cards.count(), 8, "the path of eight lessons");
  assert.match(await cards.first().textContent(), /Your first task definition/);
  assert.match(await cards.last().textContent(), /Service Connect/);
  await assertAccessible(page, "lessons list");
  await page.screenshot({ path: join(screenshots, "lessons-list.png"), fullPage: true });

  await cards.first().getByRole("link", { name: "Start Your first task definition" }).click();
  const lesson = page.getByTestId("lesson");
  await lesson.waitFor();
  assert.match(page.url(), /#lesson=first-task-definition$/);
  assert.match(await page.getByTestId("lesson-step").textContent(), /Step 1 of 3: Register a task definition/);

  // Checking before doing anything: not yet, in the engine's words.
  await page.getByRole("button", { name: "Check my run" }).click();
  assert.match(await page.getByTestId("verdict").textContent(), /Not yet\. No RegisterTaskDefinition call yet\./);

  // Step 1: register through the console.
  const registered = await runLine(page, "aws ecs register-task-definition --family hello --container-definitions name=web,image=nginx:1.25,cpu=256,memory=512");
  assert.match(registered, /"taskDefinitionArn": "arn:aws:ecs:[^"]+:task-definition\/hello:1"/);
  await page.getByRole("button", { name: "Check my run" }).click();
  assert.match(await page.getByTestId("verdict").textContent(), /Goal met\. RegisterTaskDefinition succeeded\./);
  await page.getByTestId("verdict").getByRole("button", { name: "Next step" }).click();

  // Step 2: a wrong prediction, then the answer with its arithmetic.
  assert.match(await page.getByTestId("lesson-step").textContent(), /Step 2 of 3: Run it/);
  await page.getByRole("textbox", { name: /Predict first: How many instances/ }).fill("1");
  await page.getByRole("button", { name: "Reveal the answer" }).click();
  assert.equal(await page.getByTestId("prediction-verdict").textContent(), "You said 1: not quite.");
  assert.match(await page.getByTestId("prediction-answer").textContent(), /^Answer: 2\. Each m5\.large registers 2048 CPU units/);
  // One hint, then the goal.
  assert.equal(await page.getByTestId("hints").count(), 0);
  await page.getByRole("button", { name: "Show a hint (1 of 2)" }).click();
  assert.equal(await page.getByTestId("hints").locator("li").count(), 1);
  assert.match(await page.getByTestId("hints").textContent(), /aws ecs run-task --task-definition hello/);
  await page.getByRole("button", { name: "Show a hint (2 of 2)" }).waitFor();
  const ran = await runLine(page, "aws ecs run-task --task-definition hello");
  assert.match(ran, /"tasks": \[/);
  await page.getByRole("button", { name: "Check my run" }).click();
  assert.match(await page.getByTestId("verdict").textContent(), /^Goal met\./);
  await assertAccessible(page, "a lesson step with its prediction revealed, a hint and a verdict");
  await page.screenshot({ path: join(screenshots, "lesson-step.png"), fullPage: true });
  await page.getByTestId("verdict").getByRole("button", { name: "Next step" }).click();

  // Step 3: a service that reaches a steady state.
  await runLine(page, "aws ecs create-service --service-name web --task-definition hello --desired-count 2");
  await page.getByRole("button", { name: "Check my run" }).click();
  assert.match(await page.getByTestId("verdict").textContent(), /^Goal met\./);
  const complete = page.getByTestId("lesson-complete");
  await complete.waitFor();
  assert.match(await complete.textContent(), /Lesson complete\./);
  assert.equal(await complete.getByRole("link", { name: "Next lesson" }).getAttribute("href"), "#lesson=placement");

  // Progress is kept in the browser: a reload shows every step done, the
  // learner's prediction and the run with its three console calls.
  await page.reload();
  await page.getByTestId("lesson").waitFor();
  assert.equal(await page.locator(".lesson-step-link.done").count(), 3);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem("ecs-playground.lessons")));
  assert.deepEqual(stored["first-task-definition"].done, [0, 1, 2]);
  assert.equal(stored["first-task-definition"].predictions["1"], "1");
  assert.equal(stored["first-task-definition"].hints["1"], 1);
  await page.getByRole("link", { name: "All lessons" }).first().click();
  await page.getByTestId("lesson-card").first().waitFor();
  assert.match(await page.getByTestId("lesson-card").first().textContent(), /3 steps done/);
  await assertClean(page, problems);
  await context.close();
});

test("a lesson opens where its first call is due: tripping the circuit breaker from the console", async () => {
  const { page, problems, context } = await openRun("#lesson=circuit-breaker");
  await page.getByTestId("lesson").waitFor();
  assert.match(await page.getByTestId("time-readout").textContent(), /^03:00\.000/, "the scenario has set the scene by then");
  await page.getByRole("textbox", { name: /Predict first/ }).fill("3");
  await page.getByRole("button", { name: "Reveal the answer" }).click();
  assert.equal(await page.getByTestId("prediction-verdict").textContent(), "You said 3: right.");
  const updated = await runLine(page, "aws ecs update-service --service api --task-definition api:2");
  assert.match(updated, /"taskDefinition": "arn:aws:ecs:[^"]+:task-definition\/api:2"/);
  await page.getByRole("button", { name: "Check my run" }).click();
  assert.match(await page.getByTestId("verdict").textContent(), /^Goal met\./);
  await page.getByTestId("lesson-complete").waitFor();
  await assertClean(page, problems);
  await context.close();
});

test("presenter mode: large type, one step at a time, notes on the timeline", async () => {
  const { page, problems, context } = await openRun("#lesson=rolling-deployments");
  await page.getByTestId("lesson").waitFor();
  const normalSize = await page.getByTestId("lesson").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  await page.getByRole("button", { name: "Presenter mode" }).click();
  assert.equal(await page.getByRole("button", { name: "Presenter mode" }).getAttribute("aria-pressed"), "true");
  const presenterSize = await page.getByTestId("lesson").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(presenterSize >= normalSize * 1.4, `large type: ${presenterSize}px against ${normalSize}px`);
  assert.equal(await page.getByRole("navigation", { name: "Steps" }).count(), 0, "one step at a time");
  assert.equal(await page.getByRole("button", { name: "Previous step" }).isDisabled(), true);
  // Each step's note is pinned at its solution's moment; a pin seeks there.
  const notes = page.locator(".notes-list li");
  assert.ok((await notes.count()) >= 1, "notes on the timeline");
  const first = notes.first().getByRole("button");
  const label = await first.textContent();
  const time = label.split(" · ")[0];
  await first.click();
  assert.ok((await page.getByTestId("time-readout").textContent()).startsWith(time), `seeked to ${time}`);
  await assertAccessible(page, "presenter mode");
  await page.screenshot({ path: join(screenshots, "lesson-presenter.png"), fullPage: true });
  await assertClean(page, problems);
  await context.close();
});

test("the console: a create-service line with shorthand, its JSON, errors, refusals, completion and history", async () => {
  const { page, problems, context } = await openRun("#lesson=first-task-definition");
  await page.getByTestId("lesson").waitFor();
  await runLine(page, "aws ecs register-task-definition --family hello --container-definitions name=web,image=nginx:1.25,cpu=256,memory=512");

  // Completion of operations, parameters, enum values and shorthand, by keyboard.
  const input = consoleInput(page);
  await input.fill("");
  await input.type("aws ecs create-se");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "aws ecs create-service ");
  await input.type("--cl");
  await input.press("Tab");
  const list = page.getByRole("listbox", { name: "Completions" });
  await list.waitFor();
  const options = await list.getByRole("option").allTextContents();
  assert.deepEqual(options, ["--cli-input-json", "--client-token", "--cluster"]);
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  await assertAccessible(page, "console with its completion list open");
  await page.screenshot({ path: join(screenshots, "console-completion.png") });
  await input.press("ArrowUp");
  assert.equal(await input.getAttribute("aria-activedescendant"), "console-option-2", "Up from the field picks the last");
  await input.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-activedescendant"), "console-option-0", "and wraps");
  await input.press("ArrowUp");
  await input.press("Enter");
  assert.equal(await input.inputValue(), "aws ecs create-service --cluster ");
  assert.equal(await list.count(), 0);
  await input.type("default --service-name web --task-definition hello:1 --desired-count 3 --launch-type E");
  await input.press("Tab");
  const launchTypes = await list.getByRole("option").allTextContents();
  assert.ok(launchTypes.includes("EC2") && launchTypes.includes("EXTERNAL"), `the enum's values: ${launchTypes}`);
  await input.press("Escape");
  assert.equal(await list.count(), 0, "Escape closes the list");
  await input.fill("aws ecs create-service --cluster default --service-name web --task-definition hello:1 --desired-count 3 --placement-strategy type=sp");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "aws ecs create-service --cluster default --service-name web --task-definition hello:1 --desired-count 3 --placement-strategy type=spread");
  await input.type(",field=attribute:ecs.availability-zone");
  await input.press("Enter");
  const entries = page.getByTestId("console-entry");
  await page.waitForFunction(() => {
    const pres = document.querySelectorAll("[data-testid=console-entry]");
    const pre = pres[pres.length - 1]?.querySelectorAll("pre")[1];
    return pre && pre.textContent !== "…";
  });
  const created = await entries.last().locator("pre").nth(1).textContent();
  assert.match(created, /^\{\n {4}"service": \{\n/, "printed as the CLI prints JSON (four-space indent)");
  assert.match(created, /"placementStrategy": \[\n {12}\{\n {16}"type": "spread",\n {16}"field": "attribute:ecs.availability-zone"\n {12}\}\n {8}\]/);
  assert.match(created, /"desiredCount": 3,/);
  // The service appears on the page, as its own action.
  const service = page.getByTestId("service").filter({ hasText: "web" });
  await service.waitFor();
  assert.equal(await service.getByTestId("desired-count").textContent(), "3");
  await page.getByTestId("action-log").getByText("aws ecs create-service").waitFor();

  // ECS's errors are printed as the CLI prints them; refused forms get the engine's message.
  const missing = await runLine(page, "aws ecs describe-services --cluster nowhere --services web");
  assert.match(missing, /An error occurred \(ClusterNotFoundException\) when calling the DescribeServices operation: /);
  const refused = await runLine(page, "aws ecs register-task-definition --family x --container-definitions file://defs.json");
  assert.equal(refused, "Error parsing parameter '--container-definitions': a value starting with file:// reads a local file in the AWS CLI, which is not available here. Paste the value itself (JSON or shorthand).");
  assert.equal(await entries.last().locator(".console-error").count(), 1);
  // The log follows the newest entry.
  const shown = await page.locator(".console-log").evaluate((log) => {
    const last = log.lastElementChild.getBoundingClientRect();
    const box = log.getBoundingClientRect();
    return last.top >= box.top - 1 && last.top < box.bottom;
  });
  assert.ok(shown, "the newest entry is in view in the log");
  await assertAccessible(page, "console with output and errors");
  await page.screenshot({ path: join(screenshots, "console-output.png"), fullPage: true });

  // History: Up and Down walk the lines, kept across a reload.
  await input.fill("draft");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "aws ecs register-task-definition --family x --container-definitions file://defs.json");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "aws ecs describe-services --cluster nowhere --services web");
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  assert.equal(await input.inputValue(), "draft");
  await page.reload();
  await page.getByTestId("lesson").waitFor();
  await consoleInput(page).focus();
  await consoleInput(page).press("ArrowUp");
  assert.equal(await consoleInput(page).inputValue(), "aws ecs register-task-definition --family x --container-definitions file://defs.json");
  // After Escape, Tab leaves the field.
  await consoleInput(page).press("Escape");
  await consoleInput(page).press("Tab");
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), "console-input");
  await assertClean(page, problems);
  await context.close();
});

test("lessons and the console at 390 × 844: no sideways scrolling", async () => {
  const viewport = { width: 390, height: 844 };
  const { page, problems, context } = await openRun("#lessons", { viewport });
  await page.getByTestId("lesson-card").first().waitFor();
  await assertNoSidewaysScroll(page, "lessons list");
  await page.screenshot({ path: join(screenshots, "lessons-list-390.png"), fullPage: true });
  await page.goto(`${served.url}run/#lesson=first-task-definition`);
  await page.getByTestId("lesson").waitFor();
  await runLine(page, "aws ecs register-task-definition --family hello --container-definitions name=web,image=nginx:1.25,cpu=256,memory=512");
  await page.getByRole("button", { name: "Show a hint (1 of 2)" }).click();
  await page.getByRole("button", { name: "Check my run" }).click();
  await page.getByTestId("verdict").waitFor();
  await assertNoSidewaysScroll(page, "lesson with console output");
  await page.screenshot({ path: join(screenshots, "lesson-390.png"), fullPage: true });
  await page.screenshot({ path: join(screenshots, "lesson-390-top.png") });
  await page.getByTestId("console").screenshot({ path: join(screenshots, "console-390.png") });
  await page.getByRole("button", { name: "Presenter mode" }).click();
  await assertNoSidewaysScroll(page, "presenter mode");
  await assertAccessible(page, "presenter mode at 390 px");
  await assertClean(page, problems);
  await context.close();
});

test("the console loads on demand and says so while loading and when it cannot; a lesson needs no module", async () => {
  const context = await served.browser.newContext({ viewport: { width: 1360, height: 900 } });
  const fetched = [];
  context.on("request", (request) => {
    const chunk = /\/chunks\/(\w+)\//.exec(request.url());
    if (chunk) fetched.push(chunk[1]);
  });
  const { page, problems } = await openRun("#lessons", { context });
  await page.getByTestId("lesson-card").first().waitFor();
  assert.deepEqual(fetched, [], "the lessons list loads no module");

  // The lesson cannot be fetched: the page says why, and opening it again tries again.
  await context.route("**/lessons/first-task-definition.json", (route) => route.abort());
  await page.evaluate(() => (location.hash = "#lesson=first-task-definition"));
  await page.getByText(/The lesson first-task-definition could not be opened\. .+/).waitFor();
  await context.unroute("**/lessons/first-task-definition.json");
  await page.evaluate(() => (location.hash = "#lessons"));
  await page.getByTestId("lesson-card").first().waitFor();
  await page.evaluate(() => (location.hash = "#lesson=first-task-definition"));
  await page.getByTestId("lesson").waitFor();
  // The page reads the lesson and checks its goals against the recording it shows.
  await page.getByRole("button", { name: "Check my run" }).click();
  assert.match(await page.getByTestId("verdict").textContent(), /Not yet\. No RegisterTaskDefinition call yet\./);
  assert.deepEqual(fetched, [], "opening a lesson and checking a step load no module; the console is not loaded before it is used");

  // The console module cannot be fetched: the line's output and the panel say so.
  await context.route("**/chunks/console/**", (route) => route.abort());
  const failed = await runLine(page, "aws ecs list-clusters");
  assert.match(failed, /^The console could not be loaded \(.+\)\. Try the line again\.$/);
  await page.getByTestId("console").getByRole("alert").filter({ hasText: "The console could not be loaded" }).waitFor();

  // Once it can be fetched (slowly), the panel says it is loading and the line is taken.
  await context.unroute("**/chunks/console/**");
  await context.route("**/chunks/console/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await consoleInput(page).blur();
  await consoleInput(page).focus();
  await page.getByTestId("console").getByRole("status").filter({ hasText: "Loading the console…" }).waitFor();
  const listed = await runLine(page, "aws ecs list-clusters");
  assert.match(listed, /^\{\n {4}"clusterArns": \[/);
  assert.equal(await page.getByTestId("console").getByText("Loading the console…").count(), 0, "the loading note goes");
  // The only problems are the refused fetches themselves.
  assert.ok(problems.every((p) => /Failed to load resource|could not be loaded|Failed to fetch/.test(p)), problems.join("\n"));
  await context.close();
});
