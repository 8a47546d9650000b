// End-to-end: the form views. Every form edit is a splice of the JSON text, so
// the tests compare whole texts: what the form changed, and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPlayground as open, assertClean, assertAccessible, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground("/");

const openPlayground = (options) => open(served.browser, served.url, options);

async function editorText(page) {
  return page.getByRole("textbox", { name: "Task definition JSON" }).inputValue();
}

async function showView(page, name) {
  await page.getByRole("group", { name: "Task definition view" }).getByRole("button", { name, exact: true }).click();
}

test("task definition: form edits change only their value in the JSON, both ways", async () => {
  const { context, page, problems } = await openPlayground();
  const original = await editorText(page);
  assert.match(original, /"firelensConfiguration": \{ "type": "fluentbit" \}/, "fixture has a member the form does not show");

  await showView(page, "Form");
  const form = page.getByRole("form", { name: "Task definition form" });
  await form.waitFor();
  await form.getByLabel("Family", { exact: true }).fill("shop");
  const web = form.getByRole("group", { name: "Container 1: web" });
  await web.getByLabel("Image").fill("public.ecr.aws/nginx/nginx:1.29");
  await web.getByLabel("Memory soft limit (MiB)").fill("256");

  // An invalid number gets a message next to the field and is not written.
  const cpu = web.getByLabel("CPU units");
  await cpu.fill("25x");
  const message = web.getByRole("alert");
  assert.match(await message.textContent(), /“25x” is not a whole number/);
  assert.equal(await cpu.getAttribute("aria-invalid"), "true");
  const describedBy = await cpu.getAttribute("aria-describedby");
  assert.ok(describedBy.split(" ").includes(await message.getAttribute("id")), "the message describes the field");
  await page.screenshot({ path: join(screenshots, "forms-01-task-definition.png"), fullPage: true });
  await assertAccessible(page, "task definition form");

  // The engine's diagnostic for a field appears beside it, linked to it.
  const family = form.getByLabel("Family", { exact: true });
  await family.fill("shop app");
  const familyMessage = form.locator(".field-error", { hasText: /family "shop app" is invalid/ });
  await familyMessage.waitFor();
  assert.ok((await family.getAttribute("aria-describedby")).split(" ").includes(await familyMessage.getAttribute("id")));
  await family.fill("shop");
  await familyMessage.waitFor({ state: "detached" });

  await showView(page, "JSON");
  const edited = await editorText(page);
  const expected = original
    .replace('"family": "web-app"', '"family": "shop"')
    .replace("nginx/nginx:1.27", "nginx/nginx:1.29")
    .replace('"memoryReservation": 384', '"memoryReservation": 256');
  assert.equal(edited, expected, "only the three edited values changed; formatting and unknown members are intact");

  // Edit the JSON: the form shows it.
  const editor = page.getByRole("textbox", { name: "Task definition JSON" });
  await editor.fill(expected.replace('"cpu": 256', '"cpu": 300').replace('"family": "shop"', '"family": "shop-2"'));
  await showView(page, "Form");
  assert.equal(await form.getByLabel("Family", { exact: true }).inputValue(), "shop-2");
  assert.equal(await form.getByRole("group", { name: "Container 1: web" }).getByLabel("CPU units").inputValue(), "300");
  await assertClean(page, problems);
  await context.close();
});

test("task definition: rows, containers and Fargate sizes", async () => {
  const { context, page, problems } = await openPlayground();
  await showView(page, "Form");
  const form = page.getByRole("form", { name: "Task definition form" });
  const web = form.getByRole("group", { name: "Container 1: web" });

  await web.getByRole("button", { name: "Add environment variable" }).click();
  await web.getByLabel("Variable 1 name").fill("GREETING");
  await web.getByLabel("Variable 1 value").fill('<img src=x onerror="alert(1)">');
  await web.getByRole("button", { name: "Add port mapping" }).click();
  await web.getByLabel("Container port 2").fill("443");
  await web.getByRole("button", { name: "Remove port mapping 1" }).click();

  // Reorder: the log router moves first, its text unchanged.
  await form.getByRole("button", { name: "Move up container log-router" }).click();
  await form.getByRole("group", { name: "Container 1: log-router" }).waitFor();

  // Fargate: only valid sizes are offered.
  await form.getByLabel("AWS Fargate").check();
  const cpuOptions = await form.getByLabel("Task CPU (Fargate sizes)").locator("option").allTextContents();
  assert.deepEqual(cpuOptions.slice(0, 3), ["Not set", "0.25 vCPU (256 units)", "0.5 vCPU (512 units)"]);
  await form.getByLabel("Task CPU (Fargate sizes)").selectOption("512");
  const memoryOptions = await form.getByLabel("Task memory (valid for this CPU)").locator("option").allTextContents();
  assert.deepEqual(memoryOptions, ["Not set", "1 GB", "2 GB", "3 GB", "4 GB"]);
  await form.getByLabel("Task memory (valid for this CPU)").selectOption("2048");

  await showView(page, "JSON");
  const json = JSON.parse(await editorText(page));
  assert.deepEqual(json.requiresCompatibilities, ["EC2", "FARGATE"]);
  assert.equal(json.cpu, "512");
  assert.equal(json.memory, "2048");
  assert.equal(json.containerDefinitions[0].name, "log-router");
  assert.deepEqual(json.containerDefinitions[0].firelensConfiguration, { type: "fluentbit" });
  const webJson = json.containerDefinitions[1];
  assert.deepEqual(webJson.environment, [{ name: "GREETING", value: '<img src=x onerror="alert(1)">' }]);
  assert.deepEqual(webJson.portMappings, [{ containerPort: 443, protocol: "tcp" }]);
  // Engine diagnostics appear beside the field they concern.
  await showView(page, "Form");
  await form.getByLabel("Task memory (valid for this CPU)").waitFor();
  await page.screenshot({ path: join(screenshots, "forms-02-fargate-rows.png"), fullPage: true });
  await assertAccessible(page, "task definition form after edits");
  assert.equal(await page.locator("img").count(), 0, "user text is rendered as text");
  await assertClean(page, problems);
  await context.close();
});

// The service and cluster forms are the Form view of the workspace's documents.
const docs = (page) => page.getByRole("navigation", { name: "Workspace documents" });

async function openDocument(page, name, kind) {
  await docs(page).getByRole("button", { name: new RegExp(`^${name}( revision|$)`) }).click();
  await page.getByRole("group", { name: `${kind} view` }).getByRole("button", { name: "Form", exact: true }).click();
}

// Reads the open document's JSON through its JSON view, then returns to the form.
async function documentJson(page, kind) {
  const views = page.getByRole("group", { name: `${kind} view` });
  await views.getByRole("button", { name: "JSON", exact: true }).click();
  const text = await page.getByRole("textbox", { name: `${kind} JSON` }).inputValue();
  await views.getByRole("button", { name: "Form", exact: true }).click();
  return text;
}

async function setDocumentJson(page, kind, text) {
  const views = page.getByRole("group", { name: `${kind} view` });
  await views.getByRole("button", { name: "JSON", exact: true }).click();
  await page.getByRole("textbox", { name: `${kind} JSON` }).fill(text);
  await views.getByRole("button", { name: "Form", exact: true }).click();
}

test("service: placement templates and deployment options as the console writes them", async () => {
  const { context, page, problems } = await openPlayground();
  await openDocument(page, "web", "Service");
  const form = page.getByRole("form", { name: "Service form" });
  const template = form.getByLabel("Placement template");
  assert.equal(await template.inputValue(), "az-balanced-binpack");

  // An unknown member survives every form edit.
  const start = (await documentJson(page, "Service")).replace('"desiredCount": 2,', '"desiredCount": 2,\n  "x-team-note": "keep me",');
  await setDocumentJson(page, "Service", start);

  await template.selectOption("az-balanced-spread");
  let json = JSON.parse(await documentJson(page, "Service"));
  assert.deepEqual(json.placementStrategy, [
    { type: "spread", field: "attribute:ecs.availability-zone" },
    { type: "spread", field: "instanceId" },
  ]);
  await template.selectOption("one-task-per-host");
  json = JSON.parse(await documentJson(page, "Service"));
  assert.equal(json.placementStrategy, undefined);
  assert.deepEqual(json.placementConstraints, [{ type: "distinctInstance" }]);
  await template.selectOption("binpack");
  json = JSON.parse(await documentJson(page, "Service"));
  assert.deepEqual(json.placementStrategy, [{ type: "binpack", field: "memory" }]);
  assert.equal(json.placementConstraints, undefined);

  // JSON the templates do not describe shows as Custom, and is kept.
  const custom = (await documentJson(page, "Service")).replace('"field": "memory"', '"field": "cpu" }, { "type": "random"');
  await setDocumentJson(page, "Service", custom);
  assert.equal(await template.inputValue(), "custom");

  await form.getByLabel("Min running tasks %").fill("50");
  await form.getByLabel("Max running tasks %").fill("150");
  await form.getByLabel("Max running tasks %").fill("99");
  assert.match(await form.getByRole("alert").textContent(), /from 100 to 1000/);
  assert.equal(await form.getByLabel("Max running tasks %").inputValue(), "99", "the typed text stays beside its message");
  await form.getByLabel("Use the Amazon ECS deployment circuit breaker").uncheck();
  assert.equal(await form.getByLabel("Rollback on failure").count(), 0, "rollback is offered only with the circuit breaker");

  await form.getByLabel("Capacity provider strategy").check();
  await form.getByLabel("Weight 1").fill("2");
  await form.getByLabel("Turn on Service Connect").check();
  await form.getByLabel("Namespace").fill("internal");
  await form.getByRole("button", { name: "Add Service Connect service" }).click();
  await form.getByLabel("Client alias DNS name 1").fill("web.internal");

  json = JSON.parse(await documentJson(page, "Service"));
  assert.equal(json["x-team-note"], "keep me");
  assert.deepEqual(json.placementStrategy, [{ type: "binpack", field: "cpu" }, { type: "random" }]);
  assert.deepEqual(json.deploymentConfiguration, {
    minimumHealthyPercent: 50,
    maximumPercent: 150,
    deploymentCircuitBreaker: { enable: false, rollback: true },
  });
  assert.equal(json.launchType, undefined);
  assert.deepEqual(json.capacityProviderStrategy, [{ capacityProvider: "FARGATE", base: 0, weight: 2 }]);
  assert.deepEqual(json.serviceConnectConfiguration, {
    enabled: true,
    namespace: "internal",
    services: [{ portName: "http", clientAliases: [{ port: 80, dnsName: "web.internal" }] }],
  });
  await page.screenshot({ path: join(screenshots, "forms-03-service.png"), fullPage: true });
  await assertAccessible(page, "service form");
  await assertClean(page, problems);
  await context.close();
});

test("cluster: instance groups from the catalogue, capacity providers and the default strategy", async () => {
  const { context, page, problems } = await openPlayground();
  await openDocument(page, "demo", "Cluster");
  const form = page.getByRole("form", { name: "Cluster form" });
  await form.waitFor();
  const original = await documentJson(page, "Cluster");

  const group = form.getByRole("group", { name: "Instance group 2" });
  const type = group.getByLabel("Instance type");
  assert.ok((await type.locator("optgroup").count()) > 5, "instance types are grouped by family");
  assert.equal(await type.locator('optgroup[label="m5"] option[value="m5.large"]').count(), 1);
  await type.selectOption("c5.2xlarge");
  await group.getByLabel("Instances").fill("4");
  await group.getByLabel("Attribute 1 value").fill("staging");
  await group.getByLabel("Attribute 1 name").fill("tier");
  await group.getByLabel("Availability Zones (comma-separated)").fill("us-east-1c, us-east-1d");

  assert.equal(
    await documentJson(page, "Cluster"),
    original
      .replace('"instanceType": "c5.xlarge"', '"instanceType": "c5.2xlarge"')
      .replace('"count": 1', '"count": 4')
      .replace('{ "workload": "batch" }', '{ "tier": "staging" }')
      .replace('["us-east-1c"]', '["us-east-1c", "us-east-1d"]'),
    "only the edited values changed",
  );

  await form.getByRole("button", { name: "Add instance group" }).click();
  const third = form.getByRole("group", { name: "Instance group 3" });
  await third.getByRole("button", { name: "Add attribute" }).click();
  await third.getByLabel("Auto Scaling group capacity provider").fill("web-asg");
  await form.getByLabel("FARGATE_SPOT").check();
  await form.getByLabel("web-asg (Auto Scaling group)").check();
  await form.getByRole("button", { name: "Add to default strategy" }).click();
  await form.getByRole("button", { name: "Add to default strategy" }).click();
  await form.getByLabel("Strategy provider 2").selectOption("web-asg");
  const json = JSON.parse(await documentJson(page, "Cluster"));
  assert.equal(json.instanceGroups.length, 3);
  assert.deepEqual(json.instanceGroups[2], { name: "group-3", instanceType: "m5.large", availabilityZones: ["us-east-1a"], count: 1, attributes: { "attribute-1": "" }, capacityProvider: "web-asg" });
  assert.deepEqual(json.capacityProviders, ["FARGATE_SPOT", "web-asg"]);
  assert.deepEqual(json.defaultCapacityProviderStrategy, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }, { capacityProvider: "web-asg", weight: 1 }]);

  // Keyboard only: focus the first field and type.
  await form.getByLabel("Cluster name").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("prod");
  assert.equal(JSON.parse(await documentJson(page, "Cluster")).clusterName, "prod");

  await page.screenshot({ path: join(screenshots, "forms-04-cluster.png"), fullPage: true });
  await assertAccessible(page, "cluster form");
  await assertClean(page, problems);
  await context.close();
});
